"""Case rules: priorities, one open case per person, raising on new danger, silence during handoff, resolving."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.db import make_session_factory
from bot.hotline.casefile import CaseViews
from bot.hotline.casework import Casework, CaseworkError
from bot.hotline.handoff import CaseHandoff
from bot.messaging.notices import notice
from bot.models import Case, Message
from tests.hotline_fakes import FakeAlerts, FakeDelivery, add_person

URGENT = {"priority": "urgent", "intent": "action_report_abuse"}
HIGH = {"priority": "high", "intent": "action_assess_risk", "flags": ["passport_kept"]}
NORMAL = {"priority": "normal", "intent": "action_request_human"}


@pytest.fixture
def sessions(engine):
    return make_session_factory(engine)


@pytest.fixture
def delivery():
    return FakeDelivery()


@pytest.fixture
def alerts():
    return FakeAlerts()


@pytest.fixture
def hotline(sessions, vault, settings, delivery, alerts):
    return CaseHandoff(sessions, vault, settings, delivery, alerts)


@pytest.fixture
def casework(sessions, vault, delivery):
    return Casework(sessions, vault, delivery)


def cases(sessions) -> list[Case]:
    with sessions() as session:
        return list(session.scalars(select(Case).order_by(Case.id)))


@pytest.mark.parametrize("signal", [URGENT, HIGH, NORMAL], ids=lambda signal: signal["priority"])
def test_escalation_opens_a_case_with_the_signal_priority(hotline, sessions, vault, signal):
    person = add_person(sessions, vault)
    hotline.escalate(person, signal, "bn", "sms")
    [case] = cases(sessions)
    assert (case.priority, case.status, case.language, case.channel) == (signal["priority"], "open", "bn", "sms")
    assert case.intent == signal["intent"]
    assert case.trigger_message_id is not None
    assert case.opened_at is not None and case.first_reply_at is None and case.resolved_at is None


def test_unknown_priority_counts_as_normal(hotline, sessions, vault):
    hotline.escalate(add_person(sessions, vault), {"priority": "whenever"}, "en", "sms")
    assert cases(sessions)[0].priority == "normal"


def test_only_urgent_cases_alert_staff(hotline, sessions, vault, alerts):
    hotline.escalate(add_person(sessions, vault, "+8801700000001"), NORMAL, "en", "sms")
    hotline.escalate(add_person(sessions, vault, "+8801700000002"), HIGH, "en", "sms")
    assert alerts.urgent == []
    hotline.escalate(add_person(sessions, vault, "+8801700000003"), URGENT, "en", "sms")
    assert alerts.urgent == [cases(sessions)[-1].id]


def test_one_open_case_per_person_and_new_danger_raises_it(hotline, sessions, vault, alerts, delivery, settings):
    person = add_person(sessions, vault)
    hotline.escalate(person, NORMAL, "en", "sms")
    hotline.escalate(person, HIGH, "en", "sms")
    assert [(case.priority, case.status) for case in cases(sessions)] == [("high", "open")]
    hotline.escalate(person, URGENT, "en", "sms")
    [case] = cases(sessions)
    assert case.priority == "urgent"
    assert alerts.urgent == [case.id]
    # Nobody has taken the case: the bot answered the danger itself, so the gateway adds nothing.
    assert delivery.sent == []


def test_danger_in_a_taken_case_gets_the_emergency_notice(hotline, casework, sessions, vault, delivery, settings):
    person = add_person(sessions, vault)
    hotline.escalate(person, NORMAL, "en", "sms")
    casework.assign(cases(sessions)[0].id, staff_id=None)
    hotline.escalate(person, URGENT, "en", "sms")
    # The bot is silent once a counsellor has the case, so the gateway's notice gives the emergency number at once.
    urgent_notice = notice("case_urgent", "en", emergency_number=settings.emergency_number)
    assert delivery.sent == [(person, [urgent_notice], Message.GATEWAY)]


def test_a_lower_signal_never_lowers_the_priority(hotline, sessions, vault, alerts):
    person = add_person(sessions, vault)
    hotline.escalate(person, URGENT, "en", "sms")
    hotline.escalate(person, NORMAL, "en", "sms")
    hotline.escalate(person, URGENT, "en", "sms")
    assert [case.priority for case in cases(sessions)] == ["urgent"]
    assert len(alerts.urgent) == 1


def test_facts_from_signals_are_merged_and_encrypted(hotline, sessions, vault):
    person = add_person(sessions, vault)
    hotline.escalate(person, {**NORMAL, "country": "saudi_arabia"}, "en", "sms")
    hotline.escalate(person, {**URGENT, "agency": "RL-1024"}, "en", "sms")
    [case] = cases(sessions)
    assert "saudi" not in case.facts_encrypted
    view = CaseViews(sessions, vault).open(case.id, staff_id=None)
    assert view.facts == {"country": "saudi_arabia", "agency": "RL-1024"}


def test_the_bot_answers_until_a_counsellor_takes_the_case_and_speaks_again_after_resolving(
    hotline, casework, sessions, vault, delivery
):
    person = add_person(sessions, vault)
    assert not hotline.takes_over(person)
    hotline.escalate(person, URGENT, "en", "sms")
    assert not hotline.takes_over(person)
    case_id = cases(sessions)[0].id
    casework.assign(case_id, staff_id=None)
    assert hotline.takes_over(person)
    casework.resolve(case_id, staff_id=None)
    assert not hotline.takes_over(person)
    assert delivery.sent[-1] == (person, [notice("bot_back", "en")], Message.GATEWAY)
    [case] = cases(sessions)
    assert case.status == "resolved" and case.resolved_at is not None and case.open_contact_id is None


def test_after_resolving_a_new_signal_opens_a_new_case(hotline, casework, sessions, vault):
    person = add_person(sessions, vault)
    hotline.escalate(person, NORMAL, "en", "sms")
    casework.resolve(cases(sessions)[0].id, staff_id=None)
    hotline.escalate(person, HIGH, "en", "sms")
    assert [(case.status, case.priority) for case in cases(sessions)] == [("resolved", "normal"), ("open", "high")]


def test_pausing_by_hand_silences_the_bot_until_resumed(hotline, casework, sessions, vault, delivery):
    person = add_person(sessions, vault)
    hotline.escalate(person, NORMAL, "en", "sms")
    case_id = cases(sessions)[0].id
    casework.resolve(case_id, staff_id=None)
    casework.set_paused(case_id, staff_id=None, paused=True)
    assert hotline.takes_over(person)
    assert CaseViews(sessions, vault).paused() == [(case_id, vault.pseudonym("sms", "+8801712345678")[:8])]
    casework.set_paused(case_id, staff_id=None, paused=False)
    assert not hotline.takes_over(person)
    assert delivery.sent[-1][1] == [notice("bot_back", "en")]


def test_reply_goes_out_as_staff_and_sets_first_reply_and_counsellor(hotline, casework, sessions, vault, delivery):
    person = add_person(sessions, vault)
    hotline.escalate(person, URGENT, "en", "sms")
    case_id = cases(sessions)[0].id
    casework.reply(case_id, staff_id=None, text="  We are here. Are you safe now?  ")
    assert delivery.sent == [(person, ["We are here. Are you safe now?"], Message.STAFF)]
    [case] = cases(sessions)
    assert case.first_reply_at is not None and case.status == "assigned"


def test_no_reply_to_a_resolved_case_or_an_empty_one(hotline, casework, sessions, vault, delivery):
    person = add_person(sessions, vault)
    hotline.escalate(person, NORMAL, "en", "sms")
    case_id = cases(sessions)[0].id
    with pytest.raises(CaseworkError):
        casework.reply(case_id, staff_id=None, text="   ")
    casework.resolve(case_id, staff_id=None)
    with pytest.raises(CaseworkError):
        casework.reply(case_id, staff_id=None, text="hello")
    with pytest.raises(CaseworkError):
        casework.resolve(case_id, staff_id=None)


def test_queue_is_sorted_by_priority_then_waiting_time(hotline, sessions, vault):
    for number, signal in enumerate([NORMAL, URGENT, HIGH, URGENT]):
        hotline.escalate(add_person(sessions, vault, f"+88017000000{number}"), signal, "en", "sms")
    queue = CaseViews(sessions, vault).queue()
    assert [row.priority for row in queue] == ["urgent", "urgent", "high", "normal"]
    assert queue[0].case_id < queue[1].case_id


def test_after_resolving_a_counsellor_can_still_write_once_the_bot_is_paused(
    hotline, casework, sessions, vault, delivery
):
    person = add_person(sessions, vault)
    hotline.escalate(person, NORMAL, "en", "sms")
    case_id = cases(sessions)[0].id
    casework.resolve(case_id, staff_id=None)
    casework.set_paused(case_id, staff_id=None, paused=True)
    casework.reply(case_id, staff_id=None, text="One more thing: keep a copy of your contract.")
    assert delivery.sent[-1] == (person, ["One more thing: keep a copy of your contract."], Message.STAFF)


def test_the_person_can_withdraw_an_automatic_case_nobody_took(hotline, casework, sessions, vault):
    person = add_person(sessions, vault)
    hotline.escalate(person, {**URGENT, "intent": "action_report_abuse"}, "en", "sms")
    assert hotline.withdraw(person)
    [case] = cases(sessions)
    assert (case.status, case.outcome, case.open_contact_id) == ("resolved", "false_alarm", None)
    assert not hotline.withdraw(person)


def test_a_taken_case_or_a_request_for_a_person_cannot_be_withdrawn(hotline, casework, sessions, vault):
    taken = add_person(sessions, vault, "+8801700000011")
    hotline.escalate(taken, {**URGENT, "intent": "action_report_abuse"}, "en", "sms")
    casework.reply(cases(sessions)[0].id, staff_id=None, text="We are here.")
    asked = add_person(sessions, vault, "+8801700000012")
    hotline.escalate(asked, {**NORMAL, "intent": "action_request_human"}, "en", "sms")
    assert not hotline.withdraw(taken) and not hotline.withdraw(asked)
    assert [case.status for case in cases(sessions)] == ["assigned", "open"]
