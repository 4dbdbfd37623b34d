"""Delivery statuses of outbound messages, as the channels report them, and the order in which they may change.

A report replaces the stored status only when it ranks higher, so reports that arrive out of order never move a
message back: queued < sent < undelivered = failed < delivered < read. A failure is final except against a later
"delivered" or "read": the person's phone confirmed it got the message, whatever was reported before. Equal ranks do
not replace each other: the first failure reported is kept, with its error code.
"""

from __future__ import annotations

QUEUED = "queued"  # stored, or accepted by the channel and waiting there
SENT = "sent"  # handed to the channel (Telegram and Messenger report nothing after this)
DELIVERED = "delivered"
READ = "read"  # only where the channel reports it (WhatsApp)
UNDELIVERED = "undelivered"  # the channel sent it but the phone never got it (Twilio)
FAILED = "failed"  # refused by the channel, given up, or not allowed (outside the channel's window)

RANK = {QUEUED: 0, SENT: 1, UNDELIVERED: 2, FAILED: 2, DELIVERED: 3, READ: 4}
NOT_DELIVERED = (UNDELIVERED, FAILED)


def replaceable_by(status: str) -> tuple[str, ...]:
    """The stored statuses that a report of `status` replaces."""
    return tuple(stored for stored, rank in RANK.items() if rank < RANK[status])
