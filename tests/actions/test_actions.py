"""Custom actions, run on saved trackers with a collecting dispatcher."""

import asyncio
import json
from pathlib import Path

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.actions import (
    FLAG_RESPONSES,
    ActionAnswerFees,
    ActionAnswerReturn,
    ActionAskAgencyQuery,
    ActionAssessRisk,
    ActionCheckAgency,
    ActionMore,
    ActionReportAbuse,
    ActionRequestHuman,
    ValidateAgencyForm,
    ValidateSelfCheckForm,
)
from bot.db import make_session_factory
from bot.settings import PROJECT_ROOT as PROJECT
from bot.topics.destinations import emergency_response, load_destinations
from bot.topics.fees import ceiling_for
from bot.topics.registry import import_csv
from bot.topics.self_check import QUESTIONS, parse_answer
from tests.topics.test_agency_answers import SAMPLE

TRACKERS = Path(__file__).parent / "trackers"


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
    message, note = dispatcher.messages
    assert message["response"] == "utter_fees_country" and note["response"] == "utter_fee_note_women_domestic"
    assert message["ceiling"] == "1,65,000" and message["since"] == "2016"
    assert message["country_name"] == "Saudi Arabia (male workers)"


def test_fees_in_bengali_script_use_bengali_digits(dispatcher):
    ActionAnswerFees().run(dispatcher, load_tracker("fees_question", country="malaysia", language="bn"), {})
    (message,) = dispatcher.messages
    assert message["ceiling"] == "৭৮,৯৯০" and message["since"] == "২০২২" and message["country_name"] == "মালয়েশিয়ার"


def test_fees_for_a_stale_figure_warns(dispatcher):
    ActionAnswerFees().run(dispatcher, load_tracker("fees_question", country="kuwait"), {})
    assert dispatcher.messages[0]["response"] == "utter_fees_country_stale"


@pytest.mark.parametrize("country", [None, "atlantis"])
def test_fees_without_a_known_country_gives_the_general_answer(dispatcher, country):
    ActionAnswerFees().run(dispatcher, load_tracker("fees_question", country=country), {})
    assert [m["response"] for m in dispatcher.messages] == ["utter_fees_general"]


@pytest.mark.parametrize(
    "country", [key for key in load_destinations() if key != "bangladesh" and ceiling_for(key) is None]
)
def test_fees_for_a_known_country_without_a_ceiling_say_so_and_never_ask_again(dispatcher, country):
    ActionAnswerFees().run(dispatcher, load_tracker("fees_question", country=country), {})
    [message] = dispatcher.messages
    assert message["response"] == "utter_fees_country_unknown"
    assert message["country_name"] == load_destinations()[country].name and message["hotline_number"]


@pytest.mark.parametrize(
    "text",
    [
        "dalal wants 8 lakh for the boat to italy",
        "ami ki nouka diye italy jete pari? dalal bolse 8 lakh",
        "ট্রলারে মালয়েশিয়া যেতে কত টাকা লাগে",
    ],
)
def test_a_fee_question_about_a_boat_gets_the_sea_warning_not_a_fee(dispatcher, text):
    tracker = load_tracker("fees_question", country="italy")
    tracker.latest_message["text"] = text
    ActionAnswerFees().run(dispatcher, tracker, {})
    assert [m["response"] for m in dispatcher.messages] == ["utter_sea_travel"]


def test_report_abuse_gives_numbers_and_asks_for_urgent_escalation(dispatcher):
    ActionReportAbuse().run(dispatcher, load_tracker("report_abuse"), {})
    answer, signal = dispatcher.messages
    assert answer["response"] == "utter_report_abuse"
    assert answer["emergency_number"] == "999" and answer["hotline_number"] == "+880 9610102030"
    assert signal["custom"] == {"escalate": {"priority": "urgent", "intent": "action_report_abuse"}}


def test_escalation_carries_the_country_and_the_agency_named(dispatcher):
    tracker = load_tracker("report_abuse", country="malaysia")
    tracker.latest_message["entities"] = [{"entity": "license_number", "value": "RL-1024"}]
    ActionReportAbuse().run(dispatcher, tracker, {})
    signal = dispatcher.messages[1]["custom"]["escalate"]
    assert (signal["country"], signal["agency"]) == ("malaysia", "RL-1024")


