"""End to end per channel adapter (SMS, WhatsApp, Telegram, Messenger): valid, forged, replayed, malformed requests."""

from __future__ import annotations

import json
import logging

import pytest
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from bot.channels.twilio_signing import signature
from bot.models import Message
from tests.conftest import (
    MESSENGER_PATH,
    MESSENGER_VERIFY_TOKEN,
    PUBLIC_BASE_URL,
    SMS_PATH,
    TELEGRAM_PATH,
    TWILIO_AUTH_TOKEN,
    finish_background_work,
)
from tests.e2e.test_twilio_sms import replies

pytestmark = pytest.mark.e2e

HOSTILE_TEXTS = [
    "<script>alert(1)</script> visa?",
    "'; DROP TABLE messages; --",
    "😀😀😀",
    "visa " * 2000,
]


# Telegram


def test_telegram_message_is_answered_through_the_bot_api(rasa_stack, app, telegram, recorder, stored):
    assert telegram.send("how much should I pay to go to saudi arabia").status_code == 200
    finish_background_work(app)
    assert {(item["channel"], item["to"]) for item in recorder.sent} == {("telegram", str(telegram.chat_id))}
    assert any("1,65,000" in item["text"] for item in recorder.sent)
    assert stored.count(Message.direction == Message.INBOUND, Message.status == Message.ANSWERED) == 1


def test_telegram_menu_has_inline_buttons_and_a_press_is_answered(rasa_stack, app, telegram, recorder):
    telegram.send("menu")
    (menu,) = recorder.wait_for(1)
    assert ("Visa", "/ask_visa") in menu["buttons"]
    telegram.press("/ask_visa")
    assert "visa" in recorder.wait_for(2)[1]["text"].lower()


@pytest.mark.parametrize("secret", ["", "wrong-secret"])
def test_telegram_update_without_the_secret_token_is_refused_and_nothing_stored(telegram, stored, secret):
    update = {"update_id": 1, "message": {"chat": {"id": 1}, "text": "hi"}}
    assert telegram.post(update, secret=secret).status_code == 403
    assert stored.count() == 0


def test_telegram_replayed_update_is_answered_once(rasa_stack, app, telegram, recorder, stored):
    telegram.send("hello", update_id=777)
    telegram.send("hello", update_id=777)
    finish_background_work(app)
    assert len(recorder.sent) == 1
    assert stored.count(Message.direction == Message.INBOUND) == 1


@pytest.mark.parametrize(
    "update",
    [
        {"message": {"chat": {"id": 1}, "text": "no update id"}},
        {"update_id": 5, "message": {"text": "no chat"}},
        {"update_id": 6, "message": {"chat": {"id": 1}, "text": {"not": "a string"}}},
        ["a", "list"],
    ],
)
def test_malformed_telegram_updates_are_bad_requests(telegram, stored, update):
    assert telegram.post(update).status_code == 400
    assert stored.count() == 0


def test_telegram_body_that_is_not_json_is_a_bad_request(client, stored):
    headers = {"X-Telegram-Bot-Api-Secret-Token": "test-telegram-secret", "Content-Type": "application/json"}
    for body in (b"\xff\xfe not utf-8", b"update_id=1"):
        assert client.post(TELEGRAM_PATH, data=body, headers=headers).status_code == 400
    assert stored.count() == 0


def test_telegram_updates_that_are_not_messages_are_accepted_and_ignored(telegram, stored):
    assert telegram.post({"update_id": 9, "edited_message": {"chat": {"id": 1}, "text": "x"}}).status_code == 200
    assert stored.count() == 0


def test_telegram_photo_without_text_gets_the_text_only_notice(app, telegram, recorder):
    telegram.send("", photo=[{"file_id": "abc", "width": 90, "height": 90}])
    assert "text only" in recorder.wait_for(1)[0]["text"]


@pytest.mark.parametrize("text", HOSTILE_TEXTS, ids=["html", "sql", "emoji", "10kB"])
def test_hostile_telegram_texts_are_stored_verbatim_and_answered(rasa_stack, app, telegram, recorder, stored, text):
    assert telegram.send(text).status_code == 200
    finish_background_work(app)
    inbound = stored.all()[0]
    assert stored.text(inbound) == text and inbound.status == Message.ANSWERED
    assert recorder.sent and recorder.sent[0]["text"]


# Messenger


def test_messenger_subscription_handshake(client):
    query = {"hub.mode": "subscribe", "hub.verify_token": MESSENGER_VERIFY_TOKEN, "hub.challenge": "1158201444"}
    response = client.get(MESSENGER_PATH, query_string=query)
    assert response.status_code == 200 and response.text == "1158201444"
    wrong = {**query, "hub.verify_token": "guess"}
    assert client.get(MESSENGER_PATH, query_string=wrong).status_code == 403


def test_messenger_message_is_answered_through_the_send_api(rasa_stack, app, messenger, recorder, stored):
    assert messenger.send("what documents do i need for going abroad").status_code == 200
    finish_background_work(app)
    assert {(item["channel"], item["to"]) for item in recorder.sent} == {("messenger", messenger.psid)}
    assert any("passport" in item["text"].lower() for item in recorder.sent)
    assert stored.count(Message.direction == Message.INBOUND, Message.status == Message.ANSWERED) == 1


def test_messenger_menu_has_quick_replies_and_a_quick_reply_is_answered(rasa_stack, messenger, recorder):
    messenger.send("menu")
    assert ("Visa", "/ask_visa") in recorder.wait_for(1)[0]["buttons"]
    messenger.send("Visa", quick_reply={"payload": "/ask_visa"})
    assert "visa" in recorder.wait_for(2)[1]["text"].lower()


