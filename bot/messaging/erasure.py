"""Forgetting people: erase one person on request (DELETE) and everything older than the retention period."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, inspect, select, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import sessionmaker

from bot.db import make_engine, transaction
from bot.models import Contact, Message


class Eraser:
    """Deletes contacts and messages from the application database and their events from Rasa's tracker store."""

    def __init__(self, sessions: sessionmaker, tracker_database_url: str) -> None:
        self._sessions = sessions
        self._tracker_url = tracker_database_url
        self._tracker_engine: Engine | None = None

    def erase_contact(self, contact_id: int, pseudonym: str) -> None:
        """Delete the person's messages, contact record and bot conversation; nothing of them is left."""
        with transaction(self._sessions) as session:
            session.execute(delete(Message).where(Message.contact_id == contact_id))
            session.execute(delete(Contact).where(Contact.id == contact_id))
        self._delete_events("sender_id = :sender", sender=pseudonym)

    def purge(self, cutoff: datetime) -> tuple[int, int]:
        """Delete messages older than the cutoff, then contacts left without messages; returns both counts."""
        with transaction(self._sessions) as session:
            # Counted first: replies go with their message (ON DELETE CASCADE), so rowcount would miss them.
            messages = session.scalar(select(func.count(Message.id)).where(Message.created_at < cutoff))
            session.execute(delete(Message).where(Message.created_at < cutoff))
            idle = select(Contact.id).where(Contact.updated_at < cutoff, ~Contact.messages.any())
            gone = delete(Contact).where(Contact.id.in_(idle)).execution_options(synchronize_session=False)
            contacts = session.execute(gone).rowcount
        self._delete_events("timestamp < :cutoff", cutoff=cutoff.timestamp())
        return messages, contacts

    def _delete_events(self, condition: str, **values) -> None:
        """Delete rows of Rasa's `events` table (absent until Rasa has stored a first conversation)."""
        engine = self._tracker()
        if not inspect(engine).has_table("events"):
            return
        with engine.begin() as connection:
            connection.execute(text(f"DELETE FROM events WHERE {condition}"), values)  # noqa: S608 (fixed conditions)

    def _tracker(self) -> Engine:
        if self._tracker_engine is None:
            self._tracker_engine = make_engine(self._tracker_url)
        return self._tracker_engine
