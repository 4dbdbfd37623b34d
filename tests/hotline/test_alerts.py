"""Urgent-case alerts to staff: e-mail to a local SMTP server and a POST to a webhook, never with personal data."""

from __future__ import annotations

import dataclasses
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from bot.db import make_session_factory
from bot.hotline.alerts import StaffAlerts
from bot.hotline.handoff import CaseHandoff
from tests.hotline_fakes import FakeDelivery, add_person
from tests.smtp_receiver import SmtpReceiver

ADDRESS = "+8801712345678"
WORDS = "they took my passport"


@pytest.fixture
def smtp():
    receiver = SmtpReceiver().start()
    yield receiver
    receiver.stop()


@pytest.fixture
def hook():
    posted: list[dict] = []
    arrived = threading.Event()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            posted.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
            self.send_response(204)
            self.end_headers()
            arrived.set()

        def log_message(self, *args):
            """Quiet."""

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/alert", posted, arrived
    server.shutdown()
    server.server_close()


@pytest.fixture
def alert_settings(settings, smtp, hook):
    return dataclasses.replace(
        settings,
        smtp_url=f"smtp://127.0.0.1:{smtp.port}",
        alert_email_from="bot@example.org",
        alert_email_to="duty@example.org",
        alert_webhook_url=hook[0],
    )


def test_an_urgent_case_alerts_staff_by_email_and_webhook(engine, vault, alert_settings, smtp, hook):
    sessions = make_session_factory(engine)
    person = add_person(sessions, vault, ADDRESS, WORDS)
    handoff = CaseHandoff(sessions, vault, alert_settings, FakeDelivery())
    handoff.escalate(person, {"priority": "urgent", "intent": "action_report_abuse"}, "bn", "sms")
    assert smtp.received.wait(timeout=10) and hook[2].wait(timeout=10)
    [mail] = smtp.messages
    assert mail["Subject"].startswith("URGENT hotline case #")
    assert mail["To"] == "duty@example.org"
    body = mail.get_payload()
    assert "/console/cases/" in body and "(sms, bn)" in body
    [posted] = hook[1]
    assert posted["priority"] == "urgent" and posted["url"].endswith(f"/console/cases/{posted['case_id']}")
    for sent in (body, json.dumps(posted)):
        assert ADDRESS not in sent and WORDS not in sent


def test_a_failing_route_is_logged_not_raised(alert_settings, caplog):
    broken = dataclasses.replace(alert_settings, smtp_url="smtp://127.0.0.1:1", alert_webhook_url="http://127.0.0.1:1/")
    StaffAlerts(broken).send(7, "sms", "en")
    assert "e-mail alert failed" in caplog.text and "webhook alert failed" in caplog.text


def test_no_route_configured_sends_nothing(settings, smtp):
    StaffAlerts(settings).send(7, "sms", "en")
    assert smtp.messages == []
