"""Two Rasa servers share one PostgreSQL tracker store and one Redis lock store: a conversation whose turns go to
either server keeps its form and slots, and no turn is lost or processed twice, even when turns arrive together."""

from __future__ import annotations

import json
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from sqlalchemy import create_engine, text

from bot.ops.processes import lock_store_env, rasa_server_spec
from bot.ops.training import ensure_model
from tests.conftest import decrypted_event, free_port
from tests.scratch_postgres import scratch_database

pytestmark = pytest.mark.e2e

# A Redis database number of its own, so the test never meets another run's locks.
REDIS_URL = "redis://127.0.0.1:6379/13"
# The self-check form, turn by turn: what the person writes and how the bot's last reply starts.
SELF_CHECK = [
    ("/ask_trafficking_signs", "Want to check your offer?"),
    ("/affirm", "1/5 "),
    ("no", "2/5 "),
    ("no", "3/5 "),
    ("yes", "4/5 "),
    ("yes", "5/5 "),
    ("no", "Result: take care, one warning sign."),
]
# Sent all at once, two to each server, after the self-check.
TOGETHER = ["/ask_visa", "/ask_contract", "/ask_documents", "/ask_health_check"]


@pytest.fixture(scope="module")
def replicas(action_server, supervisor, settings):
    """Two Rasa servers on the session's action server, with a fresh PostgreSQL tracker store and Redis locks."""
    model = ensure_model()
    with scratch_database("replicas") as tracker_url:
        keys = ",".join(settings.tracker_encryption_keys)
        endpoint_env = {
            "TRACKER_DATABASE_URL": tracker_url,
            "TRACKER_ENCRYPTION_KEYS": keys,
            **lock_store_env(REDIS_URL),
        }
        urls = []
        for name in ("rasa-replica-a", "rasa-replica-b"):
            port = free_port()
            spec = rasa_server_spec(port, model, action_server, endpoint_env, name=name)
            supervisor.start(spec, timeout=600)  # two CPUs shared with other test runs: loading can be slow
            urls.append(f"http://127.0.0.1:{port}")
        try:
            yield urls, tracker_url
        finally:
            supervisor.stop("rasa-replica-b")
            supervisor.stop("rasa-replica-a")


def send(base_url: str, sender: str, message: str, request_id: str) -> list[str]:
    """Post one message to a Rasa server's REST channel; return the texts of its replies."""
    metadata = {"channel": "sms", "language": "en", "request_id": request_id}
    response = requests.post(
        f"{base_url}/webhooks/rest/webhook",
        json={"sender": sender, "message": message, "metadata": metadata},
        timeout=60,
    )
    response.raise_for_status()
    return [item.get("text", "") for item in response.json()]


def stored_events(settings, tracker_url: str, sender: str) -> list[dict]:
    """The conversation's events as the shared tracker store holds them (decrypted), oldest first."""
    engine = create_engine(tracker_url, future=True)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                text("SELECT data FROM events WHERE sender_id = :sender ORDER BY id"), {"sender": sender}
            )
            return [decrypted_event(settings, data) for (data,) in rows]
    finally:
        engine.dispose()


def user_turns(events: list[dict]) -> list[list[dict]]:
    """The events cut into turns, each starting with a user message."""
    turns: list[list[dict]] = []
    for event in events:
        if event["event"] == "user":
            turns.append([event])
        elif turns:
            turns[-1].append(event)
    return turns


def test_a_conversation_moves_between_two_rasa_servers_without_losing_state(replicas, settings):
    urls, tracker_url = replicas
    sender = f"replica-test-{uuid.uuid4().hex[:8]}"
    request_ids = [f"replica-{uuid.uuid4().hex[:12]}-{turn}" for turn in range(len(SELF_CHECK))]
    for turn, (message, expected) in enumerate(SELF_CHECK):
        replies = send(urls[turn % 2], sender, message, request_ids[turn])
        assert replies and replies[-1 if turn < len(SELF_CHECK) - 1 else 0].startswith(expected), (turn, replies)

    events = stored_events(settings, tracker_url, sender)
    assert [event["text"] for event in events if event["event"] == "user"] == [m for m, _ in SELF_CHECK]
    answers = {
        event["name"]: event["value"]
        for event in events
        if event["event"] == "slot"
        and event["name"] in ("fee_above_limit", "passport_kept", "work_visa")
        and event["value"] is not None
    }
    assert answers == {"fee_above_limit": "no", "passport_kept": "no", "work_visa": "yes"}
    loops = [event["name"] for event in events if event["event"] == "active_loop"]
    assert loops == ["self_check_form", None]
    assert [e["value"] for e in events if e["event"] == "slot" and e["name"] == "risk_level"] == ["medium"]

    # The action server logged the gateway's request id of the turn it served.
    action_log = (settings.instance_path / "logs" / "action-server.log").read_text(errors="replace")
    logged = [json.loads(line) for line in action_log.splitlines() if line.startswith("{")]
    assert any(entry["request_id"] == request_ids[2] for entry in logged)


def test_turns_arriving_together_at_both_servers_are_processed_one_at_a_time(replicas, settings):
    urls, tracker_url = replicas
    sender = f"replica-burst-{uuid.uuid4().hex[:8]}"
    send(urls[0], sender, "hello", "replica-burst-first")
    with ThreadPoolExecutor(max_workers=len(TOGETHER)) as pool:
        futures = [
            pool.submit(send, urls[n % 2], sender, message, f"replica-burst-{n:04d}")
            for n, message in enumerate(TOGETHER)
        ]
        assert all(future.result() for future in futures)

    turns = user_turns(stored_events(settings, tracker_url, sender))
    assert sorted(turn[0]["text"] for turn in turns) == sorted(["hello", *TOGETHER])
    for turn in turns:
        # Each turn is whole: its own answer, then listening, with no other turn's events inside it.
        actions = [event["name"] for event in turn if event["event"] == "action"]
        assert actions[-1] == "action_listen", actions
        assert actions.count("action_listen") == 1, actions
        bot_texts = [event for event in turn if event["event"] == "bot"]
        assert bot_texts, turn[0]["text"]
