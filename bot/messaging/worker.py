"""The retry worker: answers messages the bot could not answer yet, and resends outbound messages that failed."""

from __future__ import annotations

import logging
import threading
from datetime import datetime, timedelta

from sqlalchemy import and_, or_, select, update

from bot.db import transaction
from bot.messaging.conversations import Conversations
from bot.messaging.delivery import Delivery
from bot.models import Message, utcnow
from bot.ops import request_ids

log = logging.getLogger(__name__)

# A message still "received" or "processing" this long after arriving lost its process (a restart, a crash).
STALE_AFTER = timedelta(minutes=2)
# Why a stale message is tried again once; the second time its processing is lost it is set aside for staff, since a
# message that crashes or stalls its process (a pathological text) would otherwise do it again forever.
INTERRUPTED = "processing was interrupted once (crash or timeout)"
SET_ASIDE = "set aside for staff: processing was interrupted twice (crash or timeout)"
BATCH = 50


class RetryWorker:
    """Finds inbound messages that are due or abandoned and outbound ones that are queued, and handles them."""

    def __init__(self, sessions, conversations: Conversations, delivery: Delivery) -> None:
        self._sessions = sessions
        self._conversations = conversations
        self._delivery = delivery

    def run_once(self, now: datetime | None = None) -> int:
        """One pass: reprocess due inbound messages, send due outbound ones; returns how many inbound were tried."""
        now = now or utcnow()
        due = self._due_inbound(now)
        for message_id in due:
            request_ids.use(None)  # one id per retried message, for its log lines and its Rasa call
            self._delivery.send_answer(self._conversations.process(message_id))
        request_ids.clear()
        self._delivery.retry_due(now)
        return len(due)

    def run_forever(self, stop: threading.Event, interval: float = 5.0) -> None:
        """Run passes until stopped; a failing pass (database down) is logged and tried again."""
        while not stop.is_set():
            try:
                self.run_once()
            except Exception as error:  # noqa: BLE001 (the worker must outlive a database restart)
                log.error("retry pass failed: %s", type(error).__name__)
            stop.wait(interval)

    def _due_inbound(self, now: datetime) -> list[int]:
        stale = now - STALE_AFTER
        with transaction(self._sessions) as session:
            # Processing that never finished goes back to the queue once, then is set aside.
            lost = and_(Message.status == Message.PROCESSING, Message.updated_at < stale)
            twice = list(session.scalars(select(Message.id).where(lost, Message.error == INTERRUPTED)))
            if twice:
                log.error("messages %s set aside for staff: their processing was interrupted twice", twice)
                session.execute(
                    update(Message).where(Message.id.in_(twice)).values(status=Message.FAILED, error=SET_ASIDE)
                )
            session.execute(
                update(Message).where(lost).values(status=Message.PENDING, next_attempt_at=now, error=INTERRUPTED)
            )
            query = (
                select(Message.id)
                .where(Message.direction == Message.INBOUND)
                .where(
                    or_(
                        and_(Message.status == Message.PENDING, Message.next_attempt_at <= now),
                        and_(Message.status == Message.RECEIVED, Message.created_at < stale),
                    )
                )
                .order_by(Message.id)
                .limit(BATCH)
            )
            return list(session.scalars(query))
