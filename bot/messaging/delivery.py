"""Outbound messages: stored before they are sent, sent once through the channel's API, retried with backoff.

Each keeps the delivery status its channel reports (bot.channels.delivery_status). A channel with a window (WhatsApp,
Messenger) is never asked to send what it would refuse: outside the window a counsellor's WhatsApp reply is held, the
person gets the approved template instead, and the reply goes out with the answer to their next message; anything
else fails without being tried.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from bot.channels import all_channels, delivery_status
from bot.channels.base import Button, Outgoing, ReplyWindow, Sender, SendError
from bot.db import transaction
from bot.language.forms import DEFAULT_FORM
from bot.messaging.notices import notice
from bot.models import Contact, Message, as_utc, utcnow
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


@dataclass(frozen=True)
class ResponseReply:
    """A reply given inside the webhook's own answer: its text, and its stored row (None for an unstored notice)."""

    text: str
    outbound_id: int | None = None


@dataclass(frozen=True)
class Claimed:
    """A queued message this sender took, with what sending it needs."""

    message_id: int
    contact_id: int
    channel: str
    address: str
    language: str
    outgoing: Outgoing
    attempts: int
    # The person sent STOP and this is not the confirmation.
    blocked: bool
    # The channel's window allows it now (always, on channels without one).
    allowed: bool
    # Outside the window it waits for the person instead of failing (a counsellor's reply on WhatsApp).
    holdable: bool


def backoff(attempts: int) -> timedelta:
    """Wait before the next attempt: 30 s, 1 min, 2 min, ... at most one hour."""
    return min(FIRST_RETRY * 2 ** max(attempts - 1, 0), LONGEST_WAIT)


def last_inbound_at(session: Session, contact_id: int) -> datetime | None:
    """When the person's newest stored message arrived: the channel's window runs from there."""
    query = select(func.max(Message.created_at)).where(
        Message.contact_id == contact_id, Message.direction == Message.INBOUND
    )
    moment = session.scalar(query)
    return as_utc(moment) if moment else None


def window_of(channel: str) -> ReplyWindow | None:
    """The channel's window, or None when it accepts messages at any time (or is unknown)."""
    known = all_channels().get(channel)
    return known.window if known else None


