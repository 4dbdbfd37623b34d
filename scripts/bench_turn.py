"""Per-turn cost of one Rasa server over REST, before and after each of the project's patches of Rasa.

Starts the action server, then one Rasa server per configuration, on DATABASE_URL (`make bench`: a fresh PostgreSQL
database, as in production) or else SQLite in a temporary folder: Rasa as shipped, then each patch of rasa_addons/
switched on in turn by its setting (action_validation, event_types, recent_events). For each it prints the NLU parse
alone (/model/parse), the first turns of 100 conversations, turns 1-30 and 121-150 of one conversation sent as fast
as the answers come, the messages per second of 8 and of 20 concurrent senders, and whether the long conversation got
the same replies as with Rasa as shipped. Then, for Rasa as shipped and with every patch, where the time of a turn
goes (NLU, policies, action calls, tracker store), measured by a child process that sends the same conversation
through Rasa's Agent in process (`bench_turn.py shares`). Prints figures only.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import logging
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
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
PARSES = 60
SENDERS = (8, 20)
THROUGHPUT_MESSAGES = 240  # per number of senders: 30 messages from each of 8 people, 12 from each of 20
# Each configuration adds one patch to the one before; the first is Rasa as shipped.
PATCHES_OFF = {"RASA_FAST_ACTION_VALIDATION": "false", "RASA_FAST_EVENT_TYPES": "false", "RASA_RECENT_TURNS": "0"}
CONFIGURATIONS = (
    ("Rasa as shipped", {}),
    ("+ prebuilt check of action responses", {"RASA_FAST_ACTION_VALIDATION": "true"}),
    ("+ table of event classes", {"RASA_FAST_EVENT_TYPES": "true"}),
    ("+ recent turns only (10)", {"RASA_RECENT_TURNS": "10"}),
)


def configuration_env(index: int) -> dict[str, str]:
    """The settings of configuration `index`: every patch off, then those of the configurations up to it on."""
    env = dict(PATCHES_OFF)
    for _label, changes in CONFIGURATIONS[: index + 1]:
        env |= changes
    return env


def message(number: int) -> dict:
    """The REST body of message `number` of a conversation, without its sender."""
    return {"message": QUESTIONS[number % len(QUESTIONS)], "metadata": {"language": "en"}}


def conversation(rasa_url: str, sender: str, count: int, http: requests.Session) -> tuple[list[float], list[str]]:
    """Milliseconds of each of `count` turns of one conversation, and the texts of each turn's replies."""
    times, replies = [], []
    for number in range(count):
        started = time.perf_counter()
        response = http.post(
            f"{rasa_url}/webhooks/rest/webhook", json={"sender": sender, **message(number)}, timeout=60
        )
        times.append((time.perf_counter() - started) * 1000)
        response.raise_for_status()
        replies.append(" | ".join(str(reply.get("text", reply)) for reply in response.json()))
    return times, replies


def parse_times(rasa_url: str, http: requests.Session) -> list[float]:
    """Milliseconds of NLU parses alone (Rasa's HTTP API, /model/parse)."""
    times = []
    for number in range(PARSES):
        started = time.perf_counter()
        http.post(f"{rasa_url}/model/parse", json={"text": message(number)["message"]}, timeout=60).raise_for_status()
        times.append((time.perf_counter() - started) * 1000)
    return times


def throughput(rasa_url: str, senders: int, label: str) -> float:
    """Messages per second when `senders` people each send their messages, one after each answer, all at once."""
    per_sender = THROUGHPUT_MESSAGES // senders
    http = requests.Session()
    http.mount("http://", requests.adapters.HTTPAdapter(pool_maxsize=senders))
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=senders) as pool:
        list(pool.map(lambda person: conversation(rasa_url, f"{label}-{person}", per_sender, http), range(senders)))
    return senders * per_sender / (time.perf_counter() - started)


