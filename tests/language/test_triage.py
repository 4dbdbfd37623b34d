"""Triage: cues of time and person in the three forms, and the decision danger_now / maybe / no."""

import pytest

from bot.language.triage import DANGER_NOW, MAYBE, NO, cues_of, triage


@pytest.mark.parametrize(
    ("text", "cue"),
    [
        ("what should I do if the employer keeps my passport?", "hypothetical"),
        ("malik jodi mare tahole kothay phone dibo", "hypothetical"),
        ("মালিক যদি পাসপোর্ট রেখে দেয় তাহলে কি করবো?", "hypothetical"),
        ("last year my salary was late 2 months", "past"),
        ("2 bochor age passport rekhe dise", "past"),
        ("গত বছর বেতন দেয় নাই", "past"),
        ("but now it is ok", "resolved"),
        ("ekhon thik ache", "resolved"),
        ("এখন সব ঠিক আছে", "resolved"),
        ("can an employer keep my passport?", "rules"),
        ("খবরে দেখলাম অনেকে আটকা পড়ছে", "rules"),
        ("no salary since 3 months", "ongoing"),
        ("ekhono passport dey na", "ongoing"),
        ("আজ আমাকে মেরেছে", "ongoing"),
    ],
)
def test_cues_of_time_and_person_in_every_form(text, cue):
    assert cue in cues_of(text)


@pytest.mark.parametrize(
    "text",
    [
        "they took my passport and lock us in",
        "madam beat me every day, please help",
        "মালিক আমাকে মারতেছে, বাঁচান",
        "malik passport rekhe dise, 4 mash beton dey na, ekhon ki korbo",
    ],
)
def test_harm_happening_now_is_urgent(text):
    assert triage(text).level == DANGER_NOW


@pytest.mark.parametrize(
    "text",
    [
        "what should I do if the employer keeps my passport?",
        "মালিক যদি পাসপোর্ট রেখে দেয় তাহলে কি করবো?",
        "last year my salary was late 2 months but now it is ok",
        "can an employer keep my passport?",
    ],
)
def test_a_question_with_words_of_danger_is_never_urgent(text):
    assert triage(text).level in (MAYBE, NO)


@pytest.mark.parametrize(
    "text",
    ["how much should I pay for saudi?", "singapore e salary bank e ashe?", "ভিসা কিভাবে চেক করব?", "hello", "MENU 2"],
)
def test_ordinary_questions_are_not_danger(text):
    assert triage(text).level == NO


@pytest.mark.parametrize(
    "text",
    ["a" * 4000, "lang " + " " * 3990 + "bn x", "😀🙏😢" * 10, "0123456789" * 20, "สวัสดีครับ ช่วยด้วย", "", "?!"],
)
def test_odd_input_is_not_urgent(text):
    assert triage(text).level != DANGER_NOW