class Delivery:
    """Queues outbound messages and sends each queued one exactly once through its channel's client."""

    def __init__(self, sessions: sessionmaker, vault: Vault, clients: Mapping[str, Sender]) -> None:
        self._sessions = sessions
        self._vault = vault
        self._clients = clients

    def queue(
        self, session: Session, contact_id: int, channel: str, messages: list[Outgoing], sender: str, reply_to_id=None
    ) -> list[int]:
        """Store messages as queued in the caller's transaction and return their ids.

        When they answer the person's message (reply_to_id), the replies held until the person wrote are queued
        again and come first.
        """
        released = self._release_held(session, contact_id) if reply_to_id is not None else []
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
                delivery_status=delivery_status.QUEUED,
                as_template=message.as_template,
            )
            for message in messages
        ]
        session.add_all(rows)
        session.flush()
        return released + [row.id for row in rows]

    def send_to_contact(self, contact_id: int, texts: list[str], sender: str) -> list[int]:
        """Store texts for a contact (e.g. a counsellor's reply) and send them now through the contact's channel."""
        with transaction(self._sessions) as session:
            channel = session.get(Contact, contact_id).channel
            ids = self.queue(session, contact_id, channel, [Outgoing(text) for text in texts], sender)
        self.deliver(ids)
        return ids

    def claim_for_response(self, ids: list[int]) -> list[ResponseReply]:
        """Mark queued messages as sent in the webhook's own answer (TwiML) and return them."""
        replies = []
        for message_id in ids:
            with transaction(self._sessions) as session:
                if self._move(session, message_id, Message.QUEUED, Message.SENT):
                    message = session.get(Message, message_id)
                    message.delivery_status = delivery_status.SENT
                    replies.append(ResponseReply(self._vault.decrypt(message.text_encrypted), message_id))
                    metrics.OUTBOUND_MESSAGES.labels(message.channel).inc()
        return replies

    def deliver(self, ids: list[int]) -> None:
        """Send each queued message through its channel's API; one that another sender claimed is skipped."""
        for message_id in ids:
            claimed = self._claim(message_id)
            if claimed is None:
                continue
            if claimed.blocked:
                self._finish(claimed, Message.IGNORED, "opted out", delivery_status.FAILED, "opted out")
            elif claimed.allowed:
                self._send(claimed)
            elif claimed.holdable:
                self._hold(claimed)
            else:
                reason = f"outside the {claimed.channel} window: the person must write first"
                self._finish(claimed, Message.FAILED, f"not sent: {reason}", delivery_status.FAILED, reason)

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
                .values(
                    status=Message.FAILED,
                    error="interrupted while sending; not resent to avoid a duplicate",
                    delivery_status=delivery_status.FAILED,
                    delivery_error="interrupted while sending",
                )
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

    def record_report(self, channels: tuple[str, ...], external_id: str, status: str, error: str = "") -> bool:
        """Store a delivery status a channel reported for a message it sent, unless the message has a later one.

        Returns False when nothing changed: an unknown (e.g. erased) message, or a report that came out of order.
        A "delivered" or "read" report clears the error of an earlier failure.
        """
        failed = status in delivery_status.NOT_DELIVERED
        with transaction(self._sessions) as session:
            result = session.execute(
                update(Message)
                .where(
                    Message.direction == Message.OUTBOUND,
                    Message.channel.in_(channels),
                    Message.external_id == external_id,
                    or_(
                        Message.delivery_status.is_(None),
                        Message.delivery_status.in_(delivery_status.replaceable_by(status)),
                    ),
                )
                .values(delivery_status=status, delivery_error=(error[:100] or None) if failed else None)
            )
            return result.rowcount > 0

    def tie_external_id(self, message_id: int, channels: tuple[str, ...], external_id: str) -> bool:
        """Give a message sent inside a webhook answer the id its channel first reported for it.

        True when the message has that id (now, or from an earlier report). False, changing nothing, for an unknown
        (e.g. erased) message, one that has another id, or an id that belongs to another message.
        """
        try:
            with transaction(self._sessions) as session:
                owner = session.scalar(
                    select(Message.id).where(Message.channel.in_(channels), Message.external_id == external_id)
                )
                if owner is not None:
                    return owner == message_id
                result = session.execute(
                    update(Message)
                    .where(
                        Message.id == message_id,
                        Message.direction == Message.OUTBOUND,
                        Message.channel.in_(channels),
                        Message.external_id.is_(None),
                    )
                    .values(external_id=external_id)
                )
                return result.rowcount == 1
        except IntegrityError:
            # A report on another message took the id at the same moment.
            return False

    def _client(self, channel: str) -> Sender:
        if channel not in self._clients:
            raise SendError(f"no client for channel {channel}", retryable=False)
        return self._clients[channel]

    def _claim(self, message_id: int) -> Claimed | None:
        """Take a queued message for sending (only one sender may) and read what sending it needs."""
        with transaction(self._sessions) as session:
            if not self._move(session, message_id, Message.QUEUED, Message.SENDING):
                return None
            message = session.get(Message, message_id)
            contact = session.get(Contact, message.contact_id)
            outgoing = Outgoing(
                self._vault.decrypt(message.text_encrypted),
                _buttons(message.buttons),
                from_staff=message.sender == Message.STAFF,
                as_template=message.as_template,
            )
            window = window_of(message.channel)
            return Claimed(
                message_id=message_id,
                contact_id=contact.id,
                channel=message.channel,
                address=self._vault.decrypt(contact.address_encrypted),
                language=contact.language or DEFAULT_FORM,
                outgoing=outgoing,
                attempts=message.attempts + 1,
                blocked=contact.opted_out and message.sender != Message.GATEWAY,
                allowed=window is None or window.allows(outgoing, last_inbound_at(session, contact.id), utcnow()),
                holdable=window is not None and window.templates and outgoing.from_staff,
            )

    def _hold(self, claimed: Claimed) -> None:
        """Keep a counsellor's reply until the person writes; the first one waiting sends them the template."""
        with transaction(self._sessions) as session:
            waiting = session.scalar(
                select(Message.id).where(Message.contact_id == claimed.contact_id, Message.status == Message.HELD)
            )
            session.execute(update(Message).where(Message.id == claimed.message_id).values(status=Message.HELD))
            template = [Outgoing(notice("counsellor_replied", claimed.language), as_template=True)]
            ids = [] if waiting else self.queue(session, claimed.contact_id, claimed.channel, template, Message.GATEWAY)
        self.deliver(ids)

    @staticmethod
    def _release_held(session: Session, contact_id: int) -> list[int]:
        """Queue again the replies held for the person (they just wrote) and return their ids."""
        held = select(Message.id).where(Message.contact_id == contact_id, Message.status == Message.HELD)
        ids = list(session.scalars(held.order_by(Message.id)))
        if ids:
            session.execute(
                update(Message).where(Message.id.in_(ids), Message.status == Message.HELD).values(status=Message.QUEUED)
            )
        return ids

    def _send(self, claimed: Claimed) -> None:
        attempts = claimed.attempts
        try:
            api_id = self._client(claimed.channel).send(claimed.address, claimed.outgoing)
        except SendError as error:
            log.warning("outbound message %s not sent (attempt %s): %s", claimed.message_id, attempts, error)
            if error.retryable and attempts < MAX_SEND_ATTEMPTS:
                self._finish(claimed, Message.QUEUED, str(error), next_attempt_at=utcnow() + backoff(attempts))
            else:
                reason = f"gave up after {attempts} attempts: {error}"
                self._finish(claimed, Message.FAILED, reason, delivery_status.FAILED, error.detail or str(error))
            return
        self._finish(claimed, Message.SENT, None, delivery_status.SENT, external_id=_external_id(claimed, api_id))
        metrics.OUTBOUND_MESSAGES.labels(claimed.channel).inc()

    def _finish(
        self,
        claimed: Claimed,
        status: str,
        error: str | None,
        reported: str = delivery_status.QUEUED,
        reported_error: str | None = None,
        next_attempt_at: datetime | None = None,
        external_id: str | None = None,
    ) -> None:
        """Store how the attempt ended: the message's status, and what the channel reported of it."""
        with transaction(self._sessions) as session:
            session.execute(
                update(Message)
                .where(Message.id == claimed.message_id)
                .values(
                    status=status,
                    error=error and error[:200],
                    attempts=claimed.attempts,
                    next_attempt_at=next_attempt_at,
                    delivery_status=reported,
                    delivery_error=reported_error and reported_error[:100],
                    external_id=external_id,
                )
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


def _external_id(claimed: Claimed, api_id: str) -> str | None:
    """The channel's id of a sent message, made unique with the person's where the channel numbers per chat."""
    if not api_id:
        return None
    return f"{claimed.contact_id}:{api_id}" if all_channels()[claimed.channel].ids_per_chat else api_id
