"""Start the service's processes (action server, Rasa, webhook, worker), restart them, and stop them cleanly."""

from __future__ import annotations

import ctypes
import logging
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
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
    """A process: its command, the URL answering 200 when ready (or ""), extra environment, restart when it exits."""

    name: str
    command: list[str]
    health_url: str
    env: dict[str, str]
    restartable: bool = True


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


def rasa_endpoint_env(
    database_url: str, redis_url: str, instance_path: Path, tracker_keys: tuple[str, ...]
) -> dict[str, str]:
    """Every variable endpoints.yml reads besides ACTION_SERVER_URL: tracker store (with its keys) and lock store."""
    tracker = {
        "TRACKER_DATABASE_URL": tracker_database_url(database_url, instance_path),
        "TRACKER_ENCRYPTION_KEYS": ",".join(tracker_keys),
    }
    return tracker | lock_store_env(redis_url)


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
    # Not restartable: it keeps messages while the others restart, so its own exit stops `python -m bot run`.
    return ServiceSpec(
        name=name, command=command, health_url=f"http://127.0.0.1:{port}/ready", env={}, restartable=False
    )


def service_specs(settings: Settings, model: Path, interface: str = "127.0.0.1") -> dict[str, ServiceSpec]:
    """The action server, the Rasa server, the webhook and the retry worker as the settings describe them, in order."""
    endpoint_env = rasa_endpoint_env(
        settings.database_url, settings.redis_url, settings.instance_path, settings.tracker_encryption_keys
    )
    # SESSION_MINUTES is read inside Rasa by rasa_addons/session_length.py.
    rasa_env = endpoint_env | {"SESSION_MINUTES": str(settings.session_minutes)}
    return {
        "actions": action_server_spec(urlsplit(settings.action_server_url).port or 5055, interface),
        "rasa": rasa_server_spec(
            urlsplit(settings.rasa_urls[0]).port or 5005, model, settings.action_server_url, rasa_env, interface
        ),
        "webhook": webhook_spec(settings.webhook_port, settings.webhook_workers, interface),
        "worker": worker_spec(),
    }


def worker_spec() -> ServiceSpec:
    """The retry worker; it serves no HTTP, so it counts as ready once it is running."""
    return ServiceSpec(name="worker", command=[sys.executable, "-m", "bot", "worker"], health_url="", env={})


log = logging.getLogger(__name__)

STOP_GRACE_SECONDS = 15.0
POLL_SECONDS = 0.2
PR_SET_PDEATHSIG = 1  # linux/prctl.h


@dataclass(frozen=True)
class RestartPolicy:
    """Restart an exited process after 1, 2, 4 ... s (capped); more than max_restarts within window s is a loop."""

    first_delay: float = 1.0
    max_delay: float = 30.0
    max_restarts: int = 5
    window: float = 600.0

    def delay(self, recent_exits: int) -> float:
        """Seconds to wait before restarting a process that exited recent_exits times within the window."""
        return min(self.first_delay * 2 ** (recent_exits - 1), self.max_delay)


def die_with_parent() -> Callable[[], None] | None:
    """A preexec_fn that makes the child get SIGTERM when this process dies, even by SIGKILL (Linux; else None)."""
    if not sys.platform.startswith("linux"):
        return None
    prctl = ctypes.CDLL("libc.so.6", use_errno=True).prctl
    parent = os.getpid()

    def set_death_signal() -> None:
        # Strictly, when the thread that started the child ends: start children from the main thread.
        prctl(PR_SET_PDEATHSIG, int(signal.SIGTERM))
        if os.getppid() != parent:  # the parent died before prctl: no death signal would come
            os.kill(os.getpid(), signal.SIGTERM)

    return set_death_signal


def has_exited(process: subprocess.Popen) -> bool:
    """Whether the process has exited, without collecting it: its group id stays taken until reap_group."""
    if process.returncode is not None:
        return True
    return os.waitid(os.P_PID, process.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None


def wait_exited(process: subprocess.Popen, timeout: float) -> bool:
    """Whether the process exits within the timeout (left uncollected, as has_exited)."""
    deadline = time.monotonic() + timeout
    while not has_exited(process):
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.05)
    return True


def signal_group(process: subprocess.Popen, signum: int) -> None:
    """Send a signal to the process's group, unless the process has been collected (its group id may be reused)."""
    if process.returncode is None:
        with suppress(ProcessLookupError):
            os.killpg(process.pid, signum)


def reap_group(process: subprocess.Popen) -> int:
    """Kill whatever is left of the process's group (the process too, if alive), then collect its exit status."""
    signal_group(process, signal.SIGKILL)
    return process.wait()


def describe_exit(returncode: int) -> str:
    """How a process ended: "exit code 3" or "killed by SIGKILL"."""
    if returncode >= 0:
        return f"exit code {returncode}"
    try:
        return f"killed by {signal.Signals(-returncode).name}"
    except ValueError:  # a real-time signal has no name
        return f"killed by signal {-returncode}"