def measure(index: int, rasa_url: str) -> dict:
    """Every REST figure of one configuration (its Rasa server running at `rasa_url`)."""
    http = requests.Session()
    conversation(rasa_url, f"warm-{index}", 5, http)
    parses = parse_times(rasa_url, http)
    long, replies = conversation(rasa_url, f"long-{index}", LONG_CONVERSATION, http)
    short = [conversation(rasa_url, f"short-{index}-{n}", 1, http)[0][0] for n in range(SHORT_CONVERSATIONS)]
    return {
        "parse": statistics.median(parses),
        "first": statistics.median(short),
        "all": statistics.median(long),
        "early": statistics.median(long[:30]),
        "late": statistics.median(long[120:150]),
        "replies": replies,
        **{f"rate{senders}": throughput(rasa_url, senders, f"rate{senders}-{index}") for senders in SENDERS},
    }


def run_configuration(index: int, settings, supervisor: Supervisor, model: Path, instance: Path) -> dict:
    """Start Rasa with the configuration's settings and its HTTP API, measure it, stop it."""
    endpoint_env = rasa_endpoint_env(
        settings.database_url, settings.redis_url, instance, settings.tracker_encryption_keys
    )
    spec = rasa_server_spec(free_port(), model, settings.action_server_url, endpoint_env, name=f"rasa-{index}")
    spec = dataclasses.replace(
        spec, command=[*spec.command, "--enable-api"], env={**spec.env, **configuration_env(index)}
    )
    supervisor.start(spec)
    try:
        return measure(index, spec.health_url.rstrip("/"))
    finally:
        supervisor.stop(spec.name)


def print_turn_table(results: list[dict]) -> None:
    """One line per configuration: parse, turn p50s, growth, turn/parse, throughput, replies as shipped."""
    print("Per turn over REST, p50 in ms (one Rasa server; replies compared with Rasa as shipped):")
    print(
        f"  {'configuration':<38} {'parse':>6} {'first':>6} {'1-30':>6} {'121-150':>8} {'growth':>7} "
        f"{'turn/parse':>10} {'8 send.':>8} {'20 send.':>8}  same replies"
    )
    for (label, _changes), result in zip(CONFIGURATIONS, results, strict=True):
        same = sum(a == b for a, b in zip(result["replies"], results[0]["replies"], strict=True))
        print(
            f"  {label:<38} {result['parse']:6.1f} {result['first']:6.1f} {result['early']:6.1f} "
            f"{result['late']:8.1f} {result['late'] / result['early']:6.2f}x {result['all'] / result['parse']:9.1f}x "
            f"{result['rate8']:6.1f}/s {result['rate20']:6.1f}/s  {same}/{len(result['replies'])}"
        )
    print(
        "  (growth: turns 121-150 / turns 1-30; turn/parse: p50 of all 150 turns / parse; "
        f"senders: messages per second, {THROUGHPUT_MESSAGES} messages)"
    )


def print_shares(label: str, shares: dict) -> None:
    """Where the time of a turn goes, for turns 1-30 and 121-150."""
    for turns, phases in shares.items():
        total = sum(phases.values())
        parts = "  ".join(f"{phase} {100 * seconds / total:4.1f} %" for phase, seconds in phases.items())
        print(f"  {label:<20} turns {turns:<8} {1000 * total / 30:6.1f} ms/turn: {parts}")


