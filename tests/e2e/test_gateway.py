"""End to end: opt-out, erasure, menus, flood limit, and replies that travel later by API (slow or absent bot)."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest

from bot.assembly import build_services
from bot.messaging.worker import RetryWorker
from bot.models import Message, utcnow
from tests.conftest import SmsSender, TelegramSender, finish_background_work, free_port, tracker_query
from tests.e2e.test_twilio_sms import replies

pytestmark = pytest.mark.e2e


def tracker_events(settings, sender_id: str) -> int:
    """Rasa's stored events for one conversation."""
    ((count,),) = tracker_query(settings, "SELECT count(*) FROM events WHERE sender_id = :sender", sender=sender_id)
    return count


def test_after_stop_nothing_is_sent_on_any_path(rasa_stack, app, telegram, recorder, stored):
    telegram.send("STOP")
    assert "START" in recorder.wait_for(1)[0]["text"]
    telegram.send("how much for saudi?")
    telegram.send("hello?")
    finish_background_work(app)
    assert len(recorder.sent) == 1
    assert stored.count(Message.direction == Message.INBOUND, Message.status == Message.IGNORED) == 2


def test_delete_erases_the_person_everywhere_after_confirmation(rasa_stack, settings, sms, stored, vault):
    replies(sms.send("how much for saudi"))
    pseudonym = vault.pseudonym("sms", sms.sender)
    assert tracker_events(settings, pseudonym) > 0
    (question,) = replies(sms.send("DELETE"))
    assert "YES" in question
    (confirmation,) = replies(sms.send("yes"))
    assert "erased" in confirmation
    assert stored.count() == 0 and stored.contacts() == []
    assert tracker_events(settings, pseudonym) == 0


def test_delete_in_bengali_is_confirmed_in_bengali_and_anything_else_keeps_the_data(rasa_stack, sms, stored):
    (question,) = replies(sms.send("মুছুন"))
    assert "YES" in question and "মুছে" in question
    assert replies(sms.send("না, ভিসার কথা বলুন"))
    assert stored.contacts() and stored.count(Message.direction == Message.INBOUND) == 2


def test_sms_menu_digits_map_back_to_the_buttons_of_that_conversation(rasa_stack, sms):
    (menu,) = replies(sms.send("MENU"))
    assert "\n1 Fees" in menu and "\n2 Visa" in menu
    (fees,) = replies(sms.send("1"))
    assert "pay for a job" in fees


def test_a_digit_without_an_open_menu_goes_to_the_bot_which_offers_the_menu(rasa_stack, sms, stored):
    (answer,) = replies(sms.send("2"))
    assert "MENU" in answer and "visa" not in answer.lower()
    assert stored.count(Message.direction == Message.INBOUND, Message.status == Message.ANSWERED) == 1


def test_bengali_menu_takes_a_bengali_digit(rasa_stack, sms):
    (menu,) = replies(sms.send("মেনু"))
    assert "২ ভিসা" in menu
    (answer,) = replies(sms.send("২"))
    assert "ভিসা" in answer


def test_a_flood_from_one_number_gets_one_notice(settings, sms, stored):
    answers = [replies(sms.send("HELP")) for _ in range(settings.rate_limit_per_minute + 6)]
    assert all(texts and "Hotline" in texts[0] for texts in answers[: settings.rate_limit_per_minute])
    notices = [texts for texts in answers[settings.rate_limit_per_minute :] if texts]
    assert len(notices) == 1 and "wait a minute" in notices[0][0]
    assert stored.count(Message.direction == Message.INBOUND) == settings.rate_limit_per_minute + 6
    assert stored.count(Message.status == Message.IGNORED, Message.error == "rate limited") == 6


def test_stop_still_works_during_a_flood(settings, sms):
    for _ in range(settings.rate_limit_per_minute + 2):
        sms.send("HELP")
    (stopped,) = replies(sms.send("STOP"))
    assert "START" in stopped


def test_a_slow_bot_answers_an_sms_later_through_the_api(rasa_stack, settings, make_app, recorder, stored):
    impatient = make_app(dataclasses.replace(settings, sync_reply_seconds=0.001))
    sms = SmsSender(impatient.test_client())
    assert replies(sms.send("how much should I pay for malaysia")) == []
    (sent,) = recorder.wait_for(1)
    assert sent["to"] == sms.sender and "78,990" in sent["text"]
    finish_background_work(impatient)
    assert stored.count(Message.direction == Message.OUTBOUND, Message.status == Message.SENT) == 1


def test_messages_kept_while_the_bot_is_down_are_answered_by_the_worker(rasa_stack, settings, make_app, recorder):
    dead_rasa = make_app(dataclasses.replace(settings, rasa_url=f"http://127.0.0.1:{free_port()}"))
    sms, telegram = SmsSender(dead_rasa.test_client()), TelegramSender(dead_rasa.test_client())
    (apology,) = replies(sms.send("how much should I pay for saudi arabia"))
    assert "reply soon" in apology
    telegram.send("what documents do i need")
    finish_background_work(dead_rasa)
    assert [item["to"] for item in recorder.sent] == [str(telegram.chat_id)]
    gateway = build_services(settings)
    try:
        worker = RetryWorker(gateway.sessions, gateway.conversations, gateway.delivery)
        assert worker.run_once(utcnow() + timedelta(hours=1)) == 2
    finally:
        gateway.dispatcher.shutdown()
        gateway.engine.dispose()
    assert any("1,65,000" in text for text in recorder.to(sms.sender))
    (_, documents) = recorder.to(str(telegram.chat_id))
    assert "passport" in documents.lower()
