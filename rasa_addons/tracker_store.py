"""Rasa's SQL tracker store with every event's data encrypted at rest (Fernet, keys newest first).

Rasa's SQLTrackerStore keeps each event as JSON in `events.data`: every message text and every bot reply in clear.
This store declares the same `events` table with `data` as an encrypting column type, so Rasa's own save, retrieve
and session queries run unchanged while what reaches the database is a Fernet token. The other columns (sender
pseudonym, event type, timestamp, intent and action names) stay readable: Rasa queries them and they hold no words.

Rasa gets its own keys (TRACKER_ENCRYPTION_KEYS), not the service's: a compromised Rasa, which parses untrusted text,
reveals no phone number. Rows written before this store (plain JSON) are still read; `python -m bot keys rotate`
encrypts them and re-encrypts the others under the newest key.
"""

from __future__ import annotations

import functools
from typing import Any

import sqlalchemy as sa
from cryptography.fernet import InvalidToken, MultiFernet
from rasa.core.tracker_store import SQLTrackerStore, _create_sequence
from sqlalchemy.orm import declarative_base

from bot.vault import is_plain_json, multi_fernet
from rasa_addons.recent_events import RecentEventsMixin

# Events kept decrypted in memory (about 1 kB each): the sessions of a few hundred recent conversations.
DECRYPTED_CACHE_SIZE = 20_000


class TrackerKeyError(RuntimeError):
    """A stored event cannot be decrypted with the configured keys (not a ValueError: Rasa exits on those)."""


def cipher(keys: str | list[str] | tuple[str, ...]) -> MultiFernet:
    """The MultiFernet of comma-separated (or listed) Fernet keys, the newest first."""
    return multi_fernet(keys.split(",") if isinstance(keys, str) else keys, "TRACKER_ENCRYPTION_KEYS")


class EncryptedText(sa.types.TypeDecorator):
    """A Text column that stores Fernet tokens and gives back plain text."""

    impl = sa.Text
    cache_ok = True

    def __init__(self, cipher: MultiFernet) -> None:
        super().__init__()
        self.cipher = cipher
        # Rasa reads a conversation's whole session on every turn: each event is decrypted once, then remembered.
        # Plain text stays in this process's memory only, where Rasa holds the conversation anyway.
        self.decrypted = functools.lru_cache(maxsize=DECRYPTED_CACHE_SIZE)(self._decrypt)

    def process_bind_param(self, value: str | None, dialect: Any) -> str | None:
        """Encrypt on the way in."""
        if value is None:
            return None
        return self.cipher.encrypt(value.encode("utf-8")).decode("ascii")

    def process_result_value(self, value: str | None, dialect: Any) -> str | None:
        """Decrypt on the way out; rows written in clear before encryption pass as they are."""
        if value is None or is_plain_json(value):
            return value
        return self.decrypted(value)

    def _decrypt(self, value: str) -> str:
        try:
            return self.cipher.decrypt(value.encode("ascii")).decode("utf-8")
        except InvalidToken as error:
            raise TrackerKeyError("a tracker event was not encrypted with any of TRACKER_ENCRYPTION_KEYS") from error


def encrypted_events_table(events_cipher: MultiFernet) -> tuple[Any, type]:
    """A declarative base and Rasa's `events` table on it, with `data` encrypted by the cipher."""
    base = declarative_base()

    class EncryptedEvent(base):
        __tablename__ = "events"

        id = sa.Column(sa.Integer, _create_sequence(__tablename__), primary_key=True)
        sender_id = sa.Column(sa.String(255), nullable=False, index=True)
        type_name = sa.Column(sa.String(255), nullable=False)
        timestamp = sa.Column(sa.Float)
        intent_name = sa.Column(sa.String(255))
        action_name = sa.Column(sa.String(255))
        data = sa.Column(EncryptedText(events_cipher))

    return base, EncryptedEvent


class EncryptingSQLTrackerStore(RecentEventsMixin, SQLTrackerStore):
    """SQLTrackerStore whose events' data is encrypted with the keys of endpoints.yml's `encryption_keys`.

    It loads a session's recent turns only (rasa_addons/recent_events.py, RASA_RECENT_TURNS), so a turn costs the
    same late in a long conversation as early on, and fewer events are decrypted.
    """

    def __init__(self, *args: Any, encryption_keys: str = "", **kwargs: Any) -> None:
        # Rasa's code reads self.Base and self.SQLEvent: this store's own table, with its own keys, shadows the class's.
        self.Base, self.SQLEvent = encrypted_events_table(cipher(encryption_keys))
        super().__init__(*args, **kwargs)