def triage_report(words: str, country: str | None, language: str) -> Tracker:
    """The tracker of a message triage sent as "/report_abuse", with the person's words in the metadata."""
    tracker = load_tracker("report_abuse", language=language)
    tracker.latest_message["text"] = "/report_abuse"
    tracker.latest_message["metadata"] = {"triage": "danger_now", "report_text": words, "country": country}
    return tracker


@pytest.mark.parametrize(
    ("words", "language"),
    [
        ("no salary for 4 months, help", "en"),
        ("they changed my contract, I get half the pay", "en"),
        ("4 mash dhore malik beton dey na", "bn_latn"),
        ("chukti bodle diyeche, ordhek taka dey", "bn_latn"),
        ("৪ মাস ধরে মালিক বেতন দেয় না", "bn"),
        ("এখানে এসে চুক্তি বদলে দিয়েছে", "bn"),
    ],
)
@pytest.mark.parametrize(
    ("country", "emergency"), [("saudi_arabia", "utter_report_abuse_abroad"), (None, "utter_report_abuse")]
)
def test_a_wages_or_contract_report_from_abroad_also_gets_where_to_complain(
    dispatcher, words, language, country, emergency
):
    ActionReportAbuse().run(dispatcher, triage_report(words, country, language), {})
    answer, complaint, signal = dispatcher.messages
    assert (answer["response"], complaint["response"]) == (emergency, "utter_complaint_abroad")
    assert signal["custom"]["escalate"]["priority"] == "urgent"


@pytest.mark.parametrize(
    ("words", "country"),
    [("no salary for 4 months, help", "bangladesh"), ("they beat me every day", "saudi_arabia"), ("", None)],
    ids=["at home", "no wages or contract", "words not known"],
)
def test_other_reports_get_the_emergency_answer_alone(dispatcher, words, country):
    ActionReportAbuse().run(dispatcher, triage_report(words, country, "en"), {})
    assert [message["response"] for message in dispatcher.messages] == [emergency_response(country, "en")[0], None]


def test_a_yes_to_is_this_happening_now_reads_the_message_that_was_asked_about(dispatcher):
    tracker = load_tracker("report_abuse", country="malaysia")
    tracker.events += [
        user_event("my employer has not paid my salary, what can I do?"),
        bot_event("utter_if_harmed"),
        {"event": "bot", "text": None, "data": {"custom": {"confirm_danger": True}}, "metadata": {}},
        user_event("/report_abuse"),
    ]
    tracker.latest_message.update(text="/report_abuse", metadata={"triage": "danger_now"})
    ActionReportAbuse().run(dispatcher, tracker, {})
    assert [message["response"] for message in dispatcher.messages] == [
        "utter_report_abuse_abroad", "utter_complaint_abroad", None
    ]  # fmt: skip


def test_request_human_asks_for_normal_escalation(dispatcher):
    ActionRequestHuman().run(dispatcher, load_tracker("report_abuse"), {})
    assert dispatcher.messages[1]["custom"]["escalate"]["priority"] == "normal"


def test_return_answer_has_the_hotline_and_no_escalation(dispatcher):
    ActionAnswerReturn().run(dispatcher, load_tracker("report_abuse"), {})
    (message,) = dispatcher.messages
    assert message["response"] == "utter_return" and message["hotline_number"] == "+880 9610102030"


def bot_event(name: str) -> dict:
    return {"event": "bot", "text": "...", "metadata": {"utter_action": name}}


def user_event(text: str) -> dict:
    return {"event": "user", "text": text, "parse_data": {"intent": {"name": "ask_visa", "confidence": 0.9}}}


DOMAIN = {"responses": {"utter_visa": [], "utter_visa_more": [], "utter_greet": [], "utter_no_more": []}}


def more_tracker(*events) -> Tracker:
    state = json.loads((TRACKERS / "fees_question.json").read_text())
    state["events"] = list(events)
    return Tracker.from_dict(state)


def test_more_sends_the_second_page_of_the_previous_answer(dispatcher):
    tracker = more_tracker(user_event("visa?"), bot_event("utter_visa"), user_event("MORE"))
    ActionMore().run(dispatcher, tracker, DOMAIN)
    assert [m["response"] for m in dispatcher.messages] == ["utter_visa_more"]


