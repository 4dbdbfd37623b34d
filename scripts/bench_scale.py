"""Scale figure: messages per second and p95 latency through the webhook with one Rasa server and with two.

Runs everything on the PostgreSQL database named by DATABASE_URL (`make bench` creates and drops one) and a Redis
lock store (BENCH_REDIS_URL, default db 14 on 127.0.0.1): the action server, two Rasa servers sharing the tracker
store and the locks, and two webhooks under gunicorn, one sending to the first Rasa server, one to both in turn.
Prints figures only.
"""

from __future__ import annotations

import dataclasses
import os
import random
import socket
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bot.channels.twilio_signing import signature, sms_form  # noqa: E402
from bot.db import upgrade_schema  # noqa: E402
from bot.ops.processes import Supervisor, action_server_spec, rasa_endpoint_env, rasa_server_spec, webhook_spec  # noqa: E402
from bot.ops.training import ensure_model  # noqa: E402
from bot.settings import load_settings  # noqa: E402

AUTH_TOKEN = "bench-twilio-auth-token"  # noqa: S105 - signs requests to a local throwaway webhook
CLIENTS = 8
MESSAGES_PER_CLIENT = 25
QUESTIONS = (
    "hello",
    "how much should I pay to go to Saudi Arabia?",
    "how do i check my visa is real",
    "what must be in my contract",
    "which documents do i need",
    "is RL 1234 licensed?",
    "visa koto taka lage",
    "thanks",
)


def free_port() -> int:
    """A TCP port nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def peak_memory_mb(pid: int) -> list[float]:
    """Peak resident memory (VmHWM) in MB of a process and of each of its children, the process first."""
    peaks: dict[int, float] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        if int(entry.name) == pid or int(fields.get("PPid", "0")) == pid:
            peaks[int(entry.name)] = int(fields.get("VmHWM", "0 kB").split()[0]) / 1024
    return [peaks.pop(pid, 0.0), *sorted(peaks.values(), reverse=True)]


def conversation(base_url: str, client: int, rng: random.Random) -> list[float]:
    """One person's messages, one after the other; the latency of each, in seconds."""
    url = f"{base_url}/channels/twilio/sms"
    sender = f"+88017{client:02d}{rng.randrange(10**6):06d}"
    session = requests.Session()
    latencies = []
    for _ in range(MESSAGES_PER_CLIENT):
        form = sms_form(sender, rng.choice(QUESTIONS))
        headers = {"X-Twilio-Signature": signature(AUTH_TOKEN, url, form)}
        started = time.perf_counter()
        response = session.post(url, data=form, headers=headers, timeout=60)
        latencies.append(time.perf_counter() - started)
        response.raise_for_status()
    return latencies


def measure(label: str, base_url: str, seed: int) -> float:
    """Send CLIENTS conversations at once through one webhook; print and return messages per second."""
    # Seeded, for figures that can be compared between runs; nothing here is secret.
    conversation(base_url, 99, random.Random(seed))  # noqa: S311 - warm-up: connections, first predictions
    rngs = [random.Random(seed * 100 + client) for client in range(CLIENTS)]  # noqa: S311
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
        results = list(pool.map(conversation, [base_url] * CLIENTS, range(CLIENTS), rngs))
    elapsed = time.perf_counter() - started
    latencies = sorted(latency for result in results for latency in result)
    rate = len(latencies) / elapsed
    cuts = statistics.quantiles(latencies, n=100)
    print(
        f"{label}: {len(latencies)} messages from {CLIENTS} people at once in {elapsed:.1f} s = {rate:.1f} msg/s, "
        f"latency p50 {cuts[49] * 1000:.0f} ms, p95 {cuts[94] * 1000:.0f} ms (load average {os.getloadavg()[0]:.1f})"
    )
    return rate


def main() -> int:
    """Start the processes, measure one Rasa server then two, print the ratio and each process's peak memory."""
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith("postgresql"):
        print("bench_scale needs DATABASE_URL=postgresql://... (make bench creates one)", file=sys.stderr)
        return 2
    redis_url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
    upgrade_schema(database_url)
    model = ensure_model()
    with tempfile.TemporaryDirectory() as instance:
        action_port = free_port()
        action_url = f"http://127.0.0.1:{action_port}/webhook"
        base_env = {
            **os.environ,
            "INSTANCE_PATH": instance,
            "DATABASE_URL": database_url,
            "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
            "ACTION_SERVER_URL": action_url,
        }
        supervisor = Supervisor(Path(instance) / "logs", base_env)
        try:
            pids = {"action server": supervisor.start(action_server_spec(action_port))}
            tracker_keys = load_settings(base_env).tracker_encryption_keys
            endpoint_env = rasa_endpoint_env(database_url, redis_url, Path(instance), tracker_keys)
            rasa_urls = []
            for name in ("rasa-1", "rasa-2"):
                port = free_port()
                spec = rasa_server_spec(port, model, action_url, endpoint_env, name=name)
                pids[name] = supervisor.start(spec, timeout=600)
                rasa_urls.append(f"http://127.0.0.1:{port}")
            webhooks = {}
            for name, urls in (("webhook → 1 Rasa", rasa_urls[:1]), ("webhook → 2 Rasa", rasa_urls)):
                port = free_port()
                base_url = f"http://127.0.0.1:{port}"
                spec = webhook_spec(port, workers=4, name=name.split()[0] + str(len(urls)))
                env = {"RASA_URL": ",".join(urls), "PUBLIC_BASE_URL": base_url, "WEBHOOK_PORT": str(port)}
                pids[name] = supervisor.start(dataclasses.replace(spec, env=env))
                webhooks[name] = base_url
            # Alternating rounds, so a change in the machine's load during the run touches both alike.
            rates: dict[str, list[float]] = {"one": [], "two": []}
            for round_number in (1, 2):
                for key, webhook in (("one", "webhook → 1 Rasa"), ("two", "webhook → 2 Rasa")):
                    label = f"round {round_number}, {key} Rasa server{'s' if key == 'two' else ''}"
                    rates[key].append(measure(label, webhooks[webhook], seed=round_number * 10 + (key == "two")))
            ratio = sum(rates["two"]) / sum(rates["one"])
            print(f"throughput ratio two/one: {ratio:.2f} (on {os.cpu_count()} CPUs shared by every process)")
            for name, process in pids.items():
                main, *children = peak_memory_mb(process.pid)
                workers = f" + {len(children)} workers, each at most {max(children):.0f} MB" if children else ""
                print(f"peak memory {name}: {main:.0f} MB{workers}")
        finally:
            supervisor.stop_all()
    return 0


if __name__ == "__main__":
    sys.exit(main())
