"""What every channel module shares: the message to send, the Sender protocol, the Channel record, one POST."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
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
    # Written by a counsellor: Messenger sends it with the HUMAN_AGENT tag (allowed for 7 days, not 24 hours).
    from_staff: bool = False
    # Sent as the channel's pre-approved template (WhatsApp outside its 24-hour window); `text` is what it says.
    as_template: bool = False


class SendError(RuntimeError):
    """The API did not accept the message; `retryable` says whether trying again later may work.

    `detail` is the channel's own error code or description, when its answer gave one.
    """

    def __init__(self, reason: str, retryable: bool, detail: str = "") -> None:
        super().__init__(reason)
        self.retryable = retryable
        self.detail = detail


class Sender(Protocol):
    """Sends one message to one address and returns the API's id for it."""

    def send(self, address: str, message: Outgoing) -> str:
        """Send the message; raise SendError when the API refuses or cannot be reached."""


@dataclass(frozen=True)
class ReplyWindow:
    """How long after the person's last message the channel lets the service write to them."""

    # Any message may go out this long after it (WhatsApp's session, Messenger's standard messaging: 24 hours).
    anything: timedelta
    # A counsellor's message may go out this long after it (Messenger's HUMAN_AGENT tag: 7 days); None: `anything`.
    staff: timedelta | None = None
    # Once it is closed, a pre-approved template may still go out (WhatsApp), and a counsellor's reply waits for
    # the person to write; without templates a counsellor cannot write until the person does.
    templates: bool = False

    def closes_at(self, last_inbound: datetime | None, from_staff: bool) -> datetime | None:
        """When the window closes for this kind of message; None when the person has no stored message (closed)."""
        if last_inbound is None:
            return None
        return last_inbound + (self.staff if from_staff and self.staff else self.anything)

    def allows(self, message: Outgoing, last_inbound: datetime | None, now: datetime) -> bool:
        """True when the channel accepts this message now."""
        if message.as_template:
            return self.templates
        closes = self.closes_at(last_inbound, message.from_staff)
        return closes is not None and now < closes


@dataclass(frozen=True)
class Channel:
    """One channel: its name, how replies look on it, and how to build its sender from the settings."""

    name: str
    make_sender: Callable[[Settings], Sender]
    # No buttons on the phone: choices become a numbered list, and a digit reply picks one.
    numbered_menus: bool = False
    # Long replies are cut into SMS pages; the rest waits for MORE.
    sms_pages: bool = False
    # The channel accepts messages only for a while after the person's last one; None: at any time.
    window: ReplyWindow | None = None
    # The API numbers messages per chat (Telegram), so the id it returns is unique only with the person's.
    ids_per_chat: bool = False


def post(http: requests.Session, url: str, describe: Callable[[dict], str], timeout: float = 15.0, **kwargs) -> dict:
    """POST to an API and return its JSON body; failures become SendError (5xx, 429, network: retryable).

    `describe` turns the JSON body of a refusal into the channel's error code or description (SendError.detail).
    """
    try:
        response = http.post(url, timeout=timeout, **kwargs)
    except requests.RequestException as error:
        raise SendError(type(error).__name__, retryable=True) from error
    if response.status_code >= 400:
        retryable = response.status_code >= 500 or response.status_code == 429
        raise SendError(f"HTTP {response.status_code}", retryable=retryable, detail=_detail(response, describe))
    try:
        return response.json()
    except ValueError as error:
        raise SendError("response is not JSON", retryable=False) from error


def _detail(response: requests.Response, describe: Callable[[dict], str]) -> str:
    """The channel's description of a refusal, or "" when its body says nothing readable."""
    try:
        body = response.json()
    except ValueError:
        return ""
    return describe(body)[:100] if isinstance(body, dict) else ""
