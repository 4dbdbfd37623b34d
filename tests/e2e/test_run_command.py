"""`python -m bot run` starts every process on the loopback, answers a signed SMS, restarts a killed process, and
Ctrl-C leaves no process behind and every port free."""

import os
import signal
import subprocess
import sys
import time

import pytest
import requests

from bot.channels.twilio_signing import signature, sms_form
from bot.settings import PROJECT_ROOT
from tests.conftest import free_port
from tests.ops.process_probe import listening_addresses, processes_mentioning

pytestmark = pytest.mark.e2e


def wait_for_restart(old_pid: int, command_text: str, health_url: str, timeout: float) -> None:
    """Wait until another process than old_pid runs the command and its health URL answers 200."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        restarted = [pid for pid in processes_mentioning(command_text) if pid != old_pid]
        try:
            if restarted and requests.get(health_url, timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    pytest.fail(f"no new process answering {health_url} within {timeout} s")


def test_run_serves_restarts_and_ctrl_c_stops_everything(rasa_stack, service_env, engine):
    ports = {"rasa": free_port(), "actions": free_port(), "webhook": free_port()}
    env = {
        **os.environ,
        **service_env,
        "RASA_URL": f"http://127.0.0.1:{ports['rasa']}",
        "ACTION_SERVER_URL": f"http://127.0.0.1:{ports['actions']}/webhook",
        "WEBHOOK_PORT": str(ports["webhook"]),
        "PUBLIC_BASE_URL": f"http://127.0.0.1:{ports['webhook']}",
    }
    run = subprocess.Popen(
        [sys.executable, "-m", "bot", "run"],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )

    def ask_saudi_fee(sender: str) -> str:
        url = f"http://127.0.0.1:{ports['webhook']}/channels/twilio/sms"
        form = sms_form(sender, "how much should I pay for Saudi?")
        headers = {"X-Twilio-Signature": signature(env["TWILIO_AUTH_TOKEN"], url, form)}
        return requests.post(url, data=form, headers=headers, timeout=30).text

    try:
        deadline = time.monotonic() + 400
        output = []
        while time.monotonic() < deadline and run.poll() is None:
            line = run.stdout.readline()
            output.append(line)
            if line.startswith("Ready."):
                break
        assert any(line.startswith("Ready.") for line in output), "".join(output)
        assert "1,65,000" in ask_saudi_fee("+8801711000099")
        assert {name: listening_addresses(port) for name, port in ports.items()} == {
            name: ["127.0.0.1"] for name in ports
        }
        action_server = f"--port {ports['actions']}"
        (killed,) = processes_mentioning(action_server)
        os.kill(killed, signal.SIGKILL)  # as the kernel's out-of-memory killer would
        health_url = f"http://127.0.0.1:{ports['actions']}/health"
        wait_for_restart(killed, action_server, health_url, timeout=180)
        assert run.poll() is None, "a restartable process's exit stopped `python -m bot run`"
        assert "1,65,000" in ask_saudi_fee("+8801711000098")
        os.killpg(run.pid, signal.SIGINT)
        assert run.wait(timeout=60) == 0
    finally:
        if run.poll() is None:
            os.killpg(run.pid, signal.SIGKILL)
            run.wait()
        run.stdout.close()
    for port in ports.values():
        assert processes_mentioning(f"--port {port}") == []
        assert processes_mentioning(f"127.0.0.1:{port}") == []
        assert listening_addresses(port) == []
