"""Twilio's status callbacks, for messages sent by API or in TwiML answers: signed, never backwards, never a 500."""

import xml.etree.ElementTree as ET

import pytest

from bot.channels.twilio_signing import signature
from bot.models import Message
from tests.conftest import PUBLIC_BASE_URL, TWILIO_AUTH_TOKEN
from tests.contacts import add_contact, outbound
from tests.twilio_reports import STATUS_URL, report, status_form
from webhook.services import EXTENSION_KEY

NUMBER = "+8801711000030"
# Twilio's SIDs of messages sent in TwiML answers (only their form matters).
ANSWER_SID = "SM" + "a1" * 16
OTHER_SID = "SM" + "b2" * 16


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


def post_to(client, url: str, form: dict[str, str], signed_url: str | None = None, token: str = TWILIO_AUTH_TOKEN):
    """Post a status callback to a URL Twilio was given, signed for `signed_url` (the same URL unless told)."""
    headers = {"X-Twilio-Signature": signature(token, signed_url or url, form)}
    return client.post(url.removeprefix(PUBLIC_BASE_URL), data=form, headers=headers)


def twiml_messages(response) -> list[ET.Element]:
    """The <Message> elements of a TwiML answer."""
    assert response.status_code == 200
    return list(ET.fromstring(response.data).iter("Message"))


@pytest.fixture
def answered(sms, stored) -> tuple[int, str]:
    """The stored row of a bot answer sent inside a TwiML reply, and the action URL its <Message> carries."""
    (message,) = twiml_messages(sms.send("HELP"))
    row = outbound(stored)[-1]
    assert message.text == stored.text(row) and row.external_id is None and row.delivery_status == "sent"
    assert message.get("method") == "POST"
    return row.id, message.get("action")


def test_a_reply_in_twiml_asks_for_its_status_with_its_row(answered):
    row_id, action = answered
    assert action == f"{STATUS_URL}?outbound={row_id}"


def test_the_first_report_ties_the_sid_and_later_ones_move_it_forward_only(client, answered, stored):
    _, action = answered
    assert post_to(client, action, status_form(ANSWER_SID, "sent")).status_code == 204
    (row,) = outbound(stored)
    assert (row.external_id, row.delivery_status) == (ANSWER_SID, "sent")
    assert report(client, status_form(ANSWER_SID, "delivered")).status_code == 204
    assert post_to(client, action, status_form(ANSWER_SID, "sent")).status_code == 204
    assert report(client, status_form(ANSWER_SID, "undelivered", "30003")).status_code == 204
    assert stored_status(stored) == ("delivered", None)
    assert post_to(client, action, status_form(ANSWER_SID, "read")).status_code == 204
    assert stored_status(stored) == ("read", None)


def test_a_failure_reported_on_the_action_url_is_stored_with_its_code(client, answered, stored):
    _, action = answered
    assert post_to(client, action, status_form(ANSWER_SID, "undelivered", "30003")).status_code == 204
    assert stored_status(stored) == ("undelivered", "30003")


@pytest.mark.parametrize("signed_for", ["unsigned", "wrong-token", "without-query", "other-row"])
def test_an_unsigned_report_on_the_action_url_is_refused(client, answered, stored, signed_for):
    row_id, action = answered
    form = status_form(ANSWER_SID, "delivered")
    if signed_for == "unsigned":
        response = client.post(action.removeprefix(PUBLIC_BASE_URL), data=form)
    elif signed_for == "wrong-token":
        response = post_to(client, action, form, token="wrong-token")
    else:
        # The query is covered by the signature: a valid one for another URL is no signature for this one.
        signed_url = STATUS_URL if signed_for == "without-query" else f"{STATUS_URL}?outbound={row_id + 1}"
        response = post_to(client, action, form, signed_url=signed_url)
    assert response.status_code == 403
    (row,) = outbound(stored)
    assert (row.external_id, row.delivery_status) == (None, "sent")


@pytest.mark.parametrize("outbound_id", ["{row}0", "999999999", "0", "-1", "abc", "{row} ", "9" * 40, ""])
def test_a_report_for_an_unknown_or_malformed_row_changes_nothing(client, answered, stored, outbound_id):
    row_id, _ = answered
    url = f"{STATUS_URL}?outbound={outbound_id.replace('{row}', str(row_id))}"
    assert post_to(client, url, status_form(ANSWER_SID, "delivered")).status_code == 204
    (row,) = outbound(stored)
    assert (row.external_id, row.delivery_status) == (None, "sent")


def test_a_sid_another_message_has_ties_nothing_and_moves_neither(client, sid, answered, stored):
    row_id, action = answered
    assert post_to(client, action, status_form(sid, "delivered")).status_code == 204
    # Nor may a row already tied to one SID take another.
    assert post_to(client, action, status_form(ANSWER_SID, "sent")).status_code == 204
    assert post_to(client, action, status_form(OTHER_SID, "delivered")).status_code == 204
    by_id = {row.id: (row.external_id, row.delivery_status) for row in outbound(stored)}
    assert by_id.pop(row_id) == (ANSWER_SID, "sent")
    assert list(by_id.values()) == [(sid, "sent")]


def test_the_inbound_sid_cannot_be_tied_to_the_reply(client, answered, stored):
    _, action = answered
    (inbound,) = [message for message in stored.all() if message.direction == Message.INBOUND]
    assert post_to(client, action, status_form(inbound.external_id, "delivered")).status_code == 204
    (row,) = outbound(stored)
    assert (row.external_id, row.delivery_status) == (None, "sent")


def test_a_report_on_an_erased_reply_is_answered_and_stores_nothing(app, client, answered, stored):
    _, action = answered
    (contact,) = stored.contacts()
    app.extensions[EXTENSION_KEY].eraser.erase_contact(contact.id, contact.pseudonym)
    assert post_to(client, action, status_form(ANSWER_SID, "delivered")).status_code == 204
    assert stored.all() == [] and stored.contacts() == []


def test_an_unstored_notice_gets_no_action(sms, stored):
    sms.send("DELETE")
    (confirmation,) = twiml_messages(sms.send("YES"))
    assert confirmation.text and confirmation.get("action") is None
    assert stored.all() == []
