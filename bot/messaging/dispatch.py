"""Runs each inbound message's processing off the request thread, so a slow bot never makes a channel wait."""

from __future__ import annotations

import contextvars
import logging
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout

from bot.messaging.conversations import Conversations, InboundMessage
from bot.messaging.delivery import Delivery, ResponseReply

log = logging.getLogger(__name__)


class Dispatcher:
    """Answers inside the webhook response when the bot is quick, and through the channel's API otherwise."""

    def __init__(self, conversations: Conversations, delivery: Delivery, reply_deadline: float, threads: int = 8):
        self._conversations = conversations
        self._delivery = delivery
        self._deadline = reply_deadline
        self._pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="dispatch")

    def answer_in_response(self, inbound: InboundMessage) -> list[ResponseReply]:
        """Store the message and return the replies if ready within the deadline; later ones go by API."""
        message_id = self._conversations.receive(inbound)
        if message_id is None:
            return []
        future = self._submit(message_id)
        try:
            answer = future.result(timeout=self._deadline)
        except FutureTimeout:
            log.info("message %s not answered within %.0f s; the reply goes by API", message_id, self._deadline)
            future.add_done_callback(self._deliver)
            return []
        return self._delivery.claim_for_response(answer.outbound_ids) + [ResponseReply(m.text) for m in answer.unstored]

    def answer_by_api(self, inbound: InboundMessage) -> None:
        """Store the message now; process it and send the replies through the channel's API in the background."""
        message_id = self._conversations.receive(inbound)
        if message_id is not None:
            self._submit(message_id).add_done_callback(self._deliver)

    def _submit(self, message_id: int) -> Future:
        """Process in a pool thread that carries the request's context (its request id, for logs and Rasa)."""
        return self._pool.submit(contextvars.copy_context().run, self._conversations.process, message_id)

    def shutdown(self) -> None:
        """Wait for the messages being processed, then stop the threads."""
        self._pool.shutdown(wait=True)

    def _deliver(self, done: Future) -> None:
        error = done.exception()
        if error is not None:
            # The message stays stored unanswered; the retry worker takes it up.
            log.error("processing failed, left for the retry worker: %s", type(error).__name__)
            return
        self._delivery.send_answer(done.result())
