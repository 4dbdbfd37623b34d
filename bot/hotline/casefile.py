"""What the console shows of cases: the queue, and one case with its transcript, facts and notes (audited)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import case as when
from sqlalchemy import func, or_, select
from sqlalchemy.orm import sessionmaker
from sqlalchemy.sql.selectable import ScalarSelect

from bot.channels.delivery_status import NOT_DELIVERED
from bot.db import transaction
from bot.hotline import audit, follow_ups
from bot.hotline.case_types import proposed_labels
from bot.hotline.handoff import RANK, read_facts
from bot.hotline.history import EarlierCase, other_cases
from bot.hotline.queue_filters import NO_FILTERS, QueueFilters
from bot.hotline.referrals import ReferralRow, case_referrals
from bot.models import AuditEntry, Case, CaseLabel, CaseNote, Contact, Message, StaffUser, as_utc, utcnow
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
    # The latest counsellor reply of the case failed or was not delivered.
    reply_not_delivered: bool
    country: str | None
    # The person wrote since any staff member last opened the case (or nobody has opened it yet).
    unread: bool
    # A counsellor asked to contact the person again by now (bot.hotline.follow_ups): such cases come first.
    follow_up_due: bool


@dataclass(frozen=True)
class Line:
    """One message of a transcript."""

    created_at: datetime
    sender: str
    text: str
    status: str
    # Outbound: what the channel reported (bot.channels.delivery_status), and its error code.
    delivery_status: str | None
    delivery_error: str | None


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
    # Codes of bot.hotline.case_types; proposed from the facts until a counsellor saves them.
    types: set[str]
    indicators: set[str]
    labels_proposed: bool
    referrals: list[ReferralRow]
    follow_up_due: bool
    # The person's other cases (bot.hotline.history), newest first.
    history: list[EarlierCase]


def mask_address(address: str) -> str:
    """The address with all but its first three and last two digits hidden."""
    positions = [index for index, char in enumerate(address) if char.isdigit()]
    hidden = set(positions[SHOWN_DIGITS_START : len(positions) - SHOWN_DIGITS_END])
    return "".join("•" if index in hidden else char for index, char in enumerate(address))


def last_viewed() -> ScalarSelect:
    """When any staff member last opened the case (the audit log's views and reveals), for the queue's query."""
    views = select(func.max(AuditEntry.created_at)).where(
        AuditEntry.case_id == Case.id, AuditEntry.action.in_((audit.VIEW, audit.REVEAL))
    )
    return views.correlate(Case).scalar_subquery()


def waiting_time(opened_at: datetime, now: datetime) -> timedelta:
    """How long a case has waited, to the minute."""
    return timedelta(minutes=int((now - as_utc(opened_at)).total_seconds() // 60))


class CaseViews:
    """Reads cases for staff; opening a case is recorded in the audit log, and so is revealing the address."""

    def __init__(self, sessions: sessionmaker, vault: Vault) -> None:
        self._sessions = sessions
        self._vault = vault

    def queue(self, filters: QueueFilters = NO_FILTERS) -> list[QueueRow]:
        """Unresolved cases that pass the filters, most pressing priority first, then longest waiting first."""
        rank = when(*((Case.priority == priority, order) for priority, order in RANK.items()))
        latest_reply = (
            select(Message.delivery_status)
            .where(
                Message.contact_id == Case.contact_id,
                Message.sender == Message.STAFF,
                Message.created_at >= Case.opened_at,
            )
            .order_by(Message.id.desc())
            .limit(1)
            .correlate(Case)
            .scalar_subquery()
        )
        latest_inbound = (
            select(func.max(Message.created_at))
            .where(Message.contact_id == Case.contact_id, Message.direction == Message.INBOUND)
            .correlate(Case)
            .scalar_subquery()
        )
        follow_up_due = follow_ups.due(utcnow())
        query = (
            select(Case, Contact.pseudonym, StaffUser.username, latest_reply, latest_inbound, last_viewed())
            .join(Contact, Case.contact_id == Contact.id)
            .outerjoin(StaffUser, Case.assigned_to_id == StaffUser.id)
            .where(or_(Case.status != Case.RESOLVED, follow_up_due))
            .order_by(when((follow_up_due, 0), else_=1), rank, Case.opened_at, Case.id)
        )
        now = utcnow()
        with self._sessions() as session:
            rows = session.execute(filters.narrow(query, latest_reply)).all()
        shown = [
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
                reply_not_delivered=reply_status in NOT_DELIVERED,
                country=read_facts(self._vault, case).get("country"),
                unread=viewed is None or (inbound is not None and as_utc(inbound) > as_utc(viewed)),
                follow_up_due=follow_ups.is_due(case, now),
            )
            for case, pseudonym, username, reply_status, inbound, viewed in rows
        ]
        return [row for row in shown if filters.keeps(row.country, row.unread)]

    def changes(self, since_case_id: int) -> tuple[int, int]:
        """How many unresolved cases were opened after case `since_case_id`, and the newest case id (0 if none)."""
        newer = select(func.count(Case.id)).where(Case.id > since_case_id, Case.status != Case.RESOLVED)
        with self._sessions() as session:
            return session.scalar(newer), session.scalar(select(func.max(Case.id))) or 0

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
            facts = read_facts(self._vault, case)
            reported = self._reported(session, case)
            types, indicators = self._labels(session, case, facts, reported)
            return CaseView(
                case=case,
                pseudonym=contact.pseudonym[:8],
                address=address if reveal else mask_address(address),
                revealed=reveal,
                bot_paused=contact.bot_paused,
                opted_out=contact.opted_out,
                counsellor=case.assigned_to.username if case.assigned_to else None,
                facts=facts,
                reported=reported,
                transcript=self._transcript(session, case),
                notes=self._notes(session, case_id),
                types=types,
                indicators=indicators,
                labels_proposed=case.classified_at is None,
                referrals=case_referrals(session, self._vault, case_id),
                follow_up_due=follow_ups.is_due(case, utcnow()),
                history=other_cases(session, self._vault, case),
            )

    @staticmethod
    def _labels(session, case: Case, facts: dict, reported: str) -> tuple[set[str], set[str]]:
        """The case's saved types and indicators, or those proposed from its facts while none were saved."""
        if case.classified_at is None:
            return proposed_labels(facts, reported)
        labels = session.execute(select(CaseLabel.kind, CaseLabel.code).where(CaseLabel.case_id == case.id)).all()
        return (
            {code for kind, code in labels if kind == CaseLabel.TYPE},
            {code for kind, code in labels if kind == CaseLabel.INDICATOR},
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
            Line(
                message.created_at,
                message.sender,
                self._vault.decrypt(message.text_encrypted),
                message.status,
                message.delivery_status if message.direction == Message.OUTBOUND else None,
                message.delivery_error,
            )
            for message in session.scalars(query)
        ]
