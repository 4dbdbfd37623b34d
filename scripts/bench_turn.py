"""Per-turn cost of one Rasa server over REST, with Rasa's own check of action responses and with the prebuilt one.

Starts the action server, then Rasa twice on free ports (RASA_FAST_ACTION_VALIDATION=false, then true), and times
the turns of one long conversation (turns 1-30 and 121-150) and of many short ones. Prints figures only.
"""

from __future__ import annotations

import os
import signal
import statistics
import sys
import tempfile
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bot.db import upgrade_schema  # noqa: E402
from bot.ops.processes import Supervisor, action_server_spec, rasa_endpoint_env, rasa_server_spec  # noqa: E402
from bot.ops.training import ensure_model  # noqa: E402
from bot.settings import load_settings  # noqa: E402
from scripts.bench_gateway import QUESTIONS, free_port  # noqa: E402

LONG_CONVERSATION = 150
SHORT_CONVERSATIONS = 100


def turn_times(rasa_url: str, sender: str, count: int) -> list[float]:
    """Milliseconds of each of `count` turns of one conversation."""
    times = []
    for number in range(count):
        body = {"sender": sender, "message": QUESTIONS[number % len(QUESTIONS)], "metadata": {"language": "en"}}
        started = time.perf_counter()
        requests.post(f"{rasa_url}/webhooks/rest/webhook", json=body, timeout=60).raise_for_status()
        times.append((time.perf_counter() - started) * 1000)
    return times


def summary(times: list[float]) -> str:
    """p50 and p95 of the timings."""
    cuts = statistics.quantiles(times, n=100, method="inclusive")
    return f"p50 {cuts[49]:6.1f} ms  p95 {cuts[94]:6.1f} ms"


def measure(label: str, fast: str, settings, supervisor: Supervisor, model: Path, instance: Path) -> None:
    """Start Rasa with the setting, time the turns, print one block, stop Rasa."""
    port = free_port()
    endpoint_env = rasa_endpoint_env(settings.database_url, settings.redis_url, instance)
    spec = rasa_server_spec(port, model, settings.action_server_url, endpoint_env, name=f"rasa-{fast}")
    spec.env["RASA_FAST_ACTION_VALIDATION"] = fast
    supervisor.start(spec)
    try:
        url = f"http://127.0.0.1:{port}"
        turn_times(url, f"warm-{fast}", 5)
        long = turn_times(url, f"long-{fast}", LONG_CONVERSATION)
        short = [time for n in range(SHORT_CONVERSATIONS) for time in turn_times(url, f"short-{fast}-{n}", 1)]
        print(f"{label}:")
        print(f"  first turns of {SHORT_CONVERSATIONS} conversations: {summary(short)}")
        print(f"  turns 1-30 of one conversation:     {summary(long[:30])}")
        print(f"  turns 121-150 of one conversation:  {summary(long[120:150])}")
    finally:
        supervisor.stop(spec.name)


def main() -> None:
    """Start the action server, then measure Rasa with each check."""
    instance = Path(tempfile.mkdtemp(prefix="bench-turn-"))
    actions_port = free_port()
    env = {
        **os.environ,
        "INSTANCE_PATH": str(instance),
        "DATABASE_URL": f"sqlite:///{instance / 'bench.db'}",
        "ACTION_SERVER_URL": f"http://127.0.0.1:{actions_port}/webhook",
    }
    settings = load_settings(env)
    upgrade_schema(settings.database_url)
    model = ensure_model()
    supervisor = Supervisor(instance / "logs", env)
    signal.signal(signal.SIGTERM, lambda _signum, _frame: sys.exit(1))
    try:
        supervisor.start(action_server_spec(actions_port))
        measure(
            "Rasa's own check of action responses (jsonschema.validate)", "false", settings, supervisor, model, instance
        )
        measure("prebuilt validator (rasa_addons/action_validation.py)", "true", settings, supervisor, model, instance)
    finally:
        supervisor.stop_all()


if __name__ == "__main__":
    main()
