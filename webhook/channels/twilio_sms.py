"""Twilio SMS webhook: signature check, one answer per MessageSid, replies as TwiML."""

from __future__ import annotations

from functools import wraps

from flask import Blueprint, Response, abort, request
from twilio.request_validator import RequestValidator
from twilio.twiml.messaging_response import MessagingResponse

from bot.conversations import InboundMessage
from webhook.services import services

bp = Blueprint("twilio_sms", __name__, url_prefix="/channels/twilio")


def public_url() -> str:
    """The URL Twilio called, as seen from outside any proxy: what the signature covers."""
    query = request.query_string.decode("latin-1")
    return services().settings.public_base_url + request.path + (f"?{query}" if query else "")


def validate_twilio_request(view):
    """Refuse with 403, before anything is stored, a request without a valid X-Twilio-Signature."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        validator = RequestValidator(services().settings.twilio_auth_token)
        signature = request.headers.get("X-Twilio-Signature", "")
        if not signature or not validator.validate(public_url(), request.form, signature):
            abort(403)
        return view(*args, **kwargs)

    return wrapper


def twiml(texts: list[str]) -> Response:
    """Render replies as a TwiML document."""
    response = MessagingResponse()
    for text in texts:
        response.message(text)
    return Response(str(response), mimetype="application/xml")


@bp.post("/sms")
@validate_twilio_request
def inbound_sms():
    """Answer one inbound SMS."""
    sid = request.form.get("MessageSid", "")
    sender = request.form.get("From", "")
    if not sid or not sender:
        abort(400, "MessageSid and From are required")
    inbound = InboundMessage(
        channel="sms",
        address=sender,
        external_id=sid,
        text=request.form.get("Body", ""),
        has_media=request.form.get("NumMedia", "0") not in ("", "0"),
    )
    return twiml(services().conversations.handle(inbound).replies)
