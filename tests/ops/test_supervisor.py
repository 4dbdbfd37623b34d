"""The supervisor of `python -m bot run`: restarts with backoff; a restart loop or the webhook's exit stops it."""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading
import time
from pathlib import Path

import requests

from bot.ops.processes import RestartPolicy, ServiceSpec, Supervisor, has_exited, service_specs
from tests.conftest import free_port

FAST = RestartPolicy(first_delay=0.5, max_delay=1.0, max_restarts=5, window=60.0)


def fake_spec(name: str, starts: Path, port: int = 0, *options: str, restartable: bool = True) -> ServiceSpec:
    """A fake service (tests/ops/fake_service.py) recording its starts, healthy on the port if one is given."""
    command = [sys.executable, "-m", "tests.ops.fake_service", "--starts", str(starts), *options]
    if port:
        command += ["--port", str(port)]
    health_url = f"http://127.0.0.1:{port}/" if port else ""
    return ServiceSpec(name, command, health_url, env={}, restartable=restartable)


def starts_of(path: Path) -> list[tuple[int, float]]:
    """(pid, wall-clock time) of each start a fake service recorded."""
    if not path.exists():
        return []
    return [(int(pid), float(when)) for pid, when in (line.split() for line in path.read_text().splitlines())]


def wait_for_start(path: Path, count: int, timeout: float = 20.0) -> tuple[int, float]:
    """The count-th start of a fake service, once it happened."""
    deadline = time.monotonic() + timeout
    while len(starts := starts_of(path)) < count:
        assert time.monotonic() < deadline, f"no start number {count} in {path}"
        time.sleep(0.05)
    return starts[count - 1]


def test_a_killed_process_is_restarted_with_backoff_while_the_others_keep_running(tmp_path, caplog):
    supervisor = Supervisor(tmp_path / "logs")
    flaky_port, steady_port, front_port = free_port(), free_port(), free_port()
    flaky, steady, front = tmp_path / "flaky", tmp_path / "steady", tmp_path / "front"
    supervisor.start(fake_spec("rasa-fake", flaky, flaky_port))
    supervisor.start(fake_spec("steady-fake", steady, steady_port))
    front_process = supervisor.start(fake_spec("front-fake", front, front_port, restartable=False))
    delays, failures = [], []

    def kill_four_times_then_stop_the_front() -> None:
        try:
            for restarts in range(4):
                pid, _started = wait_for_start(flaky, restarts + 1)
                killed_at = time.time()
                os.kill(pid, signal.SIGKILL)
                _pid, restarted_at = wait_for_start(flaky, restarts + 2)
                delays.append(restarted_at - killed_at)
                assert requests.get(f"http://127.0.0.1:{steady_port}/", timeout=5).status_code == 200
        except Exception as error:  # noqa: BLE001 - reported by the test thread below
            failures.append(error)
        finally:
            front_process.terminate()

    killer = threading.Thread(target=kill_four_times_then_stop_the_front)
    killer.start()
    try:
        # In the main thread, as under `python -m bot run`: a child dies with the thread that started it.
        with caplog.at_level(logging.WARNING, logger="bot.ops.processes"):
            reason = supervisor.supervise(FAST)
        killer.join()
        assert failures == []
        assert reason.startswith("front-fake exited (exit code 0")
        # 0.5, 1, then capped at 1 s (not 2, 4): each restart waits its delay, plus a poll and a Python start-up.
        for delay, expected in zip(delays, (0.5, 1.0, 1.0, 1.0), strict=True):
            assert expected <= delay < expected + 2.0, delays
        assert requests.get(f"http://127.0.0.1:{flaky_port}/", timeout=5).status_code == 200
        assert len(starts_of(steady)) == 1
        assert "rasa-fake exited (killed by SIGKILL); restarting it in 0.5 s" in caplog.text
        assert "rasa-fake exited (killed by SIGKILL); restarting it in 1 s" in caplog.text
    finally:
        supervisor.stop_all()


def test_a_restart_loop_stops_the_supervisor(tmp_path):
    supervisor = Supervisor(tmp_path / "logs")
    crashing, steady = tmp_path / "crashing", tmp_path / "steady"
    supervisor.start(fake_spec("crashing-fake", crashing, 0, "--lifetime", "1.2"))
    steady_process = supervisor.start(fake_spec("steady-fake", steady))
    started = time.monotonic()
    try:
        reason = supervisor.supervise(RestartPolicy(first_delay=0.1, max_restarts=2, window=60.0))
        assert reason.startswith("crashing-fake exited 3 times within 60 s (exit code 3), a restart loop")
        assert len(starts_of(crashing)) == 3
        assert time.monotonic() - started < 15
        assert not has_exited(steady_process), "the supervisor stops the rest only when told to"
    finally:
        supervisor.stop_all()
    assert has_exited(steady_process)


def test_by_default_restarts_wait_1_2_4_8_16_s_and_a_sixth_exit_in_10_minutes_is_a_loop():
    policy = RestartPolicy()
    assert [policy.delay(exits) for exits in range(1, 7)] == [1, 2, 4, 8, 16, 30]
    assert (policy.max_restarts, policy.window) == (5, 600)


def test_only_the_webhook_exit_stops_run_and_every_process_listens_on_loopback(settings):
    specs = service_specs(settings, Path("model.tar.gz"))
    assert {key: spec.restartable for key, spec in specs.items()} == {
        "actions": True,
        "rasa": True,
        "webhook": False,
        "worker": True,
    }
    rasa, webhook = specs["rasa"].command, specs["webhook"].command
    assert rasa[rasa.index("--interface") + 1] == "127.0.0.1"
    assert webhook[webhook.index("--bind") + 1] == f"127.0.0.1:{settings.webhook_port}"
    assert specs["actions"].env["SANIC_HOST"] == "127.0.0.1"
