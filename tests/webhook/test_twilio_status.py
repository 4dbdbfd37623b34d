"""Twilio's status callbacks: signed like inbound messages, never moving a message back, never a 500."""

import pytest

from bot.models import Message
from tests.contacts import add_contact, outbound
from tests.twilio_reports import STATUS_URL, report, status_form
from webhook.services import EXTENSION_KEY

NUMBER = "+8801711000030"


@pytest.fixture
def sid(app, engine, vault, recorder, stored) -> str:
    """The SID of a counsellor's SMS the service sent through Twilio's API, asking for status callbacks."""
    contact_id = add_contact(engine, vault, "sms", NUMBER)
    app.extensions[EXTENSION_KEY].delivery.send_to_contact(contact_id, ["We are here."], Message.STAFF)
    (request,) = recorder.sent
    assert request["status_callback"] == STATUS_URL
    (message,) = outbound(stored)
    assert message.delivery_status == "sent" and message.external_id.startswith("SM")
    return message.external_id


def stored_status(stored) -> tuple[str, str | None]:
    (message,) = outbound(stored)
    return message.delivery_status, message.delivery_error


@pytest.mark.parametrize("token", [None, "wrong-token"])
def test_an_unsigned_or_forged_report_is_refused_and_changes_nothing(client, sid, stored, token):
    assert report(client, status_form(sid, "undelivered", "30003"), token).status_code == 403
    assert stored_status(stored) == ("sent", None)


@pytest.mark.parametrize(
    ("status", "error_code", "expected"),
    [
        ("accepted", None, ("sent", None)),
        ("queued", None, ("sent", None)),
        ("sending", None, ("sent", None)),
        ("sent", None, ("sent", None)),
        ("delivered", None, ("delivered", None)),
        ("read", None, ("read", None)),
        ("undelivered", "30003", ("undelivered", "30003")),
        ("failed", "30008", ("failed", "30008")),
        ("failed", "63016", ("failed", "63016")),
        ("canceled", None, ("failed", None)),
        ("receiving", None, ("sent", None)),
    ],
)
def test_every_status_is_stored_with_its_error_code(client, sid, stored, status, error_code, expected):
    assert report(client, status_form(sid, status, error_code)).status_code == 204
    assert stored_status(stored) == expected


@pytest.mark.parametrize(
    ("reports", "expected"),
    [
        ([("delivered", None), ("sent", None)], ("delivered", None)),
        ([("read", None), ("delivered", None)], ("read", None)),
        ([("undelivered", "30003"), ("sent", None)], ("undelivered", "30003")),
        ([("failed", "30008"), ("undelivered", "30005")], ("failed", "30008")),
        ([("delivered", None), ("failed", "30008")], ("delivered", None)),
        # A failure is final unless the phone confirms it got the message after all.
        ([("undelivered", "30003"), ("delivered", None)], ("delivered", None)),
    ],
)
def test_reports_out_of_order_never_move_a_message_back(client, sid, stored, reports, expected):
    for status, error_code in reports:
        assert report(client, status_form(sid, status, error_code)).status_code == 204
    assert stored_status(stored) == expected


def test_a_report_on_an_erased_message_is_answered_and_stores_nothing(app, client, sid, stored):
    (contact,) = stored.contacts()
    app.extensions[EXTENSION_KEY].eraser.erase_contact(contact.id, contact.pseudonym)
    assert report(client, status_form(sid, "delivered")).status_code == 204
    assert stored.all() == [] and stored.contacts() == []


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({}, "sent"),
        ({"MessageSid": "{sid}"}, "sent"),
        ({"MessageStatus": "delivered"}, "sent"),
        ({"MessageSid": "SM\x00{sid}", "MessageStatus": "delivered"}, "sent"),
        ({"MessageSid": "SM" + "é" * 32, "MessageStatus": "delivered"}, "sent"),
        ({"MessageSid": "{sid}" * 500, "MessageStatus": "failed", "ErrorCode": "30008"}, "sent"),
        ({"MessageSid": "{sid}", "MessageStatus": "delivered\x00"}, "sent"),
        ({"MessageSid": "{sid}", "MessageStatus": "DELIVERED"}, "sent"),
        # A status is stored without an error code that is not a number.
        ({"MessageSid": "{sid}", "MessageStatus": "undelivered", "ErrorCode": "30003\x00<b>"}, "undelivered"),
        ({"MessageSid": "{sid}", "MessageStatus": "undelivered", "ErrorCode": "9" * 500}, "undelivered"),
    ],
)
def test_malformed_fields_are_answered_without_error(client, sid, stored, fields, expected):
    form = {name: value.replace("{sid}", sid) for name, value in fields.items()}
    assert report(client, form).status_code == 204
    assert stored_status(stored) == (expected, None)
