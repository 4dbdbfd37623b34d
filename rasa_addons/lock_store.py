"""A Redis lock store whose ticket changes are atomic, so several Rasa servers can share conversations safely.

Rasa 3.6's RedisLockStore reads a conversation's lock, changes it in Python and writes it back. Two servers that
receive messages of one conversation at the same moment can both read the same lock, take the same ticket and
process both messages at once, losing one turn's events (the maintainers call it "far from atomic"; an atomic
variant, RasaHQ/rasa#11256, was reverted in #11428). Here every read-change-write of a lock runs under a short Redis
mutex for that conversation; waiting for one's turn stays Rasa's own ticket logic.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from rasa.core.lock_store import LOCK_LIFETIME, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

# A critical section is a few Redis round trips; the mutex expires on its own if a server dies holding it.
MUTEX_SECONDS = 5


class AtomicRedisLockStore(RedisLockStore):
    """RedisLockStore with issue, update and clean-up of a conversation's lock each done under a Redis mutex."""

    def __init__(self, endpoint_config: EndpointConfig) -> None:
        super().__init__(host=endpoint_config.url, **endpoint_config.kwargs)

    @contextmanager
    def _mutex(self, conversation_id: str) -> Iterator[None]:
        name = f"{self.key_prefix}mutex:{conversation_id}"
        with self.red.lock(name, timeout=MUTEX_SECONDS, blocking_timeout=2 * MUTEX_SECONDS):
            yield

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        """Take the next ticket of the conversation, atomically."""
        with self._mutex(conversation_id):
            return super().issue_ticket(conversation_id, lock_lifetime)

    def update_lock(self, conversation_id: str) -> None:
        """Drop expired tickets, atomically."""
        with self._mutex(conversation_id):
            super().update_lock(conversation_id)

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        """Give the ticket back and delete the lock when nobody waits, atomically."""
        with self._mutex(conversation_id):
            super().cleanup(conversation_id, ticket_number)
