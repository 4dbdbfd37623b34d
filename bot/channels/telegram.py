"""Telegram: the channel, and the Bot API client (sendMessage with inline buttons)."""

from __future__ import annotations

import requests

from bot.channels.base import Channel, Outgoing, SendError, post

# Telegram refuses callback data longer than 64 bytes.
MAX_CALLBACK_BYTES = 64


def error_description(body: dict) -> str:
    """Telegram's error code and description of a refusal ("403: Forbidden: bot was blocked by the user")."""
    return f"{body.get('error_code', '')}: {body.get('description', '')}".strip(": ")


class TelegramClient:
    """Sends messages with POST /bot{token}/sendMessage."""

    def __init__(self, base_url: str, bot_token: str) -> None:
        self._url = f"{base_url}/bot{bot_token}/sendMessage"
        self._http = requests.Session()

    def send(self, address: str, message: Outgoing) -> str:
        """Send the text with one inline button per row and return Telegram's message id."""
        payload: dict = {"chat_id": address, "text": message.text}
        buttons = [b for b in message.buttons if len(b.payload.encode()) <= MAX_CALLBACK_BYTES]
        if buttons:
            rows = [[{"text": b.title, "callback_data": b.payload}] for b in buttons]
            payload["reply_markup"] = {"inline_keyboard": rows}
        body = post(self._http, self._url, error_description, json=payload)
        if not body.get("ok"):
            description = error_description(body) or "not ok"
            raise SendError(description[:100], retryable=False, detail=description[:100])
        return str((body.get("result") or {}).get("message_id", ""))


TELEGRAM = Channel(
    "telegram", lambda s: TelegramClient(s.telegram_api_base_url, s.telegram_bot_token), ids_per_chat=True
)
CHANNELS = (TELEGRAM,)
