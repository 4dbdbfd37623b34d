"""Liveness, request ids and JSON logs without personal data, and the Prometheus metrics of the webhook."""

import dataclasses
import json
import logging

from prometheus_client import REGISTRY

from bot.channels.twilio_signing import signature, sms_form
from bot.db import make_session_factory, transaction
from bot.models import Case, Contact, Message
from bot.ops import request_ids
from bot.ops.json_logs import JsonFormatter, RequestIdFilter
from tests.conftest import PUBLIC_BASE_URL, SMS_PATH, TWILIO_AUTH_TOKEN, latest_user_metadata

SENDER = "+8801711000077"


def request_id_rasa_got(settings, vault) -> str:
    """The request id in the metadata of the latest message Rasa stored for SENDER."""
    return latest_user_metadata(settings, vault.pseudonym("sms", SENDER))["request_id"]


def post_sms(client, text: str, headers: dict | None = None, token: str = TWILIO_AUTH_TOKEN):
    form = sms_form(SENDER, text)
    signed = {"X-Twilio-Signature": signature(token, PUBLIC_BASE_URL + SMS_PATH, form), **(headers or {})}
    return client.post(SMS_PATH, data=form, headers=signed)


def sample(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def test_health_is_liveness_only(settings, make_app):
    dead = dataclasses.replace(settings, rasa_url="http://127.0.0.1:9", action_server_url="http://127.0.0.1:9/webhook")
    response = make_app(dead).test_client().get("/health")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


def test_request_id_reaches_rasa_and_the_reply(rasa_stack, client, vault):
    response = post_sms(client, "hello", {"X-Request-ID": "proxy-id-12345678"})
    assert response.headers["X-Request-ID"] == "proxy-id-12345678"
    assert request_id_rasa_got(rasa_stack, vault) == "proxy-id-12345678"
    for unacceptable in ("bad id with spaces", "+8801711000077", "8801711000077"):
        fresh = post_sms(client, "what documents do i need", {"X-Request-ID": unacceptable})
        assert fresh.headers["X-Request-ID"] not in ("", unacceptable)
        assert request_id_rasa_got(rasa_stack, vault) == fresh.headers["X-Request-ID"]


def test_log_lines_are_json_with_the_request_id_and_no_number(rasa_stack, client, caplog):
    with caplog.at_level(logging.INFO):
        response = post_sms(client, "my passport was taken", {"X-Request-ID": "trace-0000000001"})
    lines = [json.loads(JsonFormatter().format(record)) for record in caplog.records]
    assert any(line["request_id"] == response.headers["X-Request-ID"] for line in lines)
    assert "8801711000077" not in caplog.text and "passport" not in caplog.text


def test_the_formatter_writes_one_json_object_with_the_current_request_id():
    record = logging.LogRecord("t", logging.WARNING, __file__, 1, "reply to %s failed", ("+8801711000001",), None)
    request_ids.use("abcdef0123456789")
    try:
        RequestIdFilter().filter(record)
    finally:
        request_ids.clear()
    line = json.loads(JsonFormatter().format(record))
    assert line["request_id"] == "abcdef0123456789"
    assert line["level"] == "WARNING" and line["message"] == "reply to +8801711000001 failed"


def test_channel_requests_and_messages_are_counted_and_timed(rasa_stack, client):
    before = {
        "inbound": sample("safemig_inbound_messages_total", channel="sms"),
        "outbound": sample("safemig_outbound_messages_total", channel="sms"),
        "forged": sample("safemig_webhook_requests_total", channel="twilio", status="403"),
        "timed": sample("safemig_webhook_request_seconds_count", channel="twilio"),
    }
    post_sms(client, "hello")
    post_sms(client, "hello", token="forged")
    client.get("/health")
    assert sample("safemig_inbound_messages_total", channel="sms") == before["inbound"] + 1
    assert sample("safemig_outbound_messages_total", channel="sms") == before["outbound"] + 1
    assert sample("safemig_webhook_requests_total", channel="twilio", status="403") == before["forged"] + 1
    assert sample("safemig_webhook_request_seconds_count", channel="twilio") == before["timed"] + 2


def test_rasa_errors_are_counted(settings, make_app):
    client = make_app(dataclasses.replace(settings, rasa_url="http://127.0.0.1:9")).test_client()
    before = sample("safemig_rasa_errors_total", error="ConnectionError")
    post_sms(client, "hello")
    assert sample("safemig_rasa_errors_total", error="ConnectionError") == before + 1


def test_metrics_show_pending_retries_and_open_cases_from_the_database(client, engine, vault):
    with transaction(make_session_factory(engine)) as session:
        contact = Contact(channel="sms", pseudonym="p-metrics", address_encrypted=vault.encrypt(SENDER))
        session.add(contact)
        session.flush()
        for direction, status in (("in", "pending"), ("in", "pending"), ("in", "answered"), ("out", "queued")):
            session.add(
                Message(contact_id=contact.id, direction=direction, channel="sms", status=status, text_encrypted="x")
            )
        session.add(
            Case(
                contact_id=contact.id,
                open_contact_id=contact.id,
                priority="urgent",
                status="open",
                channel="sms",
                language="en",
                intent="report_abuse",
            )
        )
    post_sms(client, "STOP")  # one channel request timed before the scrape, whatever ran before this test
    body = client.get("/metrics").get_data(as_text=True)
    assert 'safemig_pending_retries{direction="in"} 2.0' in body
    assert 'safemig_pending_retries{direction="out"} 1.0' in body
    assert 'safemig_open_cases{priority="urgent"} 1.0' in body and 'safemig_open_cases{priority="high"} 0.0' in body
    assert "safemig_webhook_request_seconds_bucket" in body
