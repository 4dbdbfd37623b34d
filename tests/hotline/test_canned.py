"""Canned replies for counsellors: the bot's answers in the person's language form, numbers in the form's digits."""

from __future__ import annotations

import re

import pytest

from bot.hotline.canned import canned_replies

NUMBERS = {"hotline_number": "+880 9610102030", "emergency_number": "999"}
LATIN_DIGIT = re.compile(r"[0-9]")
BENGALI_DIGIT = re.compile(r"[০-৯]")


def by_name(form: str) -> dict[str, str]:
    """The canned replies of a form, by name."""
    return {reply.name: reply.text for reply in canned_replies(form, NUMBERS)}


def test_bengali_replies_write_the_hotline_and_emergency_numbers_in_bengali_digits():
    bengali = by_name("bn")
    assert "+৮৮০ ৯৬১০১০২০৩০" in bengali["report_abuse"] and "৯৯৯" in bengali["report_abuse"]
    assert [name for name, text in bengali.items() if LATIN_DIGIT.search(text)] == []


@pytest.mark.parametrize("form", ["en", "bn_latn"])
def test_replies_in_latin_letters_keep_latin_digits(form):
    replies = by_name(form)
    assert "+880 9610102030" in replies["report_abuse"] and "999" in replies["report_abuse"]
    assert [name for name, text in replies.items() if BENGALI_DIGIT.search(text)] == []


def test_numbers_typed_in_bengali_digits_are_written_in_latin_digits_in_a_latin_reply():
    [reply] = [reply for reply in canned_replies("en", {"hotline_number": "+৮৮০ ৯৬১০১০২০৩০"}) if reply.name == "return"]
    assert "+880 9610102030" in reply.text
