"""Faults with the real servers: Rasa or the action server stopped mid-conversation, the database gone or restarted.

Every inbound message must end answered, or recorded as failed or pending with a reason; none may vanish.
"""

from __future__ import annotations

import dataclasses
import os
from datetime import timedelta

import pytest
from sqlalchemy import create_engine, text

from bot.assembly import build_services
from bot.messaging.worker import RetryWorker
from bot.models import Message, utcnow
from tests.conftest import SmsSender, TelegramSender, start_action_server, start_rasa
from tests.e2e.test_twilio_sms import replies

pytestmark = pytest.mark.e2e
ON_POSTGRES = os.environ.get("DATABASE_URL", "").startswith("postgresql")


def run_worker(settings, hours: int = 1) -> int:
    """One pass of the retry worker, as if `hours` had passed."""
    gateway = build_services(settings)
    try:
        worker = RetryWorker(gateway.sessions, gateway.conversations, gateway.delivery)
        return worker.run_once(utcnow() + timedelta(hours=hours))
    finally:
        gateway.dispatcher.shutdown()
        gateway.engine.dispose()


def assert_nothing_vanished(stored) -> None:
    for message in stored.all():
        if message.direction == Message.INBOUND:
            assert message.status in (Message.ANSWERED, Message.FAILED, Message.PENDING), message.status
            assert message.status == Message.ANSWERED or message.error


def test_rasa_killed_mid_conversation_and_restarted(rasa_stack, supervisor, sms, recorder, stored):
    (menu,) = replies(sms.send("menu"))
    assert "\n1 Fees" in menu
    supervisor.stop("rasa")
    try:
        (apology,) = replies(sms.send("1"))
        assert "reply soon" in apology
        assert_nothing_vanished(stored)
        assert stored.count(Message.status == Message.PENDING) == 1
    finally:
        start_rasa(rasa_stack, supervisor)
    assert run_worker(rasa_stack) == 1
    assert any("pay for a job" in text for text in recorder.to(sms.sender))
    assert_nothing_vanished(stored)
    assert stored.count(Message.status == Message.PENDING) == 0


def test_action_server_down_then_back(rasa_stack, supervisor, sms, recorder, stored):
    supervisor.stop("action-server")
    try:
        (apology,) = replies(sms.send("how much should i pay for saudi arabia"))
        assert "reply soon" in apology
        (pending,) = [m for m in stored.all() if m.direction == Message.INBOUND]
        assert pending.status == Message.PENDING and pending.error
    finally:
        start_action_server(rasa_stack, supervisor)
    run_worker(rasa_stack)
    assert any("1,65,000" in text for text in recorder.to(sms.sender))
    assert_nothing_vanished(stored)


def test_database_down_gets_an_apology_or_a_retry_request_never_a_500(settings, make_app):
    gone = make_app(dataclasses.replace(settings, database_url="postgresql://postgres@127.0.0.1:1/none"))
    (apology,) = replies(SmsSender(gone.test_client()).send("how much for saudi"))
    assert "send it again" in apology
    assert TelegramSender(gone.test_client()).send("hello").status_code == 503


@pytest.mark.skipif(not ON_POSTGRES, reason="a database server restart needs PostgreSQL (make test-postgres runs it)")
def test_database_restart_between_messages_loses_nothing(rasa_stack, app, sms, stored):
    assert replies(sms.send("hello"))
    admin = create_engine(os.environ["DATABASE_URL"].rsplit("/", 1)[0] + "/postgres", future=True)
    with admin.begin() as connection:
        # What a restart does to every open connection of the service.
        connection.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = :name AND pid <> pg_backend_pid()"
            ),
            {"name": os.environ["DATABASE_URL"].rsplit("/", 1)[1]},
        )
    admin.dispose()
    assert replies(sms.send("how much for malaysia"))
    assert_nothing_vanished(stored)
    assert stored.count(Message.direction == Message.INBOUND) == 2
