"""Facebook Messenger webhook: verification handshake, X-Hub-Signature-256, replies through the Send API."""

from __future__ import annotations

import hashlib
import hmac

from flask import Blueprint, abort, request

from bot.channels.messenger import MESSENGER
from bot.messaging.conversations import InboundMessage
from webhook.channels.payloads import dig, listed, objects
from webhook.services import services

bp = Blueprint("messenger", __name__, url_prefix="/channels/messenger")


@bp.get("")
def verify_subscription():
    """Echo hub.challenge when Facebook subscribes with our verify token."""
    expected = services().settings.messenger_verify_token
    given = request.args.get("hub.verify_token", "")
    matches = bool(expected) and hmac.compare_digest(given.encode(), expected.encode())
    if request.args.get("hub.mode") != "subscribe" or not matches:
        abort(403)
    return request.args.get("hub.challenge", ""), 200, {"Content-Type": "text/plain"}


def signed_by_facebook() -> bool:
    """True when X-Hub-Signature-256 is the HMAC-SHA256 of the raw body with the app secret."""
    secret = services().settings.messenger_app_secret
    if not secret:
        return False
    digest = hmac.new(secret.encode(), request.get_data(), hashlib.sha256).hexdigest()
    # Bytes, not str: compare_digest refuses non-ASCII str, and a forged header may hold anything.
    return hmac.compare_digest(request.headers.get("X-Hub-Signature-256", "").encode(), f"sha256={digest}".encode())


def parse_event(event: dict) -> InboundMessage | None:
    """The person's message, quick reply or postback in one messaging event; None for echoes and receipts."""
    if not isinstance(event, dict):
        abort(400, "every messaging event must be an object")
    sender = dig(event, "sender", "id")
    message, postback = event.get("message"), event.get("postback")
    if isinstance(message, dict) and not message.get("is_echo"):
        text = dig(message, "quick_reply", "payload") or message.get("text") or ""
        mid, has_media = message.get("mid"), bool(message.get("attachments"))
    elif isinstance(postback, dict):
        text, mid, has_media = postback.get("payload") or "", postback.get("mid"), False
    else:
        return None
    if not isinstance(sender, str | int) or not isinstance(mid, str) or not mid or not isinstance(text, str):
        abort(400, "sender.id and message.mid are required")
    return InboundMessage(MESSENGER.name, str(sender), str(mid), text, has_media)


@bp.post("")
def inbound_events():
    """Accept a batch of events; replies go out through the Send API."""
    if not signed_by_facebook():
        abort(403)
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or body.get("object") != "page" or not isinstance(body.get("entry"), list):
        abort(400, "a page object with entries is required")
    events = [event for entry in objects(body["entry"]) for event in listed(entry.get("messaging"))]
    inbound = [parse_event(event) for event in events]
    for message in inbound:
        if message is not None:
            services().dispatcher.answer_by_api(message)
    return "EVENT_RECEIVED"