def test_more_after_the_last_page_or_a_short_answer_says_so(dispatcher):
    after_last_page = more_tracker(
        user_event("visa?"),
        bot_event("utter_visa"),
        user_event("more"),
        bot_event("utter_visa_more"),
        user_event("more"),
    )
    ActionMore().run(dispatcher, after_last_page, DOMAIN)
    after_greeting = more_tracker(user_event("hi"), bot_event("utter_greet"), user_event("more"))
    ActionMore().run(dispatcher, after_greeting, DOMAIN)
    assert [m["response"] for m in dispatcher.messages] == ["utter_no_more", "utter_no_more"]


def test_more_looks_only_at_the_previous_turn(dispatcher):
    tracker = more_tracker(
        user_event("visa?"), bot_event("utter_visa"), user_event("hi"), bot_event("utter_greet"), user_event("more")
    )
    ActionMore().run(dispatcher, tracker, DOMAIN)
    assert [m["response"] for m in dispatcher.messages] == ["utter_no_more"]


@pytest.mark.parametrize(
    ("answers", "level", "flags"),
    [
        (["2", "na", "ha", "yes", "1"], "low", []),
        (["3", "no", "yes", "yes", "yes"], "medium", ["utter_flag_fee"]),
        (["no", "হ্যাঁ", "yes", "yes", "yes"], "high", ["utter_flag_passport"]),
        (["yes", "no", "no", "2", "jani na"], "high",
         ["utter_flag_fee", "utter_flag_contract", "utter_flag_visa", "utter_flag_agency"]),
    ],
)  # fmt: skip
def test_risk_assessment_gives_level_and_advice_per_flag(dispatcher, answers, level, flags):
    slots = {name: parse_answer(answer) for (name, _), answer in zip(QUESTIONS, answers, strict=True)}
    events = ActionAssessRisk().run(dispatcher, load_tracker("fees_question", **slots), {})
    responses = [m["response"] for m in dispatcher.messages if m["response"]]
    assert responses == [f"utter_risk_{level}", *flags]
    assert {"event": "slot", "timestamp": None, "name": "risk_level", "value": level} in events
    escalations = [m["custom"]["escalate"] for m in dispatcher.messages if m["custom"]]
    assert len(escalations) == (level == "high")
    for signal in escalations:
        assert (signal["priority"], signal["intent"]) == ("high", "action_assess_risk")
        assert [f"utter_flag_{FLAG_RESPONSES[flag]}" for flag in signal["flags"]] == flags


@pytest.mark.parametrize(("text", "value"), [("1", "yes"), ("না", "no"), ("jani na", "unsure"), ("what is this", None)])
def test_self_check_answers_are_read_in_any_form(dispatcher, text, value):
    tracker = load_tracker("fees_question", requested_slot="passport_kept", passport_kept=text)
    tracker.events.append({"event": "slot", "name": "passport_kept", "value": text})
    domain = yaml.safe_load((PROJECT / "domain.yml").read_text())
    events = asyncio.run(ValidateSelfCheckForm().get_validation_events(dispatcher, tracker, domain))
    assert {"event": "slot", "timestamp": None, "name": "passport_kept", "value": value} in events
    assert [m["response"] for m in dispatcher.messages] == ([] if value else ["utter_self_check_unclear"])


@pytest.fixture
def registry(monkeypatch, service_env, engine):
    """The sample registry in the test database, which the actions read through DATABASE_URL."""
    from actions import actions

    monkeypatch.setenv("DATABASE_URL", service_env["DATABASE_URL"])
    actions.settings.cache_clear()
    actions.sessions.cache_clear()
    import_csv(make_session_factory(engine), SAMPLE)
    yield
    actions.sessions.cache_clear()


