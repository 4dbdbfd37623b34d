"""Destination contacts: every stated number has a source and a date, countries are found by their names and cities."""

import pytest
import yaml

from bot.topics.destinations import (
    DESTINATIONS_PATH,
    KINDS,
    contacts_line,
    country_in,
    emergency_response,
    load_destinations,
)

DATA = yaml.safe_load(DESTINATIONS_PATH.read_text(encoding="utf-8"))
REQUIRED = ("saudi_arabia", "uae", "qatar", "oman", "kuwait", "bahrain", "malaysia", "singapore", "jordan", "lebanon",
            "maldives")  # fmt: skip


def test_every_destination_the_issue_names_is_there():
    assert set(REQUIRED) <= set(load_destinations())


@pytest.mark.parametrize("key", sorted(DATA))
def test_every_stated_number_has_its_source_and_date(key):
    stated = load_destinations()[key].numbers
    for kind in KINDS:
        entry = DATA[key].get(kind)
        if entry:
            assert "http" in entry.get("source", ""), (key, kind)
            assert entry.get("checked") and kind in stated


@pytest.mark.parametrize(
    ("key", "alias"), [(key, alias) for key, entry in DATA.items() for alias in entry.get("aliases", [])]
)
def test_every_alias_finds_its_country(key, alias):
    assert country_in(f"i am in {alias} now, help") == key


@pytest.mark.parametrize(
    ("key", "alias"), [(key, alias) for key, entry in DATA.items() for alias in entry.get("aliases_bn", [])]
)
def test_every_bengali_alias_finds_its_country(key, alias):
    assert country_in(f"আমি {alias} আছি") == key


def test_an_english_word_is_not_a_country():
    assert country_in("male worker from a big company") is None


@pytest.mark.parametrize(
    ("text", "response", "number"),
    [
        ("they beat me here in riyadh", "utter_report_abuse_abroad", "911"),
        ("আমি সৌদিতে আছি, মালিক মারে", "utter_report_abuse_abroad", "911"),
        ("my sister in Kuala Lumpur is locked in", "utter_report_abuse_abroad", "999"),
        ("I am in Sylhet, dalal is threatening me", "utter_report_abuse_home", None),
        ("they beat me", "utter_report_abuse", None),
    ],
)
def test_the_emergency_answer_follows_where_the_person_is(text, response, number):
    chosen, values = emergency_response(country_in(text), "en")
    assert chosen == response
    assert number is None or number in values["local_contacts"]


def test_contacts_are_labelled_in_the_form_with_latin_digits():
    saudi = load_destinations()["saudi_arabia"]
    assert contacts_line(saudi, "en") == "emergency 911, labour line 19911"
    assert contacts_line(saudi, "bn") == "জরুরি 911, শ্রম হেল্পলাইন 19911"
