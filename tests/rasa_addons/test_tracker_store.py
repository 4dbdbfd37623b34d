"""The encrypting tracker store: Rasa's events reach the database as Fernet tokens and come back whole."""

from __future__ import annotations

import asyncio
import json
import uuid

import pytest
from cryptography.fernet import Fernet
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy import text

from bot.db import make_engine
from rasa_addons.tracker_store import EncryptingSQLTrackerStore, TrackerKeyError

WORDS = "they took my passport পাসপোর্ট নিয়ে গেছে"
REPLY = "Call the hotline now"


@pytest.fixture
def store(settings):
    keys = ",".join(settings.tracker_encryption_keys)
    tracker_store = EncryptingSQLTrackerStore(
        host=settings.tracker_database_url, domain=Domain.empty(), encryption_keys=keys
    )
    yield tracker_store
    tracker_store.engine.dispose()


def conversation(sender: str) -> DialogueStateTracker:
    events = [
        ActionExecuted("action_session_start"),
        SessionStarted(),
        ActionExecuted("action_listen"),
        UserUttered(WORDS, {"name": "report_abuse", "confidence": 0.9}),
        BotUttered(REPLY),
    ]
    return DialogueStateTracker.from_events(sender, events)


def stored_rows(settings, sender: str) -> list[tuple[str, str | None, str]]:
    engine = make_engine(settings.tracker_database_url)
    try:
        with engine.connect() as connection:
            query = text("SELECT type_name, intent_name, data FROM events WHERE sender_id = :s ORDER BY id")
            return [tuple(row) for row in connection.execute(query, {"s": sender})]
    finally:
        engine.dispose()


def test_words_and_replies_are_stored_encrypted_and_read_back_whole(store, settings):
    sender = f"enc-{uuid.uuid4().hex[:8]}"
    asyncio.run(store.save(conversation(sender)))
    rows = stored_rows(settings, sender)
    assert [row[0] for row in rows] == ["action", "session_started", "action", "user", "bot"]
    for _type, _intent, data in rows:
        assert data.startswith("gAAAAA") and "passport" not in data and "hotline" not in data
    # What Rasa queries stays readable: the event type and the intent name, never the words.
    assert rows[3][1] == "report_abuse"
    tracker = asyncio.run(store.retrieve(sender))
    assert tracker.latest_message.text == WORDS
    assert [event.text for event in tracker.events if isinstance(event, BotUttered)] == [REPLY]


def test_events_written_in_clear_before_encryption_are_still_read(store, settings):
    sender = f"plain-{uuid.uuid4().hex[:8]}"
    plain = json.dumps(UserUttered("old words", {"name": "greet", "confidence": 1.0}).as_dict())
    engine = make_engine(settings.tracker_database_url)
    with engine.begin() as connection:
        connection.execute(
            text("INSERT INTO events (sender_id, type_name, timestamp, data) VALUES (:s, 'user', 1.0, :d)"),
            {"s": sender, "d": plain},
        )
    engine.dispose()
    assert asyncio.run(store.retrieve(sender)).latest_message.text == "old words"


def test_a_store_without_the_key_cannot_read_and_says_which_setting(store, settings):
    sender = f"other-{uuid.uuid4().hex[:8]}"
    asyncio.run(store.save(conversation(sender)))
    stranger = EncryptingSQLTrackerStore(
        host=settings.tracker_database_url, domain=Domain.empty(), encryption_keys=Fernet.generate_key().decode()
    )
    try:
        with pytest.raises(TrackerKeyError, match="TRACKER_ENCRYPTION_KEYS"):
            asyncio.run(stranger.retrieve(sender))
    finally:
        stranger.engine.dispose()
    assert asyncio.run(store.retrieve(sender)).latest_message.text == WORDS


def test_a_store_without_keys_refuses_to_start(settings):
    with pytest.raises(ValueError, match="TRACKER_ENCRYPTION_KEYS"):
        EncryptingSQLTrackerStore(host=settings.tracker_database_url, domain=Domain.empty(), encryption_keys="")
