"""What counsellors do to a case: assign, reply through the person's channel, note, resolve, pause or resume the bot.

Every action is written to the audit log in the same transaction as the change it records.
"""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

from bot.db import transaction
from bot.hotline import audit
from bot.hotline.handoff import Outbox, open_case_id
from bot.language.forms import DEFAULT_FORM
from bot.messaging.notices import notice
from bot.models import Case, CaseNote, Contact, Message, utcnow
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

    def reply(self, case_id: int, staff_id: int, text: str) -> None:
        """Send a counsellor's reply through the person's channel; an unassigned case becomes the replier's."""
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
            contact_id = case.contact_id
        self._delivery.send_to_contact(contact_id, [text], Message.STAFF)
        with transaction(self._sessions) as session:
            case = session.get(Case, case_id)
            case.first_reply_at = case.first_reply_at or utcnow()
            if case.status == Case.OPEN:
                case.status = Case.ASSIGNED
                case.assigned_to_id = staff_id
            audit.record(session, staff_id, audit.REPLY, case_id)

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

    def resolve(self, case_id: int, staff_id: int, outcome: str | None = None) -> None:
        """Close the case (with its outcome, e.g. false_alarm), end any pause, and tell the person the bot answers."""
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
