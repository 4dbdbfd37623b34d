"""Start the service's processes (action server, Rasa, webhook), wait until healthy, and stop them cleanly."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import requests

from bot.settings import PROJECT_ROOT, Settings, SettingsError, tracker_database_url

QUIET_RASA_ENV = {
    "RASA_TELEMETRY_ENABLED": "false",
    "TF_CPP_MIN_LOG_LEVEL": "2",
    "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
    "PYTHONWARNINGS": "ignore",
}
# Rasa's own RedisLockStore takes tickets non-atomically; see rasa_addons/lock_store.py.
REDIS_LOCK_STORE = "rasa_addons.lock_store.AtomicRedisLockStore"
LOCK_STORE_VARIABLES = (
    "RASA_LOCK_STORE",
    "RASA_LOCK_STORE_HOST",
    "RASA_LOCK_STORE_PORT",
    "RASA_LOCK_STORE_DB",
    "RASA_LOCK_STORE_PASSWORD",
)


@dataclass(frozen=True)
class ServiceSpec:
    """A process to run: its command, the URL that answers 200 when it is ready (or ""), and extra environment."""

    name: str
    command: list[str]
    health_url: str
    env: dict[str, str]


def lock_store_env(redis_url: str) -> dict[str, str]:
    """Rasa's lock store settings (see endpoints.yml) for REDIS_URL: Redis when it is set, else in memory.

    Several Rasa servers serving the same conversations need the Redis lock store, so that one conversation's
    messages are processed one at a time, in order, whichever server receives them.
    """
    if not redis_url:
        return {name: "" for name in LOCK_STORE_VARIABLES} | {"RASA_LOCK_STORE": "in_memory"}
    parts = urlsplit(redis_url)
    if parts.scheme != "redis":
        raise SettingsError(f"REDIS_URL must start with redis:// for Rasa's lock store, not {parts.scheme}://")
    return {
        "RASA_LOCK_STORE": REDIS_LOCK_STORE,
        "RASA_LOCK_STORE_HOST": parts.hostname or "127.0.0.1",
        "RASA_LOCK_STORE_PORT": str(parts.port or 6379),
        "RASA_LOCK_STORE_DB": parts.path.strip("/") or "0",
        "RASA_LOCK_STORE_PASSWORD": unquote(parts.password or ""),
    }


def rasa_endpoint_env(database_url: str, redis_url: str, instance_path: Path) -> dict[str, str]:
    """Every variable endpoints.yml reads besides ACTION_SERVER_URL: tracker store and lock store."""
    return {"TRACKER_DATABASE_URL": tracker_database_url(database_url, instance_path)} | lock_store_env(redis_url)


def action_server_spec(port: int, interface: str = "127.0.0.1") -> ServiceSpec:
    """The rasa_sdk action server serving the actions package, listening on the interface (loopback by default)."""
    return ServiceSpec(
        name="action-server",
        command=[sys.executable, "-m", "rasa_sdk", "--actions", "actions", "--port", str(port)],
        health_url=f"http://127.0.0.1:{port}/health",
        # rasa_sdk has no --interface option: it reads SANIC_HOST, and listens on every interface without it.
        env={**QUIET_RASA_ENV, "SANIC_HOST": interface},
    )


def rasa_server_spec(
    port: int,
    model: Path,
    action_server_url: str,
    endpoint_env: dict[str, str],
    interface: str = "127.0.0.1",
    name: str = "rasa",
) -> ServiceSpec:
    """The Rasa server with the REST channel, the SQL tracker store, the lock store and the given model."""
    command = [
        sys.executable, "-m", "rasa", "run",
        "--model", str(model),
        "--interface", interface,
        "--port", str(port),
        "--endpoints", str(PROJECT_ROOT / "endpoints.yml"),
        "--credentials", str(PROJECT_ROOT / "credentials.yml"),
    ]  # fmt: skip
    return ServiceSpec(
        name=name,
        command=command,
        health_url=f"http://127.0.0.1:{port}/",
        env={**QUIET_RASA_ENV, **endpoint_env, "ACTION_SERVER_URL": action_server_url},
    )


def webhook_spec(port: int, workers: int = 2, interface: str = "127.0.0.1", name: str = "webhook") -> ServiceSpec:
    """The Flask webhook under gunicorn (bot/ops/gunicorn_config.py), ready when its dependencies answer."""
    command = [
        sys.executable, "-m", "gunicorn",
        "--config", "python:bot.ops.gunicorn_config",
        "--bind", f"{interface}:{port}",
        "--workers", str(workers),
        "webhook:create_app()",
    ]  # fmt: skip
    return ServiceSpec(name=name, command=command, health_url=f"http://127.0.0.1:{port}/ready", env={})


def service_specs(settings: Settings, model: Path, interface: str = "127.0.0.1") -> dict[str, ServiceSpec]:
    """The action server, the Rasa server, the webhook and the retry worker as the settings describe them, in order."""
    endpoint_env = rasa_endpoint_env(settings.database_url, settings.redis_url, settings.instance_path)
    return {
        "actions": action_server_spec(urlsplit(settings.action_server_url).port or 5055, interface),
        "rasa": rasa_server_spec(
            urlsplit(settings.rasa_urls[0]).port or 5005, model, settings.action_server_url, endpoint_env, interface
        ),
        "webhook": webhook_spec(settings.webhook_port, settings.webhook_workers, interface),
        "worker": worker_spec(),
    }


def worker_spec() -> ServiceSpec:
    """The retry worker; it serves no HTTP, so it counts as ready once it is running."""
    return ServiceSpec(name="worker", command=[sys.executable, "-m", "bot", "worker"], health_url="", env={})


class Supervisor:
    """Owns a set of child processes, each in its own process group, and stops them all together."""

    def __init__(self, log_dir: Path, base_env: dict[str, str] | None = None) -> None:
        self._log_dir = log_dir
        self._base_env = dict(os.environ if base_env is None else base_env)
        self._running: dict[str, subprocess.Popen] = {}
        log_dir.mkdir(parents=True, exist_ok=True)

    def log_path(self, name: str) -> Path:
        """Where a process's output goes."""
        return self._log_dir / f"{name}.log"

    def start(self, spec: ServiceSpec, timeout: float = 240.0) -> subprocess.Popen:
        """Start a process and wait until its health URL answers 200; raise with its log tail if it does not."""
        with self.log_path(spec.name).open("ab") as log:
            process = subprocess.Popen(
                spec.command,
                cwd=PROJECT_ROOT,
                env={**self._base_env, **spec.env},
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self._running[spec.name] = process
        self._wait_healthy(spec, process, timeout)
        return process

    def _wait_healthy(self, spec: ServiceSpec, process: subprocess.Popen, timeout: float) -> None:
        if not spec.health_url:
            time.sleep(1.0)
            if process.poll() is None:
                return
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if process.poll() is not None:
                break
            try:
                if requests.get(spec.health_url, timeout=2).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.5)
        tail = self.log_path(spec.name).read_text(errors="replace")[-3000:]
        self.stop(spec.name)
        raise RuntimeError(f"{spec.name} did not become healthy at {spec.health_url}:\n{tail}")

    def stop(self, name: str) -> None:
        """Stop one process group: SIGTERM, then SIGKILL after a grace period."""
        process = self._running.pop(name, None)
        if process is None or process.poll() is not None:
            return
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()

    def stop_all(self) -> None:
        """Stop every process, newest first."""
        for name in reversed(list(self._running)):
            self.stop(name)

    def wait_any(self) -> str:
        """Block until one process exits and return its name."""
        while True:
            for name, process in self._running.items():
                if process.poll() is not None:
                    return name
            time.sleep(0.5)