class Supervisor:
    """Owns child processes, each in its own process group and dying with this process; restarts and stops them."""

    def __init__(self, log_dir: Path, base_env: dict[str, str] | None = None) -> None:
        self._log_dir = log_dir
        self._base_env = dict(os.environ if base_env is None else base_env)
        self._specs: dict[str, ServiceSpec] = {}
        self._running: dict[str, subprocess.Popen] = {}
        self._exits: dict[str, list[float]] = {}
        self._restart_due: dict[str, float] = {}
        self._stopping = False
        log_dir.mkdir(parents=True, exist_ok=True)

    def log_path(self, name: str) -> Path:
        """Where a process's output goes."""
        return self._log_dir / f"{name}.log"

    def start(self, spec: ServiceSpec, timeout: float = 240.0) -> subprocess.Popen:
        """Start a process and wait until its health URL answers 200; raise with its log tail if it does not."""
        process = self._spawn(spec)
        self._wait_healthy(spec, process, timeout)
        return process

    def _spawn(self, spec: ServiceSpec) -> subprocess.Popen:
        with self.log_path(spec.name).open("ab") as log_file:
            process = subprocess.Popen(
                spec.command,
                cwd=PROJECT_ROOT,
                env={**self._base_env, **spec.env},
                stdout=log_file,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                preexec_fn=die_with_parent(),  # runs prctl and getppid only, before exec
            )
        self._specs[spec.name] = spec
        self._running[spec.name] = process
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

    def supervise(self, policy: RestartPolicy = RestartPolicy()) -> str:
        """Restart exited processes with backoff until one not restartable exits or one loops; return which and why."""
        while True:
            now = time.monotonic()
            for name, process in list(self._running.items()):
                if has_exited(process):
                    how = describe_exit(reap_group(process))
                    del self._running[name]
                    reason = self._schedule_restart(name, how, now, policy)
                    if reason:
                        return reason
            for name, due in list(self._restart_due.items()):
                if due <= now:
                    del self._restart_due[name]
                    log.warning("%s restarted (pid %d)", name, self._spawn(self._specs[name]).pid)
            time.sleep(POLL_SECONDS)

    def _schedule_restart(self, name: str, how: str, now: float, policy: RestartPolicy) -> str:
        """Schedule the restart of a process that exited, or return why everything must stop instead."""
        see = f"see {self.log_path(name)}"
        if not self._specs[name].restartable:
            return f"{name} exited ({how}; {see})"
        exits = [moment for moment in self._exits.get(name, []) if now - moment < policy.window] + [now]
        self._exits[name] = exits
        if len(exits) > policy.max_restarts:
            return f"{name} exited {len(exits)} times within {policy.window:g} s ({how}), a restart loop; {see}"
        delay = policy.delay(len(exits))
        log.warning("%s exited (%s); restarting it in %g s; %s", name, how, delay, see)
        self._restart_due[name] = now + delay
        return ""

    @contextmanager
    def stopping_on_signals(self) -> Iterator[None]:
        """Within: the first SIGINT or SIGTERM raises KeyboardInterrupt; a later one kills every process at once."""
        handlers = {signum: signal.signal(signum, self._on_signal) for signum in (signal.SIGINT, signal.SIGTERM)}
        try:
            yield
        finally:
            for signum, handler in handlers.items():
                signal.signal(signum, handler)

    def _on_signal(self, signum: int, _frame: object) -> None:
        if self._stopping:
            for process in list(self._running.values()):
                signal_group(process, signal.SIGKILL)
            return
        self._stopping = True
        raise KeyboardInterrupt(signal.Signals(signum).name)

    def stop(self, name: str) -> None:
        """Stop one process group: SIGTERM, then SIGKILL after a grace period."""
        self._stop([name])

    def stop_all(self) -> None:
        """Stop every process group together, newest first; from now on a signal kills them instead of interrupting."""
        self._stopping = True
        self._restart_due.clear()
        self._stop(list(reversed(self._running)))

    def _stop(self, names: list[str]) -> None:
        processes = [self._running[name] for name in names if name in self._running]
        for name in names:
            self._restart_due.pop(name, None)
        for process in processes:
            signal_group(process, signal.SIGTERM)
        deadline = time.monotonic() + STOP_GRACE_SECONDS
        for process in processes:
            wait_exited(process, deadline - time.monotonic())
            reap_group(process)
        for name in names:
            self._running.pop(name, None)


def run_services(supervisor: Supervisor, specs: Iterable[ServiceSpec], on_ready: Callable[[], None]) -> int:
    """Start the processes in order and supervise them; stop them all on SIGINT or SIGTERM (0) or on a failure (1)."""
    with supervisor.stopping_on_signals():
        try:
            for spec in specs:
                supervisor.start(spec)
            on_ready()
            reason = supervisor.supervise()
        except KeyboardInterrupt:
            return 0
        except RuntimeError as error:
            reason = str(error)
        finally:
            # Before logging anything: on Ctrl-C the terminal or a pipe reader may already be gone.
            supervisor.stop_all()
    log.error("%s; stopped the rest", reason)
    return 1
