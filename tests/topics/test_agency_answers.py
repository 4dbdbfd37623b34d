"""From a registry lookup to the answer: status, expiry, choices, not found, in each language form."""

import pytest

from bot.db import make_session_factory
from bot.settings import PROJECT_ROOT
from bot.topics.agency_answers import answer_query, pick_choice
from bot.topics.registry import import_csv

SAMPLE = PROJECT_ROOT / "data" / "registry" / "agencies.sample.csv"


@pytest.fixture
def session(engine):
    sessions = make_session_factory(engine)
    import_csv(sessions, SAMPLE)
    with sessions() as open_session:
        yield open_session


@pytest.mark.parametrize("query", ["RL 1234", "rl1234", "আরএল ১২৩৪", "Al Noor Overseas", "al noor"])
def test_a_valid_agency_is_answered_with_its_expiry(session, query):
    answer = answer_query(session, query, "en")
    assert answer.response == "utter_agency_valid"
    assert answer.values == {"agency": "Al Noor Overseas", "license": "RL-1234", "expiry": "30/06/2027"}


def test_bengali_script_answers_use_bengali_digits(session):
    answer = answer_query(session, "RL-1234", "bn")
    assert answer.values["expiry"] == "৩০/০৬/২০২৭"


@pytest.mark.parametrize(
    ("query", "response"), [("RL-2001", "utter_agency_expired"), ("RL 3003", "utter_agency_suspended")]
)
def test_expired_and_suspended_agencies_are_warnings(session, query, response):
    assert answer_query(session, query, "en").response == response


def test_an_ambiguous_name_offers_numbered_choices(session):
    answer = answer_query(session, "green star", "en")
    assert answer.response == "utter_agency_choose"
    assert sorted(answer.choices) == ["RL-2001", "RL-2002"]
    listed = answer.values["choices"]
    assert listed.startswith("1 Green Star") and ", 2 Green Star" in listed
    assert f"1 {answer.choices[0]}" not in listed and f"({answer.choices[1]})" in listed


@pytest.mark.parametrize(("reply", "picked"), [("1", "RL-2001"), (" 2. ", "RL-2002"), ("২", "RL-2002"), ("3", None),
                                               ("0", None), ("green", None)])  # fmt: skip
def test_a_number_picks_a_choice(reply, picked):
    assert pick_choice(reply, ["RL-2001", "RL-2002"]) == picked


@pytest.mark.parametrize("query", ["RL 99999", "Completely Unknown Recruiters", "'; DROP TABLE agencies; --"])
def test_unknown_agency_gets_the_warning(session, query):
    assert answer_query(session, query, "en").response == "utter_agency_not_found"
