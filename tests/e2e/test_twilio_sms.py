"""End to end: signed SMS through the webhook to the real Rasa server and action server, and back as TwiML."""

from __future__ import annotations

import dataclasses
import xml.etree.ElementTree as ET

import pytest
import requests

from bot.channels.twilio_signing import signature, sms_form
from bot.db import make_session_factory
from bot.models import Message
from bot.ops.processes import webhook_spec
from bot.topics.registry import import_csv
from tests.conftest import PUBLIC_BASE_URL, SMS_PATH, TWILIO_AUTH_TOKEN, free_port
from tests.topics.test_agency_answers import SAMPLE

pytestmark = pytest.mark.e2e


def replies(response) -> list[str]:
    """The texts of the <Message> elements of a TwiML answer."""
    assert response.status_code == 200
    assert response.mimetype == "application/xml"
    return [element.text or "" for element in ET.fromstring(response.data).iter("Message")]


def test_greeting_is_answered(rasa_stack, sms, stored):
    texts = replies(sms.send("hello"))
    assert len(texts) == 1
    assert "MENU" in texts[0]
    assert stored.count(Message.direction == Message.INBOUND, Message.status == Message.ANSWERED) == 1
    assert stored.count(Message.direction == Message.OUTBOUND) == 1


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("how much should I pay to go to saudi arabia", "1,65,000"),
        ("agent asking 4 lakh for malaysia is it ok??", "78,990"),
        ("what is the cost to go abroad", "employer"),
    ],
)
def test_fee_question_gets_the_government_ceiling(rasa_stack, sms, question, expected):
    texts = replies(sms.send(question))
    assert any(expected in text for text in texts), texts
    # The principle is on the first page or, after a country's figure, on the page MORE brings.
    if not any("pay for a job" in text for text in texts):
        texts = replies(sms.send("MORE"))
    assert any("pay for a job" in text for text in texts), texts


def test_forged_signature_is_refused_and_nothing_stored(sms, stored):
    response = sms.send("hello", forged=True)
    assert response.status_code == 403
    assert stored.count() == 0
    assert stored.contacts() == []


def test_missing_signature_is_refused(client, stored):
    response = client.post(SMS_PATH, data=sms_form("+8801711000001", "hello"))
    assert response.status_code == 403
    assert stored.count() == 0


def test_signature_for_another_url_is_refused(client, stored):
    form = sms_form("+8801711000001", "hello")
    headers = {"X-Twilio-Signature": signature(TWILIO_AUTH_TOKEN, "https://other.example.org" + SMS_PATH, form)}
    assert client.post(SMS_PATH, data=form, headers=headers).status_code == 403
    assert stored.count() == 0


def test_same_message_sid_twice_is_answered_once(rasa_stack, sms, stored):
    first = replies(sms.send("hi", sid="SM" + "a" * 32))
    second = replies(sms.send("hi", sid="SM" + "a" * 32))
    assert first and second == []
    assert stored.count(Message.direction == Message.INBOUND) == 1
    assert stored.count(Message.direction == Message.OUTBOUND) == len(first)


def test_empty_body_gets_a_clear_answer(sms, stored):
    texts = replies(sms.send("   "))
    assert texts and "as text" in texts[0]
    assert stored.count(Message.status == Message.ANSWERED) == 1


def test_long_body_is_stored_whole_and_answered(rasa_stack, sms, stored):
    body = ("my broker wants money for saudi visa how much is legal " * 100)[:5000]
    texts = replies(sms.send(body))
    assert texts
    inbound = [m for m in stored.all() if m.direction == Message.INBOUND]
    assert len(inbound) == 1 and stored.text(inbound[0]) == body


def test_missing_fields_are_a_bad_request(client, stored):
    form = {"Body": "hello"}
    headers = {"X-Twilio-Signature": signature(TWILIO_AUTH_TOKEN, PUBLIC_BASE_URL + SMS_PATH, form)}
    assert client.post(SMS_PATH, data=form, headers=headers).status_code == 400
    assert stored.count() == 0


def test_rasa_down_apologises_and_keeps_the_message_for_the_retry_worker(settings, make_app, stored):
    dead_rasa = dataclasses.replace(settings, rasa_url=f"http://127.0.0.1:{free_port()}")
    client = make_app(dead_rasa).test_client()
    form = sms_form("+8801711000002", "how much for saudi")
    headers = {"X-Twilio-Signature": signature(TWILIO_AUTH_TOKEN, PUBLIC_BASE_URL + SMS_PATH, form)}
    texts = replies(client.post(SMS_PATH, data=form, headers=headers))
    assert texts and "Sorry" in texts[0]
    message = stored.all()[0]
    assert message.status == Message.PENDING and message.attempts == 1 and message.next_attempt_at
    assert "bot unavailable" in message.error
    assert stored.text(message) == "how much for saudi"


def test_phone_number_is_stored_encrypted(rasa_stack, sms, stored, vault):
    sms.send("hello", sender="+8801799999999")
    (contact,) = stored.contacts()
    assert "8801799999999" not in contact.address_encrypted
    assert vault.decrypt(contact.address_encrypted) == "+8801799999999"
    assert contact.pseudonym == vault.pseudonym("sms", "+8801799999999")


def test_webhook_under_gunicorn_answers_signed_sms_and_reports_readiness(rasa_stack, supervisor, engine):
    port = free_port()
    supervisor.start(webhook_spec(port, workers=1))
    try:
        ready = requests.get(f"http://127.0.0.1:{port}/ready", timeout=10)
        assert ready.status_code == 200
        report = ready.json()
        assert (report["database"], report["rasa"], report["action_server"]) == ("ok", "ok", "ok")
        assert report["registry"]["status"] == "empty"
        form = sms_form("+8801711000003", "how much money for malaysia")
        headers = {"X-Twilio-Signature": signature(TWILIO_AUTH_TOKEN, PUBLIC_BASE_URL + SMS_PATH, form)}
        response = requests.post(f"http://127.0.0.1:{port}{SMS_PATH}", data=form, headers=headers, timeout=30)
        assert response.status_code == 200
        assert "78,990" in response.text
    finally:
        supervisor.stop("webhook")


def test_ready_reports_rasa_down_while_health_stays_live(settings, make_app):
    dead_rasa = dataclasses.replace(settings, rasa_url=f"http://127.0.0.1:{free_port()}")
    client = make_app(dead_rasa).test_client()
    response = client.get("/ready")
    assert response.status_code == 503
    assert "down" in response.get_json()["rasa"]
    assert response.get_json()["database"] == "ok"
    assert client.get("/health").status_code == 200


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("is Al Noor Overseas licensed?", "30/06/2027"),
        ("RL 1234 ki thik ache?", "30/06/2027"),
        ("RL-2001 agency valid?", "expired"),
    ],
)
def test_agency_questions_are_answered_from_the_registry(rasa_stack, engine, sms, question, expected):
    import_csv(make_session_factory(engine), SAMPLE)
    texts = replies(sms.send(question))
    assert texts and expected in texts[0], texts


def test_an_ambiguous_agency_name_gets_a_numbered_choice(rasa_stack, engine, sms):
    import_csv(make_session_factory(engine), SAMPLE)
    (question,) = replies(sms.send("is green star agency licensed?"))
    assert "1 Green Star" in question and "2 Green Star" in question
    chosen = "RL-2002" if "1 Green Star International" in question else "RL-2001"
    (answer,) = replies(sms.send("2"))
    assert f"({chosen})" in answer
