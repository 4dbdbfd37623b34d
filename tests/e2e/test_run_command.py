"""`python -m bot run` starts every process, answers a signed SMS, and Ctrl-C leaves no process behind."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from bot.channels.twilio_signing import signature, sms_form
from bot.settings import PROJECT_ROOT
from tests.conftest import free_port

pytestmark = pytest.mark.e2e


def processes_mentioning(text: str) -> list[int]:
    """PIDs of live processes whose command line contains the text."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except (OSError, ValueError):
            continue
        if entry.name.isdigit() and text in command:
            found.append(int(entry.name))
    return found


def test_run_serves_and_ctrl_c_stops_everything(rasa_stack, service_env, engine):
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
    try:
        deadline = time.monotonic() + 400
        output = []
        while time.monotonic() < deadline and run.poll() is None:
            line = run.stdout.readline()
            output.append(line)
            if line.startswith("Ready."):
                break
        assert any(line.startswith("Ready.") for line in output), "".join(output)
        url = f"http://127.0.0.1:{ports['webhook']}/channels/twilio/sms"
        form = sms_form("+8801711000099", "how much should I pay for Saudi?")
        headers = {"X-Twilio-Signature": signature(env["TWILIO_AUTH_TOKEN"], url, form)}
        response = requests.post(url, data=form, headers=headers, timeout=30)
        assert "1,65,000" in response.text
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
