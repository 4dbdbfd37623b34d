"""Whether a person's channel lets a counsellor write now: WhatsApp's 24 hours, Messenger's 7 days for staff."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from bot.messaging.delivery import last_inbound_at, window_of
from bot.models import Contact, utcnow


@dataclass(frozen=True)
class ReplyWindowView:
    """The window a counsellor's reply falls in, as the case page shows it."""

    channel: str
    open: bool
    # When it closes (or closed): the window runs from the person's last message; None when none is stored.
    closes_at: datetime | None
    # Once closed, a reply is held until the person writes and they get the approved template (WhatsApp);
    # otherwise a reply is refused until they write (Messenger).
    held_when_closed: bool


def reply_window(session: Session, contact: Contact, now: datetime | None = None) -> ReplyWindowView | None:
    """The window of a counsellor's reply to this person; None on channels that accept messages at any time."""
    window = window_of(contact.channel)
    if window is None:
        return None
    closes_at = window.closes_at(last_inbound_at(session, contact.id), from_staff=True)
    is_open = closes_at is not None and (now or utcnow()) < closes_at
    return ReplyWindowView(contact.channel, is_open, closes_at, window.templates)
