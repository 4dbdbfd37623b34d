"""Services benchmark: signed Twilio SMS through the webhook (gunicorn) vs. Rasa's own REST channel, same run.

Starts the action server, Rasa and the webhook on free ports with a temporary instance folder (SQLite, or
DATABASE_URL when set), then sends the same load twice: straight to Rasa's REST channel, then as signed Twilio
requests to the webhook. Prints throughput, latency percentiles, messages lost, and the gateway/Rasa p95 ratio.
"""

from __future__ import annotations

import os
import random
import signal
import socket
import statistics
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests
from sqlalchemy import func, select

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bot.channels.twilio_signing import signature, sms_form  # noqa: E402
from bot.db import make_engine, make_session_factory, upgrade_schema  # noqa: E402
from bot.models import Message  # noqa: E402
from bot.ops.processes import Supervisor, action_server_spec, rasa_endpoint_env, rasa_server_spec, webhook_spec  # noqa: E402
from bot.ops.training import ensure_model  # noqa: E402
from bot.settings import load_settings  # noqa: E402

# Issue 18 asks for 15 messages per second through the webhook at 20 concurrent senders; 50 shows the margin.
SENDER_COUNTS = (8, 20, 50)
MESSAGES = 1_000
MESSAGES_PER_PERSON = 5  # a person waits for each answer; 400 people keep every one under the rate limit
QUESTIONS = (
    "how much should I pay to go to saudi arabia",
    "dalal 3 lakh taka chay malaysia visa ki korbo",
    "সৌদি যেতে কত টাকা লাগে?",
    "what documents do i need",
    "hello",
    "is my visa real? how to check",
    "how do i send money home safely",
    "agency RL-1234 ki valo?",
)
PUBLIC_BASE_URL = "https://sms.example.org"


