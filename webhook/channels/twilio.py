"""Twilio SMS and WhatsApp webhooks: signature check, one answer per MessageSid, replies as TwiML; status callbacks."""

from __future__ import annotations

import re
from functools import wraps

from flask import Blueprint, Response, abort, request
from sqlalchemy.exc import SQLAlchemyError
from twilio.request_validator import RequestValidator
from twilio.twiml.messaging_response import MessagingResponse

from bot.channels.twilio import (
    OUTBOUND_PARAMETER,
    REPORTED_STATUSES,
    SMS,
    STATUS_CALLBACK_PATH,
    WHATSAPP,
    WHATSAPP_PREFIX,
    status_callback_url,
)
from bot.language.forms import choose_form
from bot.messaging.conversations import InboundMessage
from bot.messaging.delivery import ResponseReply
from bot.messaging.notices import notice
from webhook.services import services

bp = Blueprint("twilio", __name__, url_prefix="/channels/twilio")
# What Twilio's message SIDs (SM..., MM...) and error codes (30003, 63016) look like; anything else is not stored.
MESSAGE_SID = re.compile(r"[A-Z]{2}[0-9a-f]{32}")
ERROR_CODE = re.compile(r"[0-9]{1,10}")
# A stored row's id in a status callback's query: small enough for any database's integer column.
OUTBOUND_ID = re.compile(r"[1-9][0-9]{0,8}")
TWILIO_CHANNELS = (SMS.name, WHATSAPP.name)


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


def twiml(replies: list[ResponseReply]) -> Response:
    """Render replies as a TwiML document; Twilio posts the status of each stored one to the status endpoint."""
    response = MessagingResponse()
    base_url = services().settings.public_base_url
    for reply in replies:
        if reply.outbound_id is None:
            response.message(reply.text)
        else:
            response.message(reply.text, action=status_callback_url(base_url, reply.outbound_id), method="POST")
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
        return twiml([ResponseReply(notice("database_down", choose_form(body, None).form))])


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
    """Store the status Twilio reports for a message it sent for us; unknown messages and statuses change nothing.

    A message sent in a TwiML answer is named by its stored row (?outbound=id): the first report ties its SID to
    that row, unless the row is unknown (erased) or has another SID, or the SID is another message's.
    """
    sid, status, code = (request.form.get(name, "") for name in ("MessageSid", "MessageStatus", "ErrorCode"))
    reported = REPORTED_STATUSES.get(status)
    if not (MESSAGE_SID.fullmatch(sid) and reported):
        return "", 204
    outbound = request.args.get(OUTBOUND_PARAMETER)
    if outbound is not None and not (
        OUTBOUND_ID.fullmatch(outbound) and services().delivery.tie_external_id(int(outbound), TWILIO_CHANNELS, sid)
    ):
        return "", 204
    known_code = code if ERROR_CODE.fullmatch(code) else ""
    services().delivery.record_report(TWILIO_CHANNELS, sid, reported, known_code)
    return "", 204