@pytest.mark.parametrize("secret", ["wrong-secret", ""])
def test_messenger_event_with_a_bad_signature_is_refused_and_nothing_stored(messenger, stored, secret):
    body = json.dumps({"object": "page", "entry": []}).encode()
    assert messenger.post(body, secret=secret).status_code == 403
    assert stored.count() == 0


def test_messenger_event_without_a_signature_is_refused(client, stored):
    assert client.post(MESSENGER_PATH, json={"object": "page", "entry": []}).status_code == 403
    assert stored.count() == 0


def test_messenger_replayed_event_is_answered_once(rasa_stack, app, messenger, recorder, stored):
    messenger.send("hello", mid="m_replayed")
    messenger.send("hello", mid="m_replayed")
    finish_background_work(app)
    assert len(recorder.sent) == 1
    assert stored.count(Message.direction == Message.INBOUND) == 1


@pytest.mark.parametrize(
    "body",
    [
        b"\xff\xfe not utf-8",
        b"not json",
        json.dumps({"object": "user", "entry": []}).encode(),
        json.dumps(
            {"object": "page", "entry": [{"messaging": [{"message": {"mid": "m1", "text": "no sender"}}]}]}
        ).encode(),
        json.dumps({"object": "page", "entry": [{"messaging": ["junk"]}]}).encode(),
    ],
)
def test_malformed_messenger_bodies_are_bad_requests(messenger, stored, body):
    assert messenger.post(body).status_code == 400
    assert stored.count() == 0


def test_messenger_echoes_are_ignored(messenger, stored):
    assert messenger.send("our own reply", is_echo=True).status_code == 200
    assert stored.count() == 0


def test_messenger_attachment_without_text_gets_the_text_only_notice(app, messenger, recorder):
    messenger.send(None, attachments=[{"type": "audio", "payload": {"url": "https://example.org/a.mp4"}}])
    assert "text only" in recorder.wait_for(1)[0]["text"]


# WhatsApp through Twilio


def test_whatsapp_message_is_answered_in_twiml(rasa_stack, whatsapp, stored):
    (text,) = replies(whatsapp.send("how much for malaysia"))
    assert "78,990" in text
    (contact,) = stored.contacts()
    assert contact.channel == "whatsapp"


def test_whatsapp_menu_is_numbered_and_a_digit_picks_the_topic(rasa_stack, whatsapp):
    (menu,) = replies(whatsapp.send("menu"))
    assert "\n2 Visa" in menu
    (answer,) = replies(whatsapp.send("2"))
    assert "visa" in answer.lower()


def test_an_sms_number_on_the_whatsapp_route_is_a_bad_request(whatsapp, stored):
    assert whatsapp.send("hi", sender="+8801711000099").status_code == 400
    assert stored.count() == 0


def test_forged_whatsapp_request_is_refused(whatsapp, stored):
    assert whatsapp.send("hi", forged=True).status_code == 403
    assert stored.count() == 0


# SMS through Twilio


@pytest.mark.parametrize("text", HOSTILE_TEXTS, ids=["html", "sql", "emoji", "10kB"])
def test_hostile_sms_texts_are_stored_verbatim_and_answered(rasa_stack, sms, stored, text):
    assert replies(sms.send(text))
    inbound = stored.all()[0]
    assert stored.text(inbound) == text and inbound.status == Message.ANSWERED


def test_sms_with_invalid_utf8_is_answered_not_a_500(rasa_stack, client, stored):
    raw = b"MessageSid=SMbad&From=%2B8801711000077&To=%2B15005550006&NumMedia=0&Body=visa%FF%FE%20koto"
    form_type = "application/x-www-form-urlencoded"
    # Signed over the parameters as the service reads them, so the request passes the signature check.
    decoded = Request(EnvironBuilder(method="POST", data=raw, content_type=form_type).get_environ()).form.to_dict()
    headers = {"X-Twilio-Signature": signature(TWILIO_AUTH_TOKEN, PUBLIC_BASE_URL + SMS_PATH, decoded)}
    response = client.post(SMS_PATH, data=raw, headers={**headers, "Content-Type": form_type})
    assert response.status_code == 200 and replies(response)
    assert stored.text(stored.all()[0]) == decoded["Body"]


def test_sms_posted_as_json_is_refused_and_nothing_stored(client, stored):
    response = client.post(SMS_PATH, json={"From": "+8801711000078", "Body": "hi", "MessageSid": "SMjson"})
    assert response.status_code == 403
    assert stored.count() == 0


def test_no_log_line_holds_a_number_a_chat_id_or_a_message_text(rasa_stack, app, sms, telegram, messenger, caplog):
    secret_words = "my employer keeps my passport in dubai"
    with caplog.at_level(logging.INFO):
        sms.send(secret_words)
        telegram.send(secret_words)
        messenger.send(secret_words)
        telegram.send("x", update_id=1)
        telegram.send("x", update_id=1)  # a duplicate is logged
        finish_background_work(app)
    logged = caplog.text
    assert "duplicate" in logged
    for secret in (sms.sender.lstrip("+"), str(telegram.chat_id), messenger.psid, "keeps my passport"):
        assert secret not in logged


def test_non_ascii_tokens_and_signatures_are_refused_not_crashing(client, stored):
    query = {"hub.mode": "subscribe", "hub.verify_token": "টোকেন", "hub.challenge": "1"}
    assert client.get(MESSENGER_PATH, query_string=query).status_code == 403
    headers = {"X-Hub-Signature-256": "sha256=টোকেন"}
    assert client.post(MESSENGER_PATH, json={"object": "page", "entry": []}, headers=headers).status_code == 403
    telegram = {"X-Telegram-Bot-Api-Secret-Token": "টোকেন"}
    assert client.post("/channels/telegram", json={"update_id": 1}, headers=telegram).status_code in (400, 403)
    assert stored.count() == 0
