"""What counsellors do to a case: assign, reply through the person's channel, note, resolve, pause or resume the bot.

Every action is written to the audit log in the same transaction as the change it records.
"""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, sessionmaker

from bot.db import transaction
from bot.hotline import audit
from bot.hotline.case_types import INDICATORS, OUTCOMES, TYPES
from bot.hotline.handoff import Outbox, open_case_id
from bot.hotline.windows import ReplyWindowView, reply_window
from bot.language.forms import DEFAULT_FORM
from bot.messaging.notices import notice
from bot.models import Case, CaseLabel, CaseNote, Contact, Message, utcnow
from bot.vault import Vault

MAX_REPLY_CHARS = 1000
MAX_NOTE_CHARS = 2000


class CaseworkError(ValueError):
    """The action cannot be done on this case now; the message says why, for the counsellor."""


class Casework:
    """Counsellors' actions on cases, each audited."""

    def __init__(self, sessions: sessionmaker, vault: Vault, delivery: Outbox) -> None:
        self._sessions = sessions
        self._vault = vault
        self._delivery = delivery

    def assign(self, case_id: int, staff_id: int) -> None:
        """Make the staff member the case's counsellor."""
        with transaction(self._sessions) as session:
            case = self._unresolved(session, case_id)
            case.assigned_to_id = staff_id
            case.status = Case.ASSIGNED
            audit.record(session, staff_id, audit.ASSIGN, case_id)

    def reply(self, case_id: int, staff_id: int, text: str) -> bool:
        """Send a counsellor's reply through the person's channel; an unassigned case becomes the replier's.

        Returns False when the reply is held until the person writes (WhatsApp, outside its 24-hour window).
        """
        text = text.strip()
        if not text or len(text) > MAX_REPLY_CHARS:
            raise CaseworkError(f"a reply needs 1 to {MAX_REPLY_CHARS} characters")
        with self._sessions() as session:
            case = session.get(Case, case_id)
            if case is None:
                raise CaseworkError("no such case")
            if case.status == Case.RESOLVED and not case.contact.bot_paused:
                raise CaseworkError("this case is resolved and the bot is answering: pause the bot to write")
            if case.contact.opted_out:
                raise CaseworkError("this person sent STOP: nothing can be sent until they send START")
            window = reply_window(session, case.contact)
            if window and not window.open and not window.held_when_closed:
                raise CaseworkError(
                    f"{window.channel.capitalize()} accepts no reply this long after the person's last message:"
                    " they must write first"
                )
            contact_id = case.contact_id
        ids = self._delivery.send_to_contact(contact_id, [text], Message.STAFF)
        with transaction(self._sessions) as session:
            case = session.get(Case, case_id)
            case.first_reply_at = case.first_reply_at or utcnow()
            if case.status == Case.OPEN:
                case.status = Case.ASSIGNED
                case.assigned_to_id = staff_id
            audit.record(session, staff_id, audit.REPLY, case_id)
            held = select(Message.id).where(Message.id.in_(ids), Message.status == Message.HELD)
            return session.scalar(held.limit(1)) is None

    def reply_window(self, case_id: int) -> ReplyWindowView | None:
        """The window of the case's channel for a counsellor's reply now (None: the channel has none)."""
        with self._sessions() as session:
            case = session.get(Case, case_id)
            return reply_window(session, case.contact) if case else None

    def note(self, case_id: int, staff_id: int, text: str) -> None:
        """Add a private note to the case."""
        text = text.strip()
        if not text or len(text) > MAX_NOTE_CHARS:
            raise CaseworkError(f"a note needs 1 to {MAX_NOTE_CHARS} characters")
        with transaction(self._sessions) as session:
            if session.get(Case, case_id) is None:
                raise CaseworkError("no such case")
            session.add(CaseNote(case_id=case_id, staff_id=staff_id, text_encrypted=self._vault.encrypt(text)))
            audit.record(session, staff_id, audit.NOTE, case_id)

    def classify(self, case_id: int, staff_id: int, types: set[str], indicators: set[str]) -> None:
        """Replace the case's types and ILO indicators with the counsellor's choice (case_types lists them)."""
        if not types <= TYPES.keys() or not indicators <= INDICATORS.keys():
            raise CaseworkError("unknown case type or indicator")
        with transaction(self._sessions) as session:
            case = session.get(Case, case_id)
            if case is None:
                raise CaseworkError("no such case")
            session.execute(delete(CaseLabel).where(CaseLabel.case_id == case_id))
            chosen = [(CaseLabel.TYPE, code) for code in types] + [(CaseLabel.INDICATOR, code) for code in indicators]
            session.add_all(CaseLabel(case_id=case_id, kind=kind, code=code) for kind, code in chosen)
            case.classified_at = utcnow()
            audit.record(session, staff_id, audit.CLASSIFY, case_id, detail=",".join(sorted(types | indicators)))

    def resolve(self, case_id: int, staff_id: int, outcome: str | None = None) -> None:
        """Close the case (with its outcome, e.g. false_alarm), end any pause, and tell the person the bot answers."""
        if outcome is not None and outcome not in OUTCOMES:
            raise CaseworkError("unknown outcome")
        with transaction(self._sessions) as session:
            case = self._unresolved(session, case_id)
            case.close(outcome)
            case.contact.bot_paused = False
            audit.record(session, staff_id, audit.RESOLVE, case_id, detail=outcome or "")
            contact_id, language = case.contact_id, case.contact.language or case.language
        self._tell_bot_is_back(contact_id, language)

    def set_paused(self, case_id: int, staff_id: int, paused: bool) -> None:
        """Pause or resume the bot for the case's person by hand; resuming with no open case tells them."""
        with transaction(self._sessions) as session:
            case = session.get(Case, case_id)
            if case is None:
                raise CaseworkError("no such case")
            case.contact.bot_paused = paused
            audit.record(session, staff_id, audit.PAUSE if paused else audit.RESUME, case_id)
            contact_id, language = case.contact_id, case.contact.language or case.language
            still_open = open_case_id(session, contact_id) is not None
        if not paused and not still_open:
            self._tell_bot_is_back(contact_id, language)

    def _tell_bot_is_back(self, contact_id: int, language: str | None) -> None:
        with self._sessions() as session:
            if session.get(Contact, contact_id).opted_out:
                return
        self._delivery.send_to_contact(contact_id, [notice("bot_back", language or DEFAULT_FORM)], Message.GATEWAY)

    @staticmethod
    def _unresolved(session: Session, case_id: int) -> Case:
        case = session.get(Case, case_id)
        if case is None or case.status == Case.RESOLVED:
            raise CaseworkError("this case is already resolved")
        return case
