"""End to end with the real Rasa and action server: cases opened by the bot's signals, silence once a counsellor
takes the case, danger words raising it, keywords still working, and the counsellor offer after two fallbacks."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.db import make_session_factory
from bot.hotline.casework import Casework
from bot.messaging.notices import notice
from bot.models import Case, Message
from tests.e2e.test_twilio_sms import replies
from tests.hotline_fakes import FakeDelivery

pytestmark = pytest.mark.e2e


def cases(engine) -> list[tuple[str, str, str]]:
    """(priority, status, intent) of every case."""
    with make_session_factory(engine)() as session:
        return [(case.priority, case.status, case.intent) for case in session.scalars(select(Case).order_by(Case.id))]


def take(engine, vault) -> None:
    """A counsellor takes the open case (assigns it)."""
    sessions = make_session_factory(engine)
    with sessions() as session:
        case_id = session.scalar(select(Case.id).where(Case.status == Case.OPEN))
    Casework(sessions, vault, FakeDelivery()).assign(case_id, staff_id=None)


def test_a_request_for_a_person_opens_a_case_and_the_bot_answers_until_a_counsellor_takes_it(
    rasa_stack, engine, vault, sms, stored
):
    assert any("counsellor" in text for text in replies(sms.send("I want to talk to a counsellor please")))
    assert cases(engine) == [("normal", "open", "action_request_human")]
    assert any("1,65,000" in text for text in replies(sms.send("how much should I pay to go to saudi arabia")))
    take(engine, vault)
    assert replies(sms.send("how much should I pay to go to saudi arabia")) == []
    assert stored.count(Message.status == Message.FOR_STAFF) == 1


def test_danger_during_a_handoff_raises_the_case_and_gives_the_emergency_number(
    rasa_stack, engine, vault, sms, recorder
):
    sms.send("I want to talk to a counsellor please")
    take(engine, vault)
    sms.send("the madam beat me again today")
    assert cases(engine) == [("urgent", "assigned", "action_request_human")]
    assert notice("case_urgent", "en", emergency_number="999") in recorder.to(sms.sender)


def test_stop_still_works_during_a_handoff(rasa_stack, engine, vault, sms, stored):
    sms.send("I want to talk to a counsellor please")
    take(engine, vault)
    assert "START" in replies(sms.send("STOP"))[0]
    assert stored.count(Message.status == Message.FOR_STAFF) == 0


def test_two_fallbacks_in_a_row_offer_a_counsellor_and_yes_opens_a_case(rasa_stack, engine, sms):
    sms.send("/nlu_fallback")
    offer = replies(sms.send("/nlu_fallback"))
    assert any("counsellor" in text for text in offer), offer
    assert cases(engine) == []
    accepted = replies(sms.send("yes"))
    assert any("counsellor will reply" in text for text in accepted), accepted
    assert cases(engine) == [("normal", "open", "action_request_human")]
