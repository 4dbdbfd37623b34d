"""Outbound delivery against the fake APIs: sent once, retried with backoff, never to someone who opted out."""

import re
import threading
from datetime import timedelta

import pytest

from bot.channels import senders
from bot.channels.base import Button, Outgoing
from bot.db import make_session_factory, transaction
from bot.messaging.delivery import SENDING_TIMEOUT, Delivery, backoff
from bot.models import Message, utcnow
from tests.conftest import PUBLIC_BASE_URL
from tests.contacts import add_contact, outbound


@pytest.fixture
def delivery(settings, engine, vault) -> Delivery:
    return Delivery(make_session_factory(engine), vault, senders(settings))


STATUS_CALLBACK = {"status_callback": PUBLIC_BASE_URL + "/channels/twilio/status"}


@pytest.mark.parametrize(
    ("channel", "address", "extra"),
    [
        ("sms", "+8801711000010", STATUS_CALLBACK),
        ("whatsapp", "whatsapp:+8801711000011", STATUS_CALLBACK),
        ("telegram", "5550001", {}),
        ("messenger", "77", {"tag": "HUMAN_AGENT"}),
    ],
)
def test_a_message_to_a_contact_goes_out_through_its_channel_api(
    delivery, engine, vault, recorder, stored, channel, address, extra
):
    contact_id = add_contact(engine, vault, channel, address)
    (message_id,) = delivery.send_to_contact(contact_id, ["Hello from the hotline"], Message.STAFF)
    expected = {"channel": channel, "to": address, "text": "Hello from the hotline", "buttons": [], **extra}
    assert recorder.sent == [expected]
    (message,) = outbound(stored)
    assert message.id == message_id and message.status == Message.SENT and message.sender == Message.STAFF
    assert message.delivery_status == "sent" and message.external_id
    assert "Hello" not in message.text_encrypted


def test_delivering_twice_sends_once(delivery, engine, vault, recorder):
    contact_id = add_contact(engine, vault, "sms", "+8801711000012")
    ids = delivery.send_to_contact(contact_id, ["once"], Message.BOT)
    delivery.deliver(ids)
    delivery.retry_due(utcnow() + timedelta(days=1))
    assert len(recorder.sent) == 1


def test_concurrent_senders_send_a_queued_message_once(delivery, engine, vault, recorder):
    contact_id = add_contact(engine, vault, "telegram", "5550002")
    with transaction(make_session_factory(engine)) as session:
        ids = delivery.queue(session, contact_id, "telegram", [Outgoing(f"m{n}") for n in range(5)], Message.BOT)
    threads = [threading.Thread(target=delivery.deliver, args=(ids,)) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(item["text"] for item in recorder.sent) == [f"m{n}" for n in range(5)]


def test_a_server_error_is_retried_after_a_backoff(delivery, engine, vault, recorder, stored):
    contact_id = add_contact(engine, vault, "sms", "+8801711000013")
    recorder.fail_next(503)
    delivery.send_to_contact(contact_id, ["retry me"], Message.BOT)
    (message,) = outbound(stored)
    assert message.status == Message.QUEUED and message.attempts == 1 and "503" in message.error
    assert delivery.retry_due() == 0 and recorder.sent == []
    assert delivery.retry_due(utcnow() + backoff(1) + timedelta(seconds=1)) == 1
    assert recorder.to("+8801711000013") == ["retry me"]
    assert outbound(stored)[0].status == Message.SENT


def test_a_refused_message_fails_at_once_with_the_reason(delivery, engine, vault, recorder, stored):
    contact_id = add_contact(engine, vault, "messenger", "78")
    recorder.fail_next(400)
    delivery.send_to_contact(contact_id, ["bad"], Message.BOT)
    (message,) = outbound(stored)
    assert message.status == Message.FAILED and "HTTP 400" in message.error


def test_retries_end_in_failure_with_a_reason(delivery, engine, vault, recorder, stored):
    contact_id = add_contact(engine, vault, "sms", "+8801711000014")
    recorder.fail_next(*[500] * 10)
    delivery.send_to_contact(contact_id, ["never"], Message.BOT)
    moment = utcnow()
    for _ in range(10):
        moment += timedelta(hours=2)
        delivery.retry_due(moment)
    (message,) = outbound(stored)
    assert message.status == Message.FAILED and "gave up after 6 attempts" in message.error


def test_nothing_but_the_stop_confirmation_reaches_someone_who_opted_out(delivery, engine, vault, recorder, stored):
    contact_id = add_contact(engine, vault, "sms", "+8801711000015", opted_out=True)
    delivery.send_to_contact(contact_id, ["counsellor reply"], Message.STAFF)
    delivery.send_to_contact(contact_id, ["You will get no more messages"], Message.GATEWAY)
    assert recorder.to("+8801711000015") == ["You will get no more messages"]
    assert outbound(stored)[0].status == Message.IGNORED


def test_a_message_left_mid_send_is_failed_not_resent(delivery, engine, vault, recorder, stored):
    contact_id = add_contact(engine, vault, "sms", "+8801711000016")
    with transaction(make_session_factory(engine)) as session:
        (message_id,) = delivery.queue(session, contact_id, "sms", [Outgoing("maybe sent")], Message.BOT)
        session.get(Message, message_id).status = Message.SENDING
    delivery.retry_due(utcnow() + SENDING_TIMEOUT + timedelta(minutes=1))
    assert recorder.sent == []
    (message,) = outbound(stored)
    assert message.status == Message.FAILED and "not resent" in message.error


def test_buttons_reach_telegram_as_inline_buttons(delivery, engine, vault, recorder):
    contact_id = add_contact(engine, vault, "telegram", "5550003")
    with transaction(make_session_factory(engine)) as session:
        ids = delivery.queue(
            session, contact_id, "telegram", [Outgoing("Pick", (Button("Visa", "/ask_visa"),))], Message.BOT
        )
    delivery.deliver(ids)
    assert recorder.sent[0]["buttons"] == [("Visa", "/ask_visa")]


@pytest.mark.parametrize(("channel", "address"), [("telegram", "5550004"), ("messenger", "79")])
def test_the_api_result_is_stored_sent_with_its_id_or_failed_with_its_error(
    delivery, engine, vault, recorder, stored, channel, address
):
    contact_id = add_contact(engine, vault, channel, address)
    delivery.send_to_contact(contact_id, ["first"], Message.BOT)
    recorder.fail_next(403)
    delivery.send_to_contact(contact_id, ["second"], Message.BOT)
    sent, refused = outbound(stored)
    assert sent.delivery_status == "sent" and sent.delivery_error is None
    # Telegram numbers messages per chat: its id is stored with the person's, to stay unique.
    assert re.fullmatch(rf"{contact_id}:\d+" if channel == "telegram" else r"m_\d+", sent.external_id)
    assert (refused.status, refused.delivery_status, refused.external_id) == (Message.FAILED, "failed", None)
    assert refused.delivery_error == ("403: failure" if channel == "telegram" else "failure")
