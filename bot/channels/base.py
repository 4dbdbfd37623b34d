"""What every channel module shares: the message to send, the Sender protocol, the Channel record, one POST."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

import requests

if TYPE_CHECKING:
    from bot.settings import Settings


@dataclass(frozen=True)
class Button:
    """A choice offered with a reply: what the person sees and the payload the bot gets back."""

    title: str
    payload: str


@dataclass(frozen=True)
class Outgoing:
    """One message to send: its text and, on channels that show them, its buttons."""

    text: str
    buttons: tuple[Button, ...] = field(default_factory=tuple)


class SendError(RuntimeError):
    """The API did not accept the message; `retryable` says whether trying again later may work."""

    def __init__(self, reason: str, retryable: bool) -> None:
        super().__init__(reason)
        self.retryable = retryable


class Sender(Protocol):
    """Sends one message to one address and returns the API's id for it."""

    def send(self, address: str, message: Outgoing) -> str:
        """Send the message; raise SendError when the API refuses or cannot be reached."""


@dataclass(frozen=True)
class Channel:
    """One channel: its name, how replies look on it, and how to build its sender from the settings."""

    name: str
    make_sender: Callable[[Settings], Sender]
    # No buttons on the phone: choices become a numbered list, and a digit reply picks one.
    numbered_menus: bool = False
    # Long replies are cut into SMS pages; the rest waits for MORE.
    sms_pages: bool = False


def post(http: requests.Session, url: str, timeout: float = 15.0, **kwargs) -> dict:
    """POST to an API and return its JSON body; failures become SendError (5xx, 429, network: retryable)."""
    try:
        response = http.post(url, timeout=timeout, **kwargs)
    except requests.RequestException as error:
        raise SendError(type(error).__name__, retryable=True) from error
    if response.status_code >= 400:
        retryable = response.status_code >= 500 or response.status_code == 429
        raise SendError(f"HTTP {response.status_code}", retryable=retryable)
    try:
        return response.json()
    except ValueError as error:
        raise SendError("response is not JSON", retryable=False) from error