@pytest.mark.parametrize(
    ("query", "language", "response", "values"),
    [
        ("al noor", "en", "utter_agency_valid", {"agency": "Al Noor Overseas", "expiry": "30/06/2027"}),
        ("RL-1234", "bn", "utter_agency_valid", {"license": "RL-1234", "expiry": "৩০/০৬/২০২৭"}),
        ("RL 3003", "bn_latn", "utter_agency_suspended", {"license": "RL-3003"}),
        ("nobody recruiting anywhere", "en", "utter_agency_not_found", {}),
    ],
)
def test_check_agency_answers_from_the_registry(dispatcher, registry, query, language, response, values):
    tracker = load_tracker("agency_question", agency_query=query, language=language)
    tracker.latest_message["text"] = query
    events = ActionCheckAgency().run(dispatcher, tracker, {})
    (message,) = dispatcher.messages
    assert message["response"] == response
    assert values.items() <= message.items()
    assert message["hotline_number"] == "+880 9610102030"
    assert events == [
        {"event": "slot", "timestamp": None, "name": "agency_query", "value": None},
        {"event": "slot", "timestamp": None, "name": "agency_choices", "value": None},
    ]


@pytest.mark.parametrize(
    ("text", "filled", "expected"),
    [("RL 1234 ki thik ache?", None, "RL-1234"), ("আরএল ১০২৪ কি বৈধ", None, "RL-1024"), ("my agency", None, None),
     ("RL 1234", "Al Noor", None), ("/check_agency", None, None),
     ("aparajita compass agency is it legal", None, "aparajita compass agency is it legal")],
)  # fmt: skip
def test_agency_form_reads_an_rl_number_or_a_listed_name_the_nlu_missed(dispatcher, registry, text, filled, expected):
    tracker = load_tracker("agency_question", agency_query=filled)
    tracker.latest_message["text"] = text
    slots = asyncio.run(ValidateAgencyForm().extract_agency_query(dispatcher, tracker, {}))
    assert slots.get("agency_query") == expected


def test_several_matches_reopen_the_form_and_the_question_lists_them(dispatcher, registry):
    tracker = load_tracker("agency_question", agency_query="green star")
    tracker.latest_message["text"] = "green star"
    events = ActionCheckAgency().run(dispatcher, tracker, {})
    assert dispatcher.messages == []
    choices = events[0]["value"]
    assert sorted(choices) == ["RL-2001", "RL-2002"]
    assert events[1:] == [
        {"event": "slot", "timestamp": None, "name": "agency_query", "value": None},
        {"event": "followup", "timestamp": None, "name": "agency_form"},
    ]
    ActionAskAgencyQuery().run(dispatcher, load_tracker("agency_question", agency_choices=choices), {})
    (question,) = dispatcher.messages
    assert question["response"] == "utter_agency_choose" and question["choices"].startswith("1 Green Star")


@pytest.mark.parametrize(
    ("reply", "expected"),
    [("2", {"agency_query": "RL-2002", "agency_choices": None}), ("9", {"agency_query": None}),
     ("al noor", {"agency_query": "al noor", "agency_choices": None})],
)  # fmt: skip
def test_a_reply_to_the_choices_is_read(dispatcher, reply, expected):
    tracker = load_tracker("agency_question", agency_choices=["RL-2001", "RL-2002"])
    tracker.events[-1:-1] = [{"event": "slot", "name": "agency_choices", "value": ["RL-2001", "RL-2002"]}]
    assert ValidateAgencyForm().validate_agency_query(reply, dispatcher, tracker, {}) == expected


def test_the_old_query_is_not_taken_as_a_reply_to_the_choices(dispatcher):
    tracker = load_tracker("agency_question", agency_choices=["RL-2001", "RL-2002"])
    tracker.events.append({"event": "slot", "name": "agency_choices", "value": ["RL-2001", "RL-2002"]})
    assert ValidateAgencyForm().validate_agency_query("green star", dispatcher, tracker, {}) == {"agency_query": None}


def test_without_choices_the_question_asks_for_the_agency(dispatcher):
    ActionAskAgencyQuery().run(dispatcher, load_tracker("agency_question"), {})
    assert [m["response"] for m in dispatcher.messages] == ["utter_ask_agency_query"]


@pytest.mark.parametrize(
    "text", ["সৌদিতে মহিলা গৃহকর্মীর কত টাকা লাগে?", "saudi housemaid koto taka", "how much for a woman to go to saudi"]
)
def test_a_question_about_a_woman_gets_her_exemption_first(dispatcher, text):
    tracker = load_tracker("fees_question", country="saudi_arabia")
    tracker.latest_message["text"] = text
    ActionAnswerFees().run(dispatcher, tracker, {})
    assert [m["response"] for m in dispatcher.messages] == ["utter_fee_note_women_domestic", "utter_fees_country"]
