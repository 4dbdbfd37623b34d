"""Facebook Messenger: the channel, and the Send API client (text with quick replies)."""

from __future__ import annotations

from datetime import timedelta

import requests

from bot.channels.base import Channel, Outgoing, ReplyWindow, post

# Messenger's limits: at most 13 quick replies, titles of at most 20 characters.
MAX_QUICK_REPLIES = 13
MAX_TITLE_CHARS = 20
# Standard messaging within 24 hours of the person's last message; a human agent (HUMAN_AGENT tag) for 7 days.
MESSENGER_WINDOW = ReplyWindow(anything=timedelta(hours=24), staff=timedelta(days=7))
STANDARD = {"messaging_type": "RESPONSE"}
HUMAN_AGENT = {"messaging_type": "MESSAGE_TAG", "tag": "HUMAN_AGENT"}


def error_description(body: dict) -> str:
    """The Graph API's error code (and subcode) and message of a refusal ("10/2018278: ...")."""
    error = body.get("error")
    if not isinstance(error, dict):
        return ""
    code = "/".join(str(error[key]) for key in ("code", "error_subcode") if error.get(key) is not None)
    return f"{code}: {error.get('message', '')}".strip(": ")


class MessengerClient:
    """Sends messages with POST /me/messages on behalf of the page."""

    def __init__(self, base_url: str, page_token: str) -> None:
        self._url = f"{base_url}/me/messages"
        self._token = page_token
        self._http = requests.Session()

    def send(self, address: str, message: Outgoing) -> str:
        """Send the text (a counsellor's with the HUMAN_AGENT tag) and return Messenger's message id."""
        content: dict = {"text": message.text}
        if message.buttons:
            content["quick_replies"] = [
                {"content_type": "text", "title": b.title[:MAX_TITLE_CHARS], "payload": b.payload}
                for b in message.buttons[:MAX_QUICK_REPLIES]
            ]
        kind = HUMAN_AGENT if message.from_staff else STANDARD
        payload = {"recipient": {"id": address}, **kind, "message": content}
        body = post(self._http, self._url, error_description, params={"access_token": self._token}, json=payload)
        return str(body.get("message_id", ""))


MESSENGER = Channel(
    "messenger",
    lambda s: MessengerClient(s.messenger_api_base_url, s.messenger_page_token),
    window=MESSENGER_WINDOW,
)
CHANNELS = (MESSENGER,)
