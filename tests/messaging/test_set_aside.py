"""A message whose processing is lost twice (a crash, a killed worker) is set aside for staff, not retried forever."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import update

from bot.db import make_session_factory, transaction
from bot.messaging.worker import INTERRUPTED, SET_ASIDE, RetryWorker
from bot.models import Contact, Message, utcnow


class CrashingConversations:
    """Claims the message as the real one does, then its process dies (here: an exception) before answering."""

    def __init__(self, sessions) -> None:
        self.sessions, self.tried = sessions, []

    def process(self, message_id: int):
        self.tried.append(message_id)
        with transaction(self.sessions) as session:
            claim = (
                update(Message).where(Message.id == message_id).values(status=Message.PROCESSING, updated_at=utcnow())
            )
            session.execute(claim)
        raise MemoryError("the process died on this message")


class NoDelivery:
    def send_answer(self, _answer) -> None:
        raise AssertionError("nothing may be answered")

    def retry_due(self, _now) -> None:
        pass


def test_a_message_lost_twice_is_set_aside_with_the_reason(engine, vault):
    sessions = make_session_factory(engine)
    with transaction(sessions) as session:
        contact = Contact(channel="sms", pseudonym="set-aside", address_encrypted=vault.encrypt("+8801711000002"))
        session.add(contact)
        session.flush()
        long_ago = utcnow() - timedelta(minutes=5)
        message = Message(contact_id=contact.id, direction="in", channel="sms", status=Message.PROCESSING,
                          text_encrypted=vault.encrypt("x" * 10_000), updated_at=long_ago)  # fmt: skip
        session.add(message)
        session.flush()
        message_id = message.id
    conversations = CrashingConversations(sessions)
    worker = RetryWorker(sessions, conversations, NoDelivery())

    with pytest.raises(MemoryError):
        worker.run_once(utcnow())  # lost once: tried again, and lost again
    with sessions() as session:
        assert session.get(Message, message_id).error == INTERRUPTED
    assert worker.run_once(utcnow() + timedelta(minutes=5)) == 0
    assert worker.run_once(utcnow() + timedelta(hours=1)) == 0
    assert conversations.tried == [message_id]
    with sessions() as session:
        stored = session.get(Message, message_id)
        assert (stored.status, stored.error) == (Message.FAILED, SET_ASIDE)
        assert vault.decrypt(stored.text_encrypted) == "x" * 10_000  # kept whole for staff
