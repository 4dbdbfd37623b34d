"""The danger safety net: emergencies in every form are caught; prevention questions are not."""

import pytest

from bot.language.danger import danger_signal
from bot.language.forms import FORMS
from bot.language.nlu_data import form_examples
from bot.settings import PROJECT_ROOT


@pytest.mark.parametrize(
    "text",
    [
        "they took my passport and lock us in",
        "HELP HELP HELP",
        "my employer beat me yesterday and took my phone",
        "we are not allowed to go out of the camp",
        "amar passport niye geche malik",
        "malik roj mare, ki korbo",
        "ghore atke rekhese 3 din",
        "মালিক আমারে মারে, বাঁচান",
        "আমার পাসপোর্ট রেখে দিছে, বের হইতে দেয় না",
        "৫ মাস বেতন দেয় না",
    ],
)
def test_emergencies_are_caught(text):
    assert danger_signal(text)


@pytest.mark.parametrize(
    "text",
    [
        "what if the agent keeps my passport?",
        "is it legal for an employer to keep the passport",
        "how do i know if a job offer is trafficking",
        "amar passport korte koto din lage",
        "দালাল পাসপোর্ট চাইছে, দেওয়া কি ঠিক হবে?",
        "how much should I pay for saudi",
        "my mother is ill, I want to come home after my contract",
        "",
    ],
)
def test_prevention_questions_and_others_are_not_emergencies(text):
    assert not danger_signal(text)


def test_on_all_written_examples_recall_is_high_and_no_other_intent_triggers():
    caught = total = false_alarms = 0
    for folder in ("data/nlu", "tests/eval/nlu"):
        for form in FORMS:
            for intent, text in form_examples(PROJECT_ROOT / folder, form):
                if intent == "report_abuse":
                    total += 1
                    caught += danger_signal(text)
                else:
                    false_alarms += danger_signal(text)
    assert caught >= 0.85 * total
    assert false_alarms == 0


def test_a_huge_message_is_scanned_quickly_and_safely():
    assert not danger_signal("a" * 100_000)
    assert danger_signal("they took my passport " + "a" * 100_000)