def free_port() -> int:
    """A TCP port nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def conversations(seed: int) -> list[list[str]]:
    """MESSAGES questions grouped into the conversations of MESSAGES / MESSAGES_PER_PERSON people."""
    rng = random.Random(seed)  # noqa: S311 (a repeatable load, not a secret)
    return [[rng.choice(QUESTIONS) for _ in range(MESSAGES_PER_PERSON)] for _ in range(MESSAGES // MESSAGES_PER_PERSON)]


def run_load(send, people: list[list[str]], senders: int, first_person: int) -> tuple[list[float], int, float]:
    """Send every person's messages in order, `senders` people at a time; latencies, failures, seconds.

    People are numbered from `first_person`, so no load continues the conversations of another.
    """

    def converse(index: int) -> tuple[list[float], int]:
        latencies, failures = [], 0
        for text in people[index]:
            started = time.perf_counter()
            failures += 0 if send(first_person + index, text) else 1
            latencies.append(time.perf_counter() - started)
        return latencies, failures

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=senders) as pool:
        results = list(pool.map(converse, range(len(people))))
    elapsed = time.perf_counter() - started
    return [value for latencies, _ in results for value in latencies], sum(f for _, f in results), elapsed


def percentile(values: list[float], share: float) -> float:
    """The value below which `share` of the values lie."""
    return statistics.quantiles(values, n=100, method="inclusive")[int(share * 100) - 1]


def report(name: str, latencies: list[float], failures: int, elapsed: float) -> float:
    """Print one line of figures and return the p95 in milliseconds."""
    p50, p95, p99 = (percentile(latencies, share) * 1000 for share in (0.50, 0.95, 0.99))
    print(
        f"{name:<26} {len(latencies) / elapsed:7.1f} msg/s   p50 {p50:6.0f} ms   p95 {p95:6.0f} ms   "
        f"p99 {p99:6.0f} ms   errors {failures}"
    )
    return p95


def main() -> int:
    """Start the stack, run both loads, print the figures."""
    instance = Path(tempfile.mkdtemp(prefix="bench-gateway-"))
    ports = {name: free_port() for name in ("rasa", "actions", "webhook")}
    env = {
        **os.environ,
        "INSTANCE_PATH": str(instance),
        "DATABASE_URL": os.environ.get("DATABASE_URL") or f"sqlite:///{instance / 'bench.db'}",
        "RASA_URL": f"http://127.0.0.1:{ports['rasa']}",
        "ACTION_SERVER_URL": f"http://127.0.0.1:{ports['actions']}/webhook",
        "PUBLIC_BASE_URL": PUBLIC_BASE_URL,
        "TWILIO_AUTH_TOKEN": "bench-token",
        "WEBHOOK_PORT": str(ports["webhook"]),
        # The webhook waits for the bot as long as the Rasa load's client does, so both latencies compare; a reply
        # that still came late would go out by API: to a closed local port, never the internet.
        "SYNC_REPLY_SECONDS": "60",
        "TWILIO_API_BASE_URL": f"http://127.0.0.1:{free_port()}",
    }
    settings = load_settings(env)
    upgrade_schema(settings.database_url)
    model = ensure_model()
    supervisor = Supervisor(instance / "logs", env)
    signal.signal(signal.SIGTERM, lambda _signum, _frame: sys.exit(1))  # so `finally` stops the servers
    try:
        supervisor.start(action_server_spec(ports["actions"]))
        endpoint_env = rasa_endpoint_env(
            settings.database_url, settings.redis_url, instance, settings.tracker_encryption_keys
        )
        supervisor.start(rasa_server_spec(ports["rasa"], model, settings.action_server_url, endpoint_env))
        supervisor.start(webhook_spec(ports["webhook"], workers=2))
        return measure(settings, ports)
    finally:
        supervisor.stop_all()


def measure(settings, ports: dict[str, int]) -> int:
    """Warm up, then the Rasa load and the gateway load; print the figures and the lost-message check."""
    rasa_url = f"{settings.rasa_url}/webhooks/rest/webhook"
    webhook_url = f"http://127.0.0.1:{ports['webhook']}/channels/twilio/sms"
    http = requests.Session()
    http.mount("http://", requests.adapters.HTTPAdapter(pool_maxsize=max(SENDER_COUNTS)))

    def to_rasa(person: int, text: str) -> bool:
        payload = {"sender": f"bench-rasa-{person}", "message": text, "metadata": {"channel": "sms"}}
        response = http.post(rasa_url, json=payload, timeout=60)
        return response.ok and bool(response.json())

    def to_gateway(person: int, text: str) -> bool:
        form = sms_form(f"+8801{person:09d}", text)
        headers = {"X-Twilio-Signature": signature("bench-token", PUBLIC_BASE_URL + "/channels/twilio/sms", form)}
        response = http.post(webhook_url, data=form, headers=headers, timeout=60)
        return response.ok and any(e.text for e in ET.fromstring(response.content).iter("Message"))  # noqa: S314

    for text in QUESTIONS:  # warm-up: first requests load lazily built parts
        to_rasa(10**6, text)
    ratios = []
    for round_number, senders in enumerate(SENDER_COUNTS):
        print(f"{MESSAGES} messages, {senders} concurrent senders, {MESSAGES_PER_PERSON} messages per person")
        people = conversations(round_number)
        first_person = round_number * len(people)
        rasa_p95 = report("Rasa REST channel", *run_load(to_rasa, people, senders, first_person))
        gateway_p95 = report("gateway (signed Twilio)", *run_load(to_gateway, people, senders, first_person))
        ratios.append(gateway_p95 / rasa_p95)
    sent = MESSAGES * len(SENDER_COUNTS)
    engine = make_engine(settings.database_url)
    with make_session_factory(engine)() as session:
        inbound = session.scalar(select(func.count(Message.id)).where(Message.direction == Message.INBOUND))
        unsettled = session.scalar(
            select(func.count(Message.id)).where(
                Message.direction == Message.INBOUND, Message.status.not_in((Message.ANSWERED, Message.FAILED))
            )
        )
    engine.dispose()
    print(f"messages lost: {sent - inbound} (stored {inbound} of {sent}; not yet answered: {unsettled})")
    print("gateway p95 / Rasa p95: " + ", ".join(f"{r:.2f} at {n}" for r, n in zip(ratios, SENDER_COUNTS, strict=True)))
    return 0 if inbound == sent else 1


if __name__ == "__main__":
    sys.exit(main())
