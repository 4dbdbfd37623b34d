"""`python -m bot run` stops every process it started: on SIGTERM, on Ctrl-C, on two Ctrl-C, and when it is killed."""

from __future__ import annotations

import dataclasses
import json
import os
import selectors
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator

import pytest

from bot.settings import PROJECT_ROOT
from tests.conftest import free_port
from tests.ops.process_probe import listening_addresses, processes_mentioning
from tests.ops.test_supervisor import fake_spec

# What `python -m bot run` does once the model is there (bot/cli.py run), with fake services.
RUN_LIKE = """
import json, sys
from pathlib import Path
from bot.ops import log_privacy
from bot.ops.processes import ServiceSpec, Supervisor, run_services
log_privacy.install()
specs = [ServiceSpec(**spec) for spec in json.loads(sys.argv[1])]
sys.exit(run_services(Supervisor(Path(sys.argv[2])), specs, lambda: print("Ready.", flush=True)))
"""


@pytest.fixture
def ports() -> list[int]:
    """Three free ports for three fake services."""
    return [free_port(), free_port(), free_port()]


@pytest.fixture
def fake_services(tmp_path) -> str:
    """What the command lines of the fake services of this test, and only theirs, contain."""
    return f"tests.ops.fake_service --starts {tmp_path}"


@pytest.fixture
def start_run_like(tmp_path, ports, fake_services) -> Iterator[Callable[[float], subprocess.Popen]]:
    """Starts the supervisor of three fake services taking stop_delay seconds to stop; returns once all are ready."""
    started: list[subprocess.Popen] = []

    def start(stop_delay: float) -> subprocess.Popen:
        specs = [
            fake_spec(f"fake-{port}", tmp_path / f"starts-{port}", port, "--stop-delay", str(stop_delay))
            for port in ports
        ]
        run = subprocess.Popen(
            [sys.executable, "-c", RUN_LIKE, json.dumps([dataclasses.asdict(spec) for spec in specs]), str(tmp_path)],
            cwd=PROJECT_ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,  # its own process group, as `make run` in a terminal
        )
        started.append(run)
        with selectors.DefaultSelector() as selector:
            selector.register(run.stdout, selectors.EVENT_READ)
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and run.poll() is None:
                if selector.select(timeout=1) and run.stdout.readline().startswith("Ready."):
                    assert len(processes_mentioning(fake_services)) == len(ports)
                    assert [listening_addresses(port) for port in ports] == [["127.0.0.1"]] * len(ports)
                    return run
        pytest.fail("the fake services did not become ready")

    yield start
    for run in started:
        run.kill()
        run.wait()
        run.stdout.close()


def assert_nothing_left(fake_services: str, ports: list[int], within: float = 0.0) -> None:
    """No fake service is alive and no port is taken, at the latest after the given seconds."""
    deadline = time.monotonic() + within
    while processes_mentioning(fake_services) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert processes_mentioning(fake_services) == []
    assert [listening_addresses(port) for port in ports] == [[]] * len(ports)


def test_sigterm_stops_every_process(start_run_like, fake_services, ports):
    run = start_run_like(stop_delay=0)
    run.terminate()
    assert run.wait(timeout=20) == 0
    assert_nothing_left(fake_services, ports)


def test_a_second_ctrl_c_during_the_stop_kills_every_process_at_once(start_run_like, fake_services, ports):
    run = start_run_like(stop_delay=30)
    os.killpg(run.pid, signal.SIGINT)
    time.sleep(1)
    asked = time.monotonic()
    os.killpg(run.pid, signal.SIGINT)
    assert run.wait(timeout=20) == 0
    assert time.monotonic() - asked < 5, "the second Ctrl-C did not cut the 30 s stops short"
    assert_nothing_left(fake_services, ports)


def test_children_die_with_a_killed_supervisor(start_run_like, fake_services, ports):
    run = start_run_like(stop_delay=0)
    run.kill()
    run.wait()
    assert_nothing_left(fake_services, ports, within=10)
