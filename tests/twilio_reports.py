"""Twilio's status callbacks about outbound messages, signed and posted to the webhook as Twilio would."""

from __future__ import annotations

from bot.channels.twilio_signing import signature
from tests.conftest import PUBLIC_BASE_URL, TWILIO_AUTH_TOKEN
from tests.recorder import TWILIO_ACCOUNT_SID, TWILIO_SMS_NUMBER

STATUS_URL = PUBLIC_BASE_URL + "/channels/twilio/status"


def status_form(sid: str, status: str, error_code: str | None = None, to: str = "+8801711000030") -> dict[str, str]:
    """The fields Twilio posts about one outbound message."""
    form = {
        "MessageSid": sid,
        "SmsSid": sid,
        "MessageStatus": status,
        "AccountSid": TWILIO_ACCOUNT_SID,
        "From": TWILIO_SMS_NUMBER,
        "To": to,
        "ApiVersion": "2010-04-01",
    }
    return form | ({"ErrorCode": error_code} if error_code else {})


def report(client, form: dict[str, str], token: str | None = TWILIO_AUTH_TOKEN):
    """Post a status callback signed with the token (unsigned when None); the webhook's response."""
    headers = {"X-Twilio-Signature": signature(token, STATUS_URL, form)} if token else {}
    return client.post(STATUS_URL.removeprefix(PUBLIC_BASE_URL), data=form, headers=headers)
