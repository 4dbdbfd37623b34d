"""HTTP client for the Rasa server's REST channel."""

from __future__ import annotations

from dataclasses import dataclass, field

import requests


class RasaUnavailableError(RuntimeError):
    """Rasa did not answer in time or answered with an error."""


@dataclass(frozen=True)
class BotReply:
    """One message the bot wants to send: text, optional buttons and custom data."""

    text: str = ""
    buttons: list[dict] = field(default_factory=list)
    custom: dict = field(default_factory=dict)


class RasaClient:
    """Sends a person's message to Rasa under their pseudonym and returns the bot's replies."""

    def __init__(self, base_url: str, timeout: float = 10.0) -> None:
        self._webhook_url = f"{base_url.rstrip('/')}/webhooks/rest/webhook"
        self._timeout = timeout
        self._http = requests.Session()

    def send(self, sender_id: str, text: str, metadata: dict) -> list[BotReply]:
        """Post one message to the REST channel; raise RasaUnavailableError when Rasa cannot answer."""
        payload = {"sender": sender_id, "message": text, "metadata": metadata}
        try:
            response = self._http.post(self._webhook_url, json=payload, timeout=self._timeout)
            response.raise_for_status()
            items = response.json()
        except (requests.RequestException, ValueError) as error:
            raise RasaUnavailableError(type(error).__name__) from error
        return [
            BotReply(text=item.get("text", ""), buttons=item.get("buttons", []), custom=item.get("custom", {}))
            for item in items
            if isinstance(item, dict)
        ]
