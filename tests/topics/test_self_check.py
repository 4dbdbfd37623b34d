"""Self-check answers in every language form, and the risk rules."""

import pytest

from bot.topics.self_check import NO, UNSURE, YES, assess, parse_answer


@pytest.mark.parametrize(
    ("text", "answer"),
    [
        ("1", YES), ("১", YES), ("yes", YES), ("YES", YES), ("ha", YES), ("Ji", YES), ("হ্যাঁ", YES),
        ("ji ha ache", YES), ("thik ache", YES), ("1 yes", YES),
        ("2", NO), ("২", NO), ("no", NO), ("NO!", NO), ("na", NO), ("না", NO), ("nai", NO), ("জি না", NO),
        ("3", UNSURE), ("৩", UNSURE), ("dont know", UNSURE), ("jani na", UNSURE), ("জানি না", UNSURE),
        ("not sure", UNSURE),
    ],
)  # fmt: skip
def test_answers_in_every_form(text, answer):
    assert parse_answer(text) == answer


@pytest.mark.parametrize("text", ["", None, "how much for saudi", "4", "nobody knows the way", "hakim"])
def test_other_text_is_not_an_answer(text):
    assert parse_answer(text) is None


SAFE = {"fee_above_limit": NO, "passport_kept": NO, "contract_understood": YES, "work_visa": YES,
        "agency_licensed": YES}  # fmt: skip


def test_all_safe_is_low_risk():
    assert assess(SAFE).level == "low" and assess(SAFE).flags == ()


def test_one_flag_is_medium_and_named():
    result = assess({**SAFE, "work_visa": NO})
    assert (result.level, result.flags) == ("medium", ("work_visa",))


def test_unsure_counts_as_a_flag():
    assert assess({**SAFE, "agency_licensed": UNSURE}).flags == ("agency_licensed",)


def test_kept_passport_alone_is_high():
    assert assess({**SAFE, "passport_kept": YES}).level == "high"


def test_two_flags_are_high():
    result = assess({**SAFE, "fee_above_limit": YES, "contract_understood": NO})
    assert result.level == "high" and result.flags == ("fee_above_limit", "contract_understood")
