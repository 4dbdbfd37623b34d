"""Forgetting people: erase one person on request (DELETE) and everything older than the retention period."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import delete, func, inspect, select, text, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from bot.db import make_engine, transaction
from bot.models import Case, CaseNote, Contact, Message
from bot.vault import Vault

# The line a counsellor finds on each of the person's cases after they erased themselves.
ERASED_NOTE = "The person erased their data (DELETE, then YES): their messages, details and case notes are gone."


class Eraser:
    """Deletes contacts and messages from the application database and their events from Rasa's tracker store."""

    def __init__(self, sessions: sessionmaker, vault: Vault, tracker_database_url: str) -> None:
        self._sessions = sessions
        self._vault = vault
        self._tracker_url = tracker_database_url
        self._tracker_engine: Engine | None = None

    def erase_contact(self, contact_id: int, pseudonym: str) -> None:
        """Delete the person's messages, details and bot conversation; their cases keep only that they were erased.

        One transaction when Rasa's events share the application database (PostgreSQL); otherwise the events go
        first, so a failure in between leaves the person's request to be retried (the message stays unanswered and
        the worker takes it up again) rather than their words in Rasa's store.
        """
        shared = self._shares_database()
        if not shared:
            self._delete_events("sender_id = :sender", sender=pseudonym)
        with transaction(self._sessions) as session:
            if shared and inspect(session.connection()).has_table("events"):
                session.execute(text("DELETE FROM events WHERE sender_id = :sender"), {"sender": pseudonym})
            session.execute(delete(Message).where(Message.contact_id == contact_id))
            if session.scalar(select(func.count(Case.id)).where(Case.contact_id == contact_id)):
                self._leave_cases_without_the_person(session, contact_id)
            else:
                session.execute(delete(Contact).where(Contact.id == contact_id))

    def _leave_cases_without_the_person(self, session: Session, contact_id: int) -> None:
        """Close open cases, drop facts and notes, add the erasure line; the contact keeps no detail of the person."""
        cases = list(session.scalars(select(Case).where(Case.contact_id == contact_id)))
        session.execute(delete(CaseNote).where(CaseNote.case_id.in_([case.id for case in cases])))
        for case in cases:
            if case.status != Case.RESOLVED:
                case.close(Case.ERASED)
            case.facts_encrypted = None
            session.add(CaseNote(case_id=case.id, text_encrypted=self._vault.encrypt(ERASED_NOTE)))
        # A new random pseudonym: the person is a stranger to the service if they write again.
        session.execute(
            update(Contact)
            .where(Contact.id == contact_id)
            .values(
                pseudonym=f"erased-{uuid.uuid4().hex}", address_encrypted=self._vault.encrypt(""), language=None,
                pending_pages=None, menu_payloads=None, awaiting=None, opted_out=False, bot_paused=False,
                rate_noticed_at=None,
            )
        )  # fmt: skip

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

    def _shares_database(self) -> bool:
        return self._tracker_url == str(self._sessions.kw["bind"].url)

    def _tracker(self) -> Engine:
        if self._tracker_engine is None:
            self._tracker_engine = make_engine(self._tracker_url)
        return self._tracker_engine
