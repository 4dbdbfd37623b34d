"""Triage end to end, through the webhook with the real Rasa and action server: questions are answered and asked
about, reports open urgent cases with the contacts of where the person is (and, for unpaid wages abroad, where to
complain), and an untaken case silences nobody."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.db import make_session_factory
from bot.hotline.casework import Casework
from bot.messaging.notices import notice
from bot.messaging.sms import count_segments
from bot.models import Case
from tests.e2e.test_twilio_sms import replies
from tests.hotline_fakes import FakeDelivery

pytestmark = pytest.mark.e2e

CONFIRM = notice("danger_confirm", "en")


def cases(engine) -> list[tuple[str, str]]:
    """(priority, status) of every case."""
    with make_session_factory(engine)() as session:
        return [(case.priority, case.status) for case in session.scalars(select(Case).order_by(Case.id))]


def test_a_hypothetical_passport_question_is_answered_and_asked_about_and_yes_opens_an_urgent_case(
    rasa_stack, engine, sms
):
    answer = replies(sms.send("what should I do if they took my passport?"))
    assert len(answer) == 2 and answer[-1] == CONFIRM
    assert cases(engine) == []
    urgent = replies(sms.send("1"))
    assert any("9610102030" in text for text in urgent), urgent
    assert cases(engine) == [("urgent", "open")]


def test_no_after_the_confirmation_opens_nothing(rasa_stack, engine, sms):
    answer = replies(sms.send("মালিক যদি পাসপোর্ট রেখে দেয় তাহলে কি করবো?"))
    assert answer[-1] == notice("danger_confirm", "bn")
    assert replies(sms.send("২")) == [notice("not_urgent", "bn", hotline_number="+880 9610102030")]
    assert cases(engine) == []


def test_after_an_automatic_case_nobody_took_questions_are_answered_until_a_counsellor_replies(
    rasa_stack, engine, vault, sms
):
    replies(sms.send("they took my passport and lock us in room"))
    assert cases(engine) == [("urgent", "open")]
    assert any("1,65,000" in text for text in replies(sms.send("how much for saudi?")))
    sessions = make_session_factory(engine)
    with sessions() as session:
        case_id = session.scalar(select(Case.id))
    Casework(sessions, vault, FakeDelivery()).reply(case_id, staff_id=None, text="We are here. Are you safe?")
    assert replies(sms.send("how much for saudi?")) == []


@pytest.mark.parametrize(
    ("text", "expected", "not_expected"),
    [
        ("they beat me here in Riyadh, help", "911", "999"),
        ("I am in Sylhet, the dalal locked me in his house", "999", "911"),
    ],
)
def test_the_emergency_answer_gives_the_contacts_of_where_the_person_is(rasa_stack, sms, text, expected, not_expected):
    [answer] = replies(sms.send(text))
    assert expected in answer and not_expected not in answer and "9610102030" in answer


@pytest.mark.parametrize(
    ("text", "hotline", "complaint"),
    [
        ("no salary for 4 months here in Riyadh, help", "9610102030", "labour wing"),
        ("riyadh e 4 mash dhore malik beton dey na", "9610102030", "shrom wing"),
        ("রিয়াদে ৪ মাস ধরে মালিক বেতন দেয় না", "৯৬১০১০২০৩০", "শ্রম উইং"),
    ],
    ids=["en", "bn_latn", "bn"],
)
def test_an_unpaid_wages_report_from_abroad_reaches_the_hotline_and_gets_where_to_complain(
    rasa_stack, engine, sms, text, hotline, complaint
):
    [answer] = replies(sms.send(text))
    assert hotline in answer and cases(engine) == [("urgent", "open")]
    # The complaint answer follows the emergency contacts in the same turn: on the same page or behind MORE.
    pages = [answer, *replies(sms.send("MORE"))]
    assert any(complaint in page for page in pages), pages


@pytest.mark.parametrize(
    "text",
    ["how much " * 500, "😀🙏😢😀🙏😢", "0123456789" * 5, "สวัสดีครับ ขอข้อมูลหน่อย"],
    ids=["4000 characters", "emoji", "digits", "unknown script"],
)
def test_odd_messages_are_answered_within_the_sms_budget_and_open_nothing(rasa_stack, engine, sms, settings, text):
    answer = replies(sms.send(text))
    assert answer and all(count_segments(part).segments <= settings.sms_segment_budget for part in answer)
    assert cases(engine) == []
