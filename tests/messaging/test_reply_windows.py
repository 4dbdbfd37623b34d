"""Channel windows against the fake APIs, which refuse as WhatsApp and Messenger do: the service never tries.

WhatsApp takes free text for 24 hours after the person's last message, then only an approved template; Messenger
takes standard messages for 24 hours and a counsellor's (HUMAN_AGENT tag) for 7 days.
"""

from dataclasses import replace
from datetime import timedelta

import pytest

from bot.channels import senders
from bot.channels.base import Outgoing, SendError
from bot.db import make_session_factory, transaction
from bot.messaging.delivery import Delivery
from bot.messaging.notices import notice
from bot.models import Message, utcnow
from tests.contacts import add_contact, add_inbound, outbound

TEMPLATE_SID = "HX" + "0123456789abcdef" * 2
WHATSAPP = "whatsapp:+8801711000020"
PSID = "4242"
INSIDE_DAY = timedelta(hours=23)
PAST_DAY = timedelta(hours=25)


@pytest.fixture
def delivery(settings, engine, vault) -> Delivery:
    with_template = replace(settings, twilio_whatsapp_template_sid=TEMPLATE_SID)
    return Delivery(make_session_factory(engine), vault, senders(with_template))


def person(engine, vault, recorder, channel: str, address: str, wrote_ago: timedelta, language="en") -> int:
    """A person who last wrote `wrote_ago`, as both the service and the fake platform know it."""
    recorder.person_wrote(address, utcnow() - wrote_ago)
    return add_contact(engine, vault, channel, address, wrote_ago=wrote_ago, language=language)


def test_the_fake_apis_refuse_free_text_outside_the_windows(settings, recorder):
    recorder.person_wrote(WHATSAPP, utcnow() - PAST_DAY)
    recorder.person_wrote(PSID, utcnow() - timedelta(days=8))
    clients = senders(settings)
    with pytest.raises(SendError) as whatsapp:
        clients["whatsapp"].send(WHATSAPP, Outgoing("hello"))
    with pytest.raises(SendError) as messenger:
        clients["messenger"].send(PSID, Outgoing("hello", from_staff=True))
    assert (whatsapp.value.detail, messenger.value.detail.split(":")[0]) == ("63016", "10/2018278")
    assert recorder.refused == [("whatsapp", WHATSAPP), ("messenger", PSID)] and recorder.sent == []


def test_inside_the_whatsapp_window_a_counsellor_reply_goes_as_text(delivery, engine, vault, recorder, stored):
    contact_id = person(engine, vault, recorder, "whatsapp", WHATSAPP, INSIDE_DAY)
    delivery.send_to_contact(contact_id, ["We are here."], Message.STAFF)
    assert recorder.to(WHATSAPP) == ["We are here."] and recorder.refused == []
    assert [(m.status, m.delivery_status) for m in outbound(stored)] == [(Message.SENT, "sent")]


def test_outside_the_whatsapp_window_the_reply_waits_and_the_template_goes_once(
    delivery, engine, vault, recorder, stored
):
    contact_id = person(engine, vault, recorder, "whatsapp", WHATSAPP, PAST_DAY, language="bn")
    delivery.send_to_contact(contact_id, ["We are here."], Message.STAFF)
    delivery.send_to_contact(contact_id, ["Are you safe?"], Message.STAFF)
    assert recorder.refused == []
    assert [(item["template"], item["text"]) for item in recorder.sent] == [(TEMPLATE_SID, "")]
    reply, template, second = outbound(stored)
    assert (reply.status, second.status) == (Message.HELD, Message.HELD)
    assert reply.delivery_status == "queued" and reply.attempts == 0
    assert template.as_template and template.sender == Message.GATEWAY and template.delivery_status == "sent"
    assert stored.text(template) == notice("counsellor_replied", "bn")


def test_held_replies_go_first_with_the_answer_to_the_persons_next_message(delivery, engine, vault, recorder):
    contact_id = person(engine, vault, recorder, "whatsapp", WHATSAPP, PAST_DAY)
    delivery.send_to_contact(contact_id, ["We are here."], Message.STAFF)
    recorder.reset()
    # The person writes again: the gateway stores their message and queues its answer (as Conversations does).
    new_message = add_inbound(engine, vault, contact_id)
    recorder.person_wrote(WHATSAPP, utcnow())
    with transaction(make_session_factory(engine)) as session:
        ids = delivery.queue(session, contact_id, "whatsapp", [Outgoing("Bot answer")], Message.BOT, new_message)
    delivery.deliver(ids)
    assert recorder.to(WHATSAPP) == ["We are here.", "Bot answer"] and recorder.refused == []


def test_without_a_template_the_notice_fails_and_the_reply_still_waits(settings, engine, vault, recorder, stored):
    delivery = Delivery(make_session_factory(engine), vault, senders(settings))
    contact_id = person(engine, vault, recorder, "whatsapp", WHATSAPP, PAST_DAY)
    delivery.send_to_contact(contact_id, ["We are here."], Message.STAFF)
    reply, template = outbound(stored)
    assert reply.status == Message.HELD and recorder.sent == [] and recorder.refused == []
    assert template.delivery_status == "failed" and "TWILIO_WHATSAPP_TEMPLATE_SID" in template.delivery_error


def test_outside_the_whatsapp_window_other_messages_fail_without_being_tried(delivery, engine, vault, recorder, stored):
    contact_id = person(engine, vault, recorder, "whatsapp", WHATSAPP, PAST_DAY)
    delivery.send_to_contact(contact_id, ["The bot answers again."], Message.GATEWAY)
    (message,) = outbound(stored)
    assert recorder.sent == [] and recorder.refused == []
    assert (message.status, message.delivery_status) == (Message.FAILED, "failed")
    assert "window" in message.delivery_error


@pytest.mark.parametrize(
    ("wrote_ago", "sender", "sent"),
    [
        (INSIDE_DAY, Message.BOT, {"tag": None}),
        (INSIDE_DAY, Message.STAFF, {"tag": "HUMAN_AGENT"}),
        (timedelta(days=3), Message.STAFF, {"tag": "HUMAN_AGENT"}),
        (timedelta(days=3), Message.BOT, None),
        (timedelta(days=8), Message.STAFF, None),
    ],
)
def test_messenger_takes_a_counsellor_for_seven_days_and_anything_else_for_one(
    delivery, engine, vault, recorder, stored, wrote_ago, sender, sent
):
    contact_id = person(engine, vault, recorder, "messenger", PSID, wrote_ago)
    delivery.send_to_contact(contact_id, ["Hello"], sender)
    (message,) = outbound(stored)
    assert recorder.refused == []
    if sent is None:
        assert recorder.sent == [] and message.delivery_status == "failed" and "window" in message.delivery_error
    else:
        assert [item.get("tag") for item in recorder.sent] == [sent["tag"]] and message.delivery_status == "sent"
