"""Hotline cases as the gateway sees them: when the bot leaves a person to staff, and escalations that open cases."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from bot.db import transaction
from bot.hotline import audit
from bot.hotline.alerts import StaffAlerts
from bot.messaging.notices import notice
from bot.models import Case, Contact, Message
from bot.settings import Settings
from bot.vault import Vault

log = logging.getLogger(__name__)

RANK = {priority: rank for rank, priority in enumerate(Case.PRIORITIES)}
# Facts the actions may add to an escalation signal (see actions.HotlineAnswer).
FACT_KEYS = ("country", "agency", "flags")


class Outbox(Protocol):
    """Sends texts to a person through their channel and stores them (bot.messaging.delivery.Delivery)."""

    def send_to_contact(self, contact_id: int, texts: list[str], sender: str) -> list[int]:
        """Store the texts as outbound messages from `sender` and send them; return their ids."""


@dataclass(frozen=True)
class Escalation:
    """What one escalation did to the person's open case."""

    case_id: int
    opened: bool
    became_urgent: bool


def open_case_id(session: Session, contact_id: int) -> int | None:
    """The id of the person's case that is not resolved yet, if any."""
    return session.scalar(select(Case.id).where(Case.open_contact_id == contact_id))


def read_facts(vault: Vault, case: Case) -> dict:
    """The decrypted facts of a case."""
    return json.loads(vault.decrypt(case.facts_encrypted)) if case.facts_encrypted else {}


class CaseHandoff:
    """The gateway's side of the hotline: silence during handoff, and escalations from the bot."""

    def __init__(
        self,
        sessions: sessionmaker,
        vault: Vault,
        settings: Settings,
        delivery: Outbox,
        alerts: StaffAlerts | None = None,
    ) -> None:
        self._sessions = sessions
        self._vault = vault
        self._settings = settings
        self._delivery = delivery
        self._alerts = alerts or StaffAlerts(settings)

    def takes_over(self, contact_id: int) -> bool:
        """True once a counsellor has taken the person's open case (assigned or replied) or paused the bot.

        A case nobody has taken yet leaves the bot answering: someone who asked a question is never left in silence
        by an automatic case, and the counsellor sees the whole conversation when they take it.
        """
        with self._sessions() as session:
            paused = session.scalar(select(Contact.bot_paused).where(Contact.id == contact_id))
            taken = select(Case.id).where(
                Case.open_contact_id == contact_id,
                (Case.status == Case.ASSIGNED) | (Case.first_reply_at.is_not(None)),
            )
            return bool(paused) or session.scalar(taken) is not None

    def withdraw(self, contact_id: int) -> bool:
        """Close the person's automatic case as a false alarm if no counsellor took it; True when one was closed."""
        with transaction(self._sessions) as session:
            case = session.scalar(
                select(Case).where(
                    Case.open_contact_id == contact_id,
                    Case.status == Case.OPEN,
                    Case.first_reply_at.is_(None),
                    Case.intent.in_(Case.AUTOMATIC_INTENTS),
                )
            )
            if case is None:
                return False
            case.close(Case.FALSE_ALARM)
            audit.record(session, None, audit.RESOLVE, case.id, detail="false_alarm: withdrawn by the person")
            return True

    def escalate(self, contact_id: int, signal: dict, language: str, channel: str) -> None:
        """Open the person's case, or raise the open one's priority; alert staff when it becomes urgent."""
        priority = signal.get("priority") if signal.get("priority") in RANK else Case.NORMAL
        facts = {key: signal[key] for key in FACT_KEYS if signal.get(key)}
        intent = str(signal.get("intent") or "escalation")[:64]
        try:
            escalation = self._open_or_raise(contact_id, priority, facts, intent, language, channel)
        except IntegrityError:
            # Another message of the same person opened the case a moment ago: raise that one instead.
            escalation = self._open_or_raise(contact_id, priority, facts, intent, language, channel)
        outcome = "opened" if escalation.opened else "kept open"
        log.info("case %s %s, signal priority %s", escalation.case_id, outcome, priority)
        if not escalation.became_urgent:
            return
        self._alerts.urgent_case(escalation.case_id, channel, language)
        if not escalation.opened and self.takes_over(contact_id):
            # The bot is silent once a counsellor has taken the case, so nobody else tells the emergency number.
            emergency = {"emergency_number": self._settings.emergency_number}
            self._delivery.send_to_contact(contact_id, [notice("case_urgent", language, **emergency)], Message.GATEWAY)

    def _open_or_raise(
        self, contact_id: int, priority: str, facts: dict, intent: str, language: str, channel: str
    ) -> Escalation:
        with transaction(self._sessions) as session:
            case_id = open_case_id(session, contact_id)
            if case_id is None:
                case = Case(
                    contact_id=contact_id,
                    open_contact_id=contact_id,
                    priority=priority,
                    status=Case.OPEN,
                    channel=channel,
                    language=language,
                    intent=intent,
                    trigger_message_id=self._latest_inbound_id(session, contact_id),
                    facts_encrypted=self._vault.encrypt(json.dumps(facts)),
                )
                session.add(case)
                session.flush()
                return Escalation(case.id, opened=True, became_urgent=priority == Case.URGENT)
            case = session.get(Case, case_id)
            raised = RANK[priority] < RANK[case.priority]
            if raised:
                case.priority = priority
            if facts:
                case.facts_encrypted = self._vault.encrypt(json.dumps({**read_facts(self._vault, case), **facts}))
            return Escalation(case.id, opened=False, became_urgent=raised and priority == Case.URGENT)

    @staticmethod
    def _latest_inbound_id(session: Session, contact_id: int) -> int | None:
        query = (
            select(Message.id)
            .where(Message.contact_id == contact_id, Message.direction == Message.INBOUND)
            .order_by(Message.id.desc())
            .limit(1)
        )
        return session.scalar(query)
