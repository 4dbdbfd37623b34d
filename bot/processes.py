"""Start the service's processes (action server, Rasa, webhook), wait until healthy, and stop them cleanly."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import requests

from bot.settings import PROJECT_ROOT

QUIET_RASA_ENV = {
    "RASA_TELEMETRY_ENABLED": "false",
    "TF_CPP_MIN_LOG_LEVEL": "2",
    "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
    "PYTHONWARNINGS": "ignore",
}


@dataclass(frozen=True)
class ServiceSpec:
    """A process to run: its command, the URL that answers 200 when it is ready (or ""), and extra environment."""

    name: str
    command: list[str]
    health_url: str
    env: dict[str, str]


def tracker_store_env(database_url: str, instance_path: Path) -> dict[str, str]:
    """Rasa's SQL tracker store URL (see endpoints.yml) for the application's database URL.

    SQLite deployments keep Rasa's events in their own file beside the application database, so the two
    processes never wait on one SQLite lock; PostgreSQL deployments share the one database.
    """
    if database_url.startswith("sqlite"):
        return {"TRACKER_DATABASE_URL": f"sqlite:///{instance_path / 'rasa_tracker.db'}"}
    return {"TRACKER_DATABASE_URL": database_url}


def action_server_spec(port: int) -> ServiceSpec:
    """The rasa_sdk action server serving the actions package."""
    return ServiceSpec(
        name="action-server",
        command=[sys.executable, "-m", "rasa_sdk", "--actions", "actions", "--port", str(port)],
        health_url=f"http://127.0.0.1:{port}/health",
        env=QUIET_RASA_ENV,
    )


def rasa_server_spec(port: int, model: Path, action_server_url: str, tracker_env: dict[str, str]) -> ServiceSpec:
    """The Rasa server with the REST channel, the SQL tracker store and the given model."""
    command = [
        sys.executable, "-m", "rasa", "run",
        "--model", str(model),
        "--interface", "127.0.0.1",
        "--port", str(port),
        "--endpoints", str(PROJECT_ROOT / "endpoints.yml"),
        "--credentials", str(PROJECT_ROOT / "credentials.yml"),
    ]  # fmt: skip
    return ServiceSpec(
        name="rasa",
        command=command,
        health_url=f"http://127.0.0.1:{port}/",
        env={**QUIET_RASA_ENV, **tracker_env, "ACTION_SERVER_URL": action_server_url},
    )


def webhook_spec(port: int, workers: int = 2) -> ServiceSpec:
    """The Flask webhook under gunicorn."""
    command = [
        sys.executable, "-m", "gunicorn",
        "--bind", f"127.0.0.1:{port}",
        "--workers", str(workers),
        "--threads", "4",
        "--timeout", "30",
        "webhook:create_app()",
    ]  # fmt: skip
    return ServiceSpec(name="webhook", command=command, health_url=f"http://127.0.0.1:{port}/health", env={})


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
