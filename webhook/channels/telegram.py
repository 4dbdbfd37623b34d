"""Telegram Bot API webhook: secret-token header, one answer per update_id, replies through sendMessage."""

from __future__ import annotations

import hmac

from flask import Blueprint, abort, request

from bot.channels.telegram import TELEGRAM
from bot.messaging.conversations import InboundMessage
from webhook.channels.payloads import dig
from webhook.services import services

bp = Blueprint("telegram", __name__, url_prefix="/channels/telegram")
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105 (a header name)
MEDIA_KEYS = ("photo", "voice", "audio", "video", "video_note", "document", "sticker", "location", "contact")


def parse_update(update: dict) -> InboundMessage | None:
    """The person's message or button press in an update; None for updates that are not for the bot."""
    if not isinstance(update, dict) or not isinstance(update.get("update_id"), int):
        abort(400, "update_id is required")
    callback = update.get("callback_query")
    message = update.get("message")
    if isinstance(callback, dict):
        chat, text, has_media = dig(callback, "message", "chat"), callback.get("data"), False
    elif isinstance(message, dict):
        chat, text = message.get("chat"), message.get("text") or message.get("caption") or ""
        has_media = any(key in message for key in MEDIA_KEYS)
    else:
        return None
    if not isinstance(dig(chat, "id"), str | int) or isinstance(chat["id"], bool) or not isinstance(text, str):
        abort(400, "chat.id and text are required")
    return InboundMessage(TELEGRAM.name, str(chat["id"]), f"update:{update['update_id']}", text, has_media)


@bp.post("")
def inbound_update():
    """Accept one update; the reply goes out through the Bot API."""
    expected = services().settings.telegram_secret_token
    given = request.headers.get(SECRET_HEADER, "")
    if not expected or not hmac.compare_digest(given.encode(), expected.encode()):
        abort(403)
    inbound = parse_update(request.get_json(silent=True))
    if inbound is not None:
        services().dispatcher.answer_by_api(inbound)
    return {"ok": True}
