"""The Redis lock store lets several Rasa servers share conversations: tickets are unique, turns never overlap."""

from __future__ import annotations

import asyncio
import itertools
import threading
import time
import uuid

import pytest
from rasa.utils.endpoints import EndpointConfig

from bot.ops.processes import lock_store_env
from rasa_addons.lock_store import AtomicRedisLockStore

REDIS_URL = "redis://127.0.0.1:6379/13"
SERVERS = 6


def new_store() -> AtomicRedisLockStore:
    """A lock store as one Rasa server builds it from endpoints.yml, with its own Redis connection."""
    env = lock_store_env(REDIS_URL)
    return AtomicRedisLockStore(
        EndpointConfig(
            url=env["RASA_LOCK_STORE_HOST"],
            port=env["RASA_LOCK_STORE_PORT"],
            db=env["RASA_LOCK_STORE_DB"],
            password=env["RASA_LOCK_STORE_PASSWORD"],
        )
    )


@pytest.fixture
def stores():
    """One store per simulated Rasa server, all on the same Redis."""
    created = [new_store() for _ in range(SERVERS)]
    yield created
    for store in created:
        store.red.close()


def run_together(target, stores) -> None:
    """Run target(store) in one thread per store, all released at the same moment."""
    start = threading.Barrier(len(stores))

    def worker(store):
        start.wait()
        target(store)

    threads = [threading.Thread(target=worker, args=(store,)) for store in stores]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)


def test_tickets_taken_at_the_same_moment_by_several_servers_are_unique(stores):
    conversation = f"tickets-{uuid.uuid4().hex}"
    tickets: list[int] = []
    run_together(lambda store: tickets.extend(store.issue_ticket(conversation) for _ in range(20)), stores)
    assert sorted(tickets) == list(range(SERVERS * 20))
    stores[0].delete_lock(conversation)


def test_turns_of_one_conversation_on_several_servers_never_overlap(stores):
    conversation = f"turns-{uuid.uuid4().hex}"
    served: list[tuple[float, float]] = []

    async def one_turn(store):
        async with store.lock(conversation, wait_time_in_seconds=0.01):
            began = time.monotonic()
            time.sleep(0.05)  # the turn's work, holding the conversation
            served.append((began, time.monotonic()))

    run_together(lambda store: asyncio.run(one_turn(store)), stores)
    served.sort()
    assert len(served) == SERVERS
    assert all(end <= next_begin for (_, end), (next_begin, _) in itertools.pairwise(served))
    assert stores[0].get_lock(conversation) is None
