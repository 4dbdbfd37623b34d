"""The id of the request being handled, carried through the webhook, the Rasa call and the action server's logs."""

from __future__ import annotations

import re
import uuid
from contextvars import ContextVar

from bot.ops.log_privacy import mask_personal_data

_current: ContextVar[str] = ContextVar("request_id", default="")
# Ids taken from outside (a proxy's X-Request-ID, Rasa metadata) must stay short and harmless in logs: no phone
# number can pass for one.
ACCEPTABLE = re.compile(r"[A-Za-z0-9._-]{8,64}")


def new_id() -> str:
    """A fresh random request id."""
    return uuid.uuid4().hex


def use(request_id: str | None) -> str:
    """Make the given id (or a fresh one when it is missing or unacceptable) the current one; return it."""
    acceptable = bool(request_id) and ACCEPTABLE.fullmatch(request_id) and mask_personal_data(request_id) == request_id
    chosen = request_id if acceptable else new_id()
    _current.set(chosen)
    return chosen


def current() -> str:
    """The current request id, or "" outside any request."""
    return _current.get()


def clear() -> None:
    """Forget the current request id (end of a request)."""
    _current.set("")
