"""Build Twilio-signed SMS webhook requests, as Twilio would send them (for the test-SMS command and the tests)."""

from __future__ import annotations

import uuid

from twilio.request_validator import RequestValidator


def sms_form(sender: str, body: str, message_sid: str | None = None, to: str = "+15005550006") -> dict[str, str]:
    """The form fields Twilio posts for an inbound SMS."""
    return {
        "MessageSid": message_sid or f"SM{uuid.uuid4().hex}",
        "AccountSid": "AC" + "0" * 32,
        "From": sender,
        "To": to,
        "Body": body,
        "NumMedia": "0",
    }


def signature(auth_token: str, url: str, form: dict[str, str]) -> str:
    """The X-Twilio-Signature header value for a form posted to url."""
    return RequestValidator(auth_token).compute_signature(url, form)
