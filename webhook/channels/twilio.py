"""Twilio SMS and WhatsApp webhooks: signature check, one answer per MessageSid, replies as TwiML; status callbacks."""

from __future__ import annotations

import re
from functools import wraps

from flask import Blueprint, Response, abort, request
from sqlalchemy.exc import SQLAlchemyError
from twilio.request_validator import RequestValidator
from twilio.twiml.messaging_response import MessagingResponse

from bot.channels.twilio import REPORTED_STATUSES, SMS, STATUS_CALLBACK_PATH, WHATSAPP, WHATSAPP_PREFIX
from bot.language.forms import choose_form
from bot.messaging.conversations import InboundMessage
from bot.messaging.notices import notice
from webhook.services import services

bp = Blueprint("twilio", __name__, url_prefix="/channels/twilio")
# What Twilio's message SIDs (SM..., MM...) and error codes (30003, 63016) look like; anything else is not stored.
MESSAGE_SID = re.compile(r"[A-Z]{2}[0-9a-f]{32}")
ERROR_CODE = re.compile(r"[0-9]{1,10}")


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


def answer(channel: str) -> Response:
    """Parse the posted message and answer it in TwiML (empty when the reply will come later by API)."""
    sid, sender, body = (request.form.get(name, "") for name in ("MessageSid", "From", "Body"))
    if not sid or not sender:
        abort(400, "MessageSid and From are required")
    if sender.startswith(WHATSAPP_PREFIX) != (channel == WHATSAPP.name):
        abort(400, f"From does not belong to the {channel} channel")
    inbound = InboundMessage(
        channel=channel,
        address=sender,
        external_id=sid,
        text=body,
        has_media=request.form.get("NumMedia", "0") not in ("", "0"),
    )
    try:
        return twiml(services().dispatcher.answer_in_response(inbound))
    except SQLAlchemyError:
        # Nothing could be stored, and Twilio does not retry: ask the person to send it again.
        return twiml([notice("database_down", choose_form(body, None).form)])


@bp.post("/sms")
@validate_twilio_request
def inbound_sms():
    """Answer one inbound SMS."""
    return answer(SMS.name)


@bp.post("/whatsapp")
@validate_twilio_request
def inbound_whatsapp():
    """Answer one inbound WhatsApp message (From is "whatsapp:+...")."""
    return answer(WHATSAPP.name)


@bp.post(STATUS_CALLBACK_PATH.removeprefix(bp.url_prefix))
@validate_twilio_request
def message_status():
    """Store the status Twilio reports for a message it sent for us; unknown messages and statuses change nothing."""
    sid, status, code = (request.form.get(name, "") for name in ("MessageSid", "MessageStatus", "ErrorCode"))
    reported = REPORTED_STATUSES.get(status)
    if MESSAGE_SID.fullmatch(sid) and reported:
        known_code = code if ERROR_CODE.fullmatch(code) else ""
        services().delivery.record_report((SMS.name, WHATSAPP.name), sid, reported, known_code)
    return "", 204
