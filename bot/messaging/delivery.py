"""Outbound messages: stored before they are sent, sent once through the channel's API, retried with backoff."""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from bot.channels.base import Button, Outgoing, Sender, SendError
from bot.db import transaction
from bot.models import Contact, Message, utcnow
from bot.ops import metrics
from bot.vault import Vault

log = logging.getLogger(__name__)

MAX_SEND_ATTEMPTS = 6
FIRST_RETRY = timedelta(seconds=30)
LONGEST_WAIT = timedelta(hours=1)
# A row left "sending" this long belongs to a sender that died mid-call: it may have gone out, so it is not resent.
SENDING_TIMEOUT = timedelta(minutes=10)


@dataclass(frozen=True)
class Answer:
    """The replies to one inbound message: stored outbound ids, or unstored messages (after an erasure)."""

    outbound_ids: list[int] = field(default_factory=list)
    unstored: list[Outgoing] = field(default_factory=list)
    channel: str = ""
    address: str = ""


def backoff(attempts: int) -> timedelta:
    """Wait before the next attempt: 30 s, 1 min, 2 min, ... at most one hour."""
    return min(FIRST_RETRY * 2 ** max(attempts - 1, 0), LONGEST_WAIT)


class Delivery:
    """Queues outbound messages and sends each queued one exactly once through its channel's client."""

    def __init__(self, sessions: sessionmaker, vault: Vault, clients: Mapping[str, Sender]) -> None:
        self._sessions = sessions
        self._vault = vault
        self._clients = clients

    def queue(
        self, session: Session, contact_id: int, channel: str, messages: list[Outgoing], sender: str, reply_to_id=None
    ) -> list[int]:
        """Store messages as queued in the caller's transaction and return their ids."""
        rows = [
            Message(
                contact_id=contact_id,
                direction=Message.OUTBOUND,
                channel=channel,
                text_encrypted=self._vault.encrypt(message.text),
                buttons=json.dumps([[b.title, b.payload] for b in message.buttons]) if message.buttons else None,
                reply_to_id=reply_to_id,
                sender=sender,
                status=Message.QUEUED,
            )
            for message in messages
        ]
        session.add_all(rows)
        session.flush()
        return [row.id for row in rows]

    def send_to_contact(self, contact_id: int, texts: list[str], sender: str) -> list[int]:
        """Store texts for a contact (e.g. a counsellor's reply) and send them now through the contact's channel."""
        with transaction(self._sessions) as session:
            channel = session.get(Contact, contact_id).channel
            ids = self.queue(session, contact_id, channel, [Outgoing(text) for text in texts], sender)
        self.deliver(ids)
        return ids

    def claim_for_response(self, ids: list[int]) -> list[str]:
        """Mark queued messages as sent in the webhook's own answer (TwiML) and return their texts."""
        texts = []
        for message_id in ids:
            with transaction(self._sessions) as session:
                if self._move(session, message_id, Message.QUEUED, Message.SENT):
                    message = session.get(Message, message_id)
                    texts.append(self._vault.decrypt(message.text_encrypted))
                    metrics.OUTBOUND_MESSAGES.labels(message.channel).inc()
        return texts

    def deliver(self, ids: list[int]) -> None:
        """Send each queued message through its channel's API; one that another sender claimed is skipped."""
        for message_id in ids:
            with transaction(self._sessions) as session:
                if not self._move(session, message_id, Message.QUEUED, Message.SENDING):
                    continue
                message = session.get(Message, message_id)
                contact = session.get(Contact, message.contact_id)
                address = self._vault.decrypt(contact.address_encrypted)
                blocked = contact.opted_out and message.sender != Message.GATEWAY
                outgoing = Outgoing(self._vault.decrypt(message.text_encrypted), _buttons(message.buttons))
                channel, attempts = message.channel, message.attempts + 1
            if blocked:
                self._finish(message_id, Message.IGNORED, "opted out", attempts)
                continue
            self._send(message_id, channel, address, outgoing, attempts)

    def send_answer(self, answer: Answer) -> None:
        """Send an answer's queued messages, and its unstored ones, which leave no trace (failures only logged)."""
        self.deliver(answer.outbound_ids)
        for message in answer.unstored:
            try:
                self._client(answer.channel).send(answer.address, message)
            except SendError as error:
                log.warning("unstored %s message not sent: %s", answer.channel, error)

    def retry_due(self, now: datetime | None = None) -> int:
        """Send each queued message whose time has come; give up on ones stuck mid-send. Returns how many were due."""
        now = now or utcnow()
        with transaction(self._sessions) as session:
            session.execute(
                update(Message)
                .where(Message.status == Message.SENDING, Message.updated_at < now - SENDING_TIMEOUT)
                .values(status=Message.FAILED, error="interrupted while sending; not resent to avoid a duplicate")
            )
            due = session.scalars(
                select(Message.id)
                .where(Message.direction == Message.OUTBOUND, Message.status == Message.QUEUED)
                .where(or_(Message.next_attempt_at.is_(None), Message.next_attempt_at <= now))
                .order_by(Message.id)
                .limit(200)
            ).all()
        self.deliver(list(due))
        return len(due)

    def _client(self, channel: str) -> Sender:
        if channel not in self._clients:
            raise SendError(f"no client for channel {channel}", retryable=False)
        return self._clients[channel]

    def _send(self, message_id: int, channel: str, address: str, outgoing: Outgoing, attempts: int) -> None:
        try:
            self._client(channel).send(address, outgoing)
        except SendError as error:
            log.warning("outbound message %s not sent (attempt %s): %s", message_id, attempts, error)
            if error.retryable and attempts < MAX_SEND_ATTEMPTS:
                self._finish(message_id, Message.QUEUED, str(error), attempts, utcnow() + backoff(attempts))
            else:
                self._finish(message_id, Message.FAILED, f"gave up after {attempts} attempts: {error}", attempts)
            return
        self._finish(message_id, Message.SENT, None, attempts)
        metrics.OUTBOUND_MESSAGES.labels(channel).inc()

    def _finish(self, message_id: int, status: str, error, attempts: int, next_attempt_at=None) -> None:
        with transaction(self._sessions) as session:
            session.execute(
                update(Message)
                .where(Message.id == message_id)
                .values(status=status, error=error and error[:200], attempts=attempts, next_attempt_at=next_attempt_at)
            )

    @staticmethod
    def _move(session: Session, message_id: int, from_status: str, to_status: str) -> bool:
        """Change a message's status only if it still has from_status: the one place where senders compete."""
        result = session.execute(
            update(Message)
            .where(Message.id == message_id, Message.status == from_status)
            .values(status=to_status, updated_at=utcnow())
        )
        return result.rowcount == 1


def _buttons(stored: str | None) -> tuple[Button, ...]:
    return tuple(Button(title, payload) for title, payload in json.loads(stored)) if stored else ()