def measure_shares(index: int, env: dict[str, str], settings, instance: Path) -> dict:
    """Run `bench_turn.py shares` with the configuration's settings; its figures."""
    endpoint_env = rasa_endpoint_env(
        settings.database_url, settings.redis_url, instance, settings.tracker_encryption_keys
    )
    child_env = {**env, **endpoint_env, **configuration_env(index), "ACTION_SERVER_URL": settings.action_server_url}
    command = [sys.executable, str(Path(__file__).resolve()), "shares", f"shares-{index}"]
    done = subprocess.run(command, env=child_env, cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"bench_turn.py shares failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    """Start the action server, measure each configuration over REST, then the shares of the first and the last."""
    instance = Path(tempfile.mkdtemp(prefix="bench-turn-"))
    actions_port = free_port()
    env = {
        **os.environ,
        "INSTANCE_PATH": str(instance),
        "DATABASE_URL": os.environ.get("DATABASE_URL") or f"sqlite:///{instance / 'bench.db'}",
        "ACTION_SERVER_URL": f"http://127.0.0.1:{actions_port}/webhook",
    }
    settings = load_settings(env)
    upgrade_schema(settings.database_url)
    model = ensure_model()
    supervisor = Supervisor(instance / "logs", env)
    signal.signal(signal.SIGTERM, lambda _signum, _frame: sys.exit(1))
    try:
        supervisor.start(action_server_spec(actions_port))
        results = [
            run_configuration(index, settings, supervisor, model, instance) for index in range(len(CONFIGURATIONS))
        ]
        print_turn_table(results)
        print("Share of a turn in process (Rasa's Agent.handle_message; other: Rasa's own bookkeeping):")
        for index in (0, len(CONFIGURATIONS) - 1):
            print_shares("as shipped" if index == 0 else "every patch", measure_shares(index, env, settings, instance))
    finally:
        supervisor.stop_all()


# The child process: one conversation through Rasa's Agent, with the time of each phase of a turn added up.

PHASES = ("NLU", "policies", "action calls", "tracker store")


def timed(owner: object, name: str, phase: str, totals: dict[str, float]) -> None:
    """Replace the method `name` of `owner` with one adding its duration to `totals[phase]`."""
    original = getattr(owner, name)

    async def timed_coroutine(*args, **kwargs):
        started = time.perf_counter()
        try:
            return await original(*args, **kwargs)
        finally:
            totals[phase] += time.perf_counter() - started

    def timed_function(*args, **kwargs):
        started = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            totals[phase] += time.perf_counter() - started

    setattr(owner, name, timed_coroutine if asyncio.iscoroutinefunction(original) else timed_function)


async def turn_shares(sender: str) -> dict[str, dict[str, float]]:
    """Seconds per phase over turns 1-30 and 121-150 of one conversation, `other` being the rest of each turn."""
    # Rasa, and TensorFlow with it, is imported in this child process only.
    from rasa.core.actions.action import RemoteAction
    from rasa.core.agent import load_agent
    from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
    from rasa.core.processor import MessageProcessor
    from rasa.core.utils import AvailableEndpoints

    agent = await load_agent(str(ensure_model()), endpoints=AvailableEndpoints.read_endpoints(ROOT / "endpoints.yml"))
    totals: dict[str, float] = defaultdict(float)
    timed(MessageProcessor, "parse_message", "NLU", totals)
    timed(MessageProcessor, "_predict_next_with_tracker", "policies", totals)
    timed(RemoteAction, "run", "action calls", totals)
    for method in ("retrieve", "save"):
        timed(agent.tracker_store, method, "tracker store", totals)
    for number in range(5):  # the first calls of the NLU and policy graphs are slower
        await agent.handle_message(UserMessage(message(number)["message"], CollectingOutputChannel(), f"{sender}-warm"))
    shares = {}
    for number in range(LONG_CONVERSATION):
        if number in (0, 120):
            totals.clear()
            started = time.perf_counter()
        body = message(number)
        await agent.handle_message(
            UserMessage(body["message"], CollectingOutputChannel(), sender, metadata=body["metadata"])
        )
        if number in (29, 149):
            phases = {phase: totals[phase] for phase in PHASES}
            shares[f"{number - 28}-{number + 1}"] = phases | {
                "other": time.perf_counter() - started - sum(phases.values())
            }
    return shares


def shares_main(sender: str) -> None:
    """Print the shares of one conversation as one JSON line."""
    from rasa.utils.common import configure_logging_and_warnings
    from rasa.utils.log_utils import configure_structlog

    configure_logging_and_warnings(logging.WARNING)
    configure_structlog(logging.WARNING)
    print(json.dumps(asyncio.run(turn_shares(sender))))


if __name__ == "__main__":
    if sys.argv[1:2] == ["shares"]:
        shares_main(sys.argv[2])
    else:
        main()
