"""What staff see of delivery: each reply's status in the transcript, a queue marker, and the channel's window."""

from dataclasses import replace
from datetime import timedelta

import pytest

from bot.db import make_session_factory
from bot.hotline.handoff import CaseHandoff, open_case_id
from bot.messaging.notices import notice
from bot.models import Message, utcnow
from tests.conftest import WHATSAPP_PATH, SmsSender
from tests.console_client import ConsoleUser, add_staff
from tests.contacts import add_contact, outbound
from tests.hotline_fakes import FakeAlerts, FakeDelivery
from tests.twilio_reports import report, status_form
from webhook.console.blueprint import stamp

TEMPLATE_SID = "HX" + "fedcba9876543210" * 2
URGENT = {"priority": "urgent", "intent": "action_report_abuse"}
NUMBER = "+8801711000040"
WHATSAPP = "whatsapp:+8801711000041"
PSID = "5151"


@pytest.fixture
def console(make_app, settings, engine, recorder) -> ConsoleUser:
    """A counsellor logged in to the console of an app with an approved WhatsApp template."""
    app = make_app(replace(settings, twilio_whatsapp_template_sid=TEMPLATE_SID))
    add_staff(engine, "rina", "counsellor")
    user = ConsoleUser(app.test_client())
    assert user.login("rina").status_code == 302
    return user


@pytest.fixture
def open_case(engine, vault, settings, recorder):
    """Opens an urgent case for a person on a channel who last wrote `wrote_ago`; returns the case id."""

    def open_on(channel: str, address: str, wrote_ago: timedelta = timedelta()) -> int:
        recorder.person_wrote(address, utcnow() - wrote_ago)
        contact_id = add_contact(engine, vault, channel, address, wrote_ago=wrote_ago, language="en")
        sessions = make_session_factory(engine)
        CaseHandoff(sessions, vault, settings, FakeDelivery(), FakeAlerts()).escalate(contact_id, URGENT, "en", channel)
        with sessions() as session:
            return open_case_id(session, contact_id)

    return open_on


def page(console: ConsoleUser, path: str) -> str:
    return console.client.get(path).get_data(as_text=True)


def test_the_transcript_shows_each_reply_status_and_the_queue_marks_an_undelivered_one(console, open_case, stored):
    case_id = open_case("sms", NUMBER)
    console.post(f"/console/cases/{case_id}/reply", text="We are here.")
    assert 'class="badge delivery sent">sent<' in page(console, f"/console/cases/{case_id}")
    assert "reply not delivered" not in page(console, "/console/")
    (reply,) = outbound(stored)
    assert report(console.client, status_form(reply.external_id, "undelivered", "30003")).status_code == 204
    assert "undelivered (30003)" in page(console, f"/console/cases/{case_id}")
    queue = page(console, "/console/")
    assert "reply not delivered" in queue and f"#{case_id}" in queue
    report(console.client, status_form(reply.external_id, "delivered"))
    assert 'class="badge delivery delivered">delivered<' in page(console, f"/console/cases/{case_id}")
    assert "reply not delivered" not in page(console, "/console/")


def test_a_reply_the_api_refused_marks_the_case_in_the_queue(console, open_case, recorder):
    case_id = open_case("sms", NUMBER)
    recorder.fail_next(400)
    console.post(f"/console/cases/{case_id}/reply", text="We are here.")
    assert "failed (20500)" in page(console, f"/console/cases/{case_id}")
    assert "reply not delivered" in page(console, "/console/")


def test_an_open_whatsapp_window_shows_until_when(console, open_case, stored):
    case_id = open_case("whatsapp", WHATSAPP, timedelta(hours=2))
    (person_wrote,) = [message.created_at for message in stored.all()]
    assert f"open until {stamp(person_wrote + timedelta(hours=24))}" in page(console, f"/console/cases/{case_id}")


def test_after_the_whatsapp_window_the_reply_waits_for_the_person_and_the_template_goes(
    console, open_case, recorder, stored
):
    case_id = open_case("whatsapp", WHATSAPP, timedelta(hours=25))
    assert "a reply waits until the person writes" in page(console, f"/console/cases/{case_id}")
    console.post(f"/console/cases/{case_id}/reply", text="We are here.")
    case_page = page(console, f"/console/cases/{case_id}")
    assert "your reply goes when the person writes" in case_page and "held until the person writes" in case_page
    assert notice("counsellor_replied", "en") in case_page
    assert [(item["to"], item["template"]) for item in recorder.sent] == [(WHATSAPP, TEMPLATE_SID)]
    # The person writes: their message goes to the counsellor, and the held reply is the webhook's answer.
    answer = SmsSender(console.client, sender=WHATSAPP, path=WHATSAPP_PATH).send("hello?")
    assert "We are here." in answer.get_data(as_text=True)
    reply = next(message for message in outbound(stored) if message.sender == Message.STAFF)
    assert (reply.status, reply.delivery_status) == (Message.SENT, "sent")
    assert recorder.refused == [] and len(recorder.sent) == 1
    assert "open until" in page(console, f"/console/cases/{case_id}")


def test_messenger_past_seven_days_refuses_a_reply_until_the_person_writes(console, open_case, recorder, stored):
    case_id = open_case("messenger", PSID, timedelta(days=8))
    assert "the person must write first" in page(console, f"/console/cases/{case_id}")
    console.post(f"/console/cases/{case_id}/reply", text="We are here.")
    assert "Messenger accepts no reply" in page(console, f"/console/cases/{case_id}")
    assert recorder.sent == [] and recorder.refused == [] and outbound(stored) == []


def test_messenger_within_seven_days_takes_the_reply_as_a_human_agent(console, open_case, recorder):
    case_id = open_case("messenger", PSID, timedelta(days=3))
    assert "open until" in page(console, f"/console/cases/{case_id}")
    console.post(f"/console/cases/{case_id}/reply", text="We are here.")
    assert [(item["text"], item["tag"]) for item in recorder.sent] == [("We are here.", "HUMAN_AGENT")]
