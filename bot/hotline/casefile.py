"""What the console shows of cases: the queue, and one case with its transcript, facts and notes (audited)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import case as when
from sqlalchemy import func, select
from sqlalchemy.orm import sessionmaker

from bot.db import transaction
from bot.hotline import audit
from bot.hotline.handoff import RANK, read_facts
from bot.models import Case, CaseNote, Contact, Message, StaffUser, as_utc, utcnow
from bot.vault import Vault

MAX_TRANSCRIPT = 500
SHOWN_DIGITS_START = 3
SHOWN_DIGITS_END = 2


@dataclass(frozen=True)
class QueueRow:
    """One unresolved case in the queue."""

    case_id: int
    priority: str
    status: str
    channel: str
    language: str | None
    pseudonym: str
    opened_at: datetime
    waiting: timedelta
    counsellor: str | None


@dataclass(frozen=True)
class Line:
    """One message of a transcript."""

    created_at: datetime
    sender: str
    text: str
    status: str


@dataclass(frozen=True)
class Note:
    """A counsellor's note as shown on the case page."""

    created_at: datetime
    author: str
    text: str


@dataclass(frozen=True)
class CaseView:
    """Everything the case page shows."""

    case: Case
    pseudonym: str
    address: str
    revealed: bool
    bot_paused: bool
    opted_out: bool
    counsellor: str | None
    facts: dict
    # The words of the message that opened the case.
    reported: str
    transcript: list[Line]
    notes: list[Note]


def mask_address(address: str) -> str:
    """The address with all but its first three and last two digits hidden."""
    positions = [index for index, char in enumerate(address) if char.isdigit()]
    hidden = set(positions[SHOWN_DIGITS_START : len(positions) - SHOWN_DIGITS_END])
    return "".join("•" if index in hidden else char for index, char in enumerate(address))


def waiting_time(opened_at: datetime, now: datetime) -> timedelta:
    """How long a case has waited, to the minute."""
    return timedelta(minutes=int((now - as_utc(opened_at)).total_seconds() // 60))


class CaseViews:
    """Reads cases for staff; opening a case is recorded in the audit log, and so is revealing the address."""

    def __init__(self, sessions: sessionmaker, vault: Vault) -> None:
        self._sessions = sessions
        self._vault = vault

    def queue(self) -> list[QueueRow]:
        """Unresolved cases, most pressing priority first, then longest waiting first."""
        rank = when(*((Case.priority == priority, order) for priority, order in RANK.items()))
        query = (
            select(Case, Contact.pseudonym, StaffUser.username)
            .join(Contact, Case.contact_id == Contact.id)
            .outerjoin(StaffUser, Case.assigned_to_id == StaffUser.id)
            .where(Case.status != Case.RESOLVED)
            .order_by(rank, Case.opened_at, Case.id)
        )
        now = utcnow()
        with self._sessions() as session:
            rows = session.execute(query).all()
        return [
            QueueRow(
                case_id=case.id,
                priority=case.priority,
                status=case.status,
                channel=case.channel,
                language=case.language,
                pseudonym=pseudonym[:8],
                opened_at=as_utc(case.opened_at),
                waiting=waiting_time(case.opened_at, now),
                counsellor=username,
            )
            for case, pseudonym, username in rows
        ]

    def paused(self) -> list[tuple[int, str]]:
        """(latest case id, pseudonym) of people whose bot was paused by hand while none of their cases is open."""
        query = (
            select(func.max(Case.id), Contact.pseudonym)
            .join(Case, Case.contact_id == Contact.id)
            .where(Contact.bot_paused.is_(True))
            .group_by(Contact.id, Contact.pseudonym)
            .having(func.max(Case.open_contact_id).is_(None))
        )
        with self._sessions() as session:
            return [(case_id, pseudonym[:8]) for case_id, pseudonym in session.execute(query)]

    def open(self, case_id: int, staff_id: int, reveal: bool = False) -> CaseView | None:
        """The case page's content, recording the view (and the reveal of the address) in the audit log."""
        with transaction(self._sessions) as session:
            case = session.get(Case, case_id)
            if case is None:
                return None
            audit.record(session, staff_id, audit.REVEAL if reveal else audit.VIEW, case_id)
            contact = case.contact
            address = self._vault.decrypt(contact.address_encrypted)
            return CaseView(
                case=case,
                pseudonym=contact.pseudonym[:8],
                address=address if reveal else mask_address(address),
                revealed=reveal,
                bot_paused=contact.bot_paused,
                opted_out=contact.opted_out,
                counsellor=case.assigned_to.username if case.assigned_to else None,
                facts=read_facts(self._vault, case),
                reported=self._reported(session, case),
                transcript=self._transcript(session, case),
                notes=self._notes(session, case_id),
            )

    def _reported(self, session, case: Case) -> str:
        trigger = session.get(Message, case.trigger_message_id) if case.trigger_message_id else None
        return self._vault.decrypt(trigger.text_encrypted) if trigger else ""

    def _notes(self, session, case_id: int) -> list[Note]:
        query = select(CaseNote).where(CaseNote.case_id == case_id).order_by(CaseNote.id)
        return [
            Note(note.created_at, note.staff.username if note.staff else "-", self._vault.decrypt(note.text_encrypted))
            for note in session.scalars(query)
        ]

    def _transcript(self, session, case: Case) -> list[Line]:
        query = select(Message).where(Message.contact_id == case.contact_id).order_by(Message.id).limit(MAX_TRANSCRIPT)
        if case.trigger_message_id:
            query = query.where(Message.id >= case.trigger_message_id)
        else:
            query = query.where(Message.created_at >= case.opened_at)
        if case.resolved_at and not case.contact.bot_paused:
            query = query.where(Message.created_at <= case.resolved_at)
        return [
            Line(message.created_at, message.sender, self._vault.decrypt(message.text_encrypted), message.status)
            for message in session.scalars(query)
        ]
