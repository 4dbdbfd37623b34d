"""Retention: `python -m bot purge --older-than Nd` deletes old messages, idle contacts and Rasa's old events."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import update

from bot.cli import purge
from bot.db import make_session_factory, transaction
from bot.models import Contact, Message, utcnow
from tests.e2e.test_gateway import tracker_events
from tests.e2e.test_twilio_sms import replies

pytestmark = pytest.mark.e2e


def age_everything_of(engine, days: int) -> None:
    with transaction(make_session_factory(engine)) as session:
        old = utcnow() - timedelta(days=days)
        session.execute(update(Message).values(created_at=old))
        session.execute(update(Contact).values(updated_at=old))


def test_purge_keeps_what_is_younger_than_the_retention_period(rasa_stack, engine, sms, stored, vault, capsys):
    replies(sms.send("how much for saudi"))
    age_everything_of(engine, 30)
    assert purge(rasa_stack, "90d") == 0
    assert "purged 0 messages and 0 contacts" in capsys.readouterr().out
    assert stored.count() == 2 and tracker_events(rasa_stack, vault.pseudonym("sms", sms.sender)) > 0


def test_purge_deletes_old_messages_idle_contacts_and_bot_history(rasa_stack, engine, sms, stored, vault, capsys):
    replies(sms.send("how much for malaysia"))
    age_everything_of(engine, 100)
    assert purge(rasa_stack, "0d") == 0
    assert "purged 2 messages and 1 contacts" in capsys.readouterr().out
    assert stored.count() == 0 and stored.contacts() == []
    assert tracker_events(rasa_stack, vault.pseudonym("sms", sms.sender)) == 0


def test_purge_refuses_an_unclear_age(settings, capsys):
    assert purge(settings, "3 months") == 2
    assert "number of days" in capsys.readouterr().err
