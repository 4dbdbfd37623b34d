"""Custom actions, run on saved trackers with a collecting dispatcher."""

import json
from pathlib import Path

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.actions import ActionAnswerFees, ActionAnswerReturn, ActionReportAbuse, ActionRequestHuman

TRACKERS = Path(__file__).parent / "data"


def load_tracker(name: str, **slots) -> Tracker:
    """A saved tracker, with slots overridden."""
    state = json.loads((TRACKERS / f"{name}.json").read_text())
    state["slots"].update(slots)
    return Tracker.from_dict(state)


@pytest.fixture
def dispatcher():
    return CollectingDispatcher()


@pytest.fixture(autouse=True)
def numbers(monkeypatch, tmp_path):
    from actions import actions

    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("HOTLINE_NUMBER", "+880 9610102030")
    monkeypatch.setenv("EMERGENCY_NUMBER", "999")
    actions.settings.cache_clear()
    yield
    actions.settings.cache_clear()


def test_fees_for_a_known_country(dispatcher):
    events = ActionAnswerFees().run(dispatcher, load_tracker("fees_question", country="saudi_arabia"), {})
    assert events == []
    (message,) = dispatcher.messages
    assert message["response"] == "utter_fees_country"
    assert message["ceiling"] == "1,65,000" and message["country_name"] == "Saudi Arabia" and message["since"] == 2016


def test_fees_for_a_stale_figure_warns(dispatcher):
    ActionAnswerFees().run(dispatcher, load_tracker("fees_question", country="kuwait"), {})
    assert dispatcher.messages[0]["response"] == "utter_fees_country_stale"


@pytest.mark.parametrize("country", [None, "japan"])
def test_fees_without_a_known_country_gives_the_general_answer(dispatcher, country):
    ActionAnswerFees().run(dispatcher, load_tracker("fees_question", country=country), {})
    assert [m["response"] for m in dispatcher.messages] == ["utter_fees_general"]


def test_report_abuse_gives_numbers_and_asks_for_urgent_escalation(dispatcher):
    ActionReportAbuse().run(dispatcher, load_tracker("report_abuse"), {})
    answer, signal = dispatcher.messages
    assert answer["response"] == "utter_report_abuse"
    assert answer["emergency_number"] == "999" and answer["hotline_number"] == "+880 9610102030"
    assert signal["custom"] == {"escalate": {"priority": "urgent", "intent": "action_report_abuse"}}


def test_request_human_asks_for_normal_escalation(dispatcher):
    ActionRequestHuman().run(dispatcher, load_tracker("report_abuse"), {})
    assert dispatcher.messages[1]["custom"]["escalate"]["priority"] == "normal"


def test_return_answer_has_the_hotline_and_no_escalation(dispatcher):
    ActionAnswerReturn().run(dispatcher, load_tracker("report_abuse"), {})
    (message,) = dispatcher.messages
    assert message["response"] == "utter_return" and message["hotline_number"] == "+880 9610102030"
