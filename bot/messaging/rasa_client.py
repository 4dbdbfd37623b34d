"""HTTP client for the Rasa servers' REST channel, spreading messages over several servers in turn."""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

import requests

from bot.ops import metrics, request_ids


class RasaUnavailableError(RuntimeError):
    """Rasa did not answer in time or answered with an error."""


@dataclass(frozen=True)
class BotReply:
    """One message the bot wants to send: text, optional buttons and custom data."""

    text: str = ""
    buttons: list[dict] = field(default_factory=list)
    custom: dict = field(default_factory=dict)


class RasaClient:
    """Sends a person's message to Rasa under their pseudonym and returns the bot's replies.

    With several base URLs (Rasa replicas sharing the tracker store and the Redis lock store) each message goes
    to the next one in turn.
    """

    def __init__(self, base_urls: Sequence[str], timeout: float = 10.0) -> None:
        if isinstance(base_urls, str):
            raise TypeError("RasaClient takes a sequence of base URLs, e.g. settings.rasa_urls")
        webhook_urls = [f"{url.rstrip('/')}/webhooks/rest/webhook" for url in base_urls]
        self._next_url = itertools.cycle(webhook_urls)
        self._lock = threading.Lock()
        self._timeout = timeout
        self._http = requests.Session()

    def send(self, sender_id: str, text: str, metadata: dict) -> list[BotReply]:
        """Post one message to the REST channel; raise RasaUnavailableError when Rasa cannot answer."""
        payload = {"sender": sender_id, "message": text, "metadata": self._with_request_id(metadata)}
        with self._lock:
            url = next(self._next_url)
        started = time.perf_counter()
        try:
            response = self._http.post(url, json=payload, timeout=self._timeout)
            response.raise_for_status()
            items = response.json()
        except (requests.RequestException, ValueError) as error:
            metrics.RASA_ERRORS.labels(type(error).__name__).inc()
            raise RasaUnavailableError(type(error).__name__) from error
        finally:
            metrics.RASA_LATENCY.observe(time.perf_counter() - started)
        return [
            BotReply(text=item.get("text", ""), buttons=item.get("buttons", []), custom=item.get("custom", {}))
            for item in items
            if isinstance(item, dict)
        ]

    @staticmethod
    def _with_request_id(metadata: dict) -> dict:
        request_id = request_ids.current()
        return {**metadata, "request_id": request_id} if request_id else metadata
