"""Facebook Messenger: the channel, and the Send API client (text with quick replies)."""

from __future__ import annotations

import requests

from bot.channels.base import Channel, Outgoing, post

# Messenger's limits: at most 13 quick replies, titles of at most 20 characters.
MAX_QUICK_REPLIES = 13
MAX_TITLE_CHARS = 20


class MessengerClient:
    """Sends messages with POST /me/messages on behalf of the page."""

    def __init__(self, base_url: str, page_token: str) -> None:
        self._url = f"{base_url}/me/messages"
        self._token = page_token
        self._http = requests.Session()

    def send(self, address: str, message: Outgoing) -> str:
        """Send the text as a RESPONSE message and return Messenger's message id."""
        content: dict = {"text": message.text}
        if message.buttons:
            content["quick_replies"] = [
                {"content_type": "text", "title": b.title[:MAX_TITLE_CHARS], "payload": b.payload}
                for b in message.buttons[:MAX_QUICK_REPLIES]
            ]
        payload = {"recipient": {"id": address}, "messaging_type": "RESPONSE", "message": content}
        body = post(self._http, self._url, params={"access_token": self._token}, json=payload)
        return str(body.get("message_id", ""))


MESSENGER = Channel("messenger", lambda s: MessengerClient(s.messenger_api_base_url, s.messenger_page_token))
CHANNELS = (MESSENGER,)
