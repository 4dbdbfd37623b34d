"""A stored person on any channel, with the message that last opened their channel's window."""

from __future__ import annotations

from datetime import timedelta

from bot.db import make_session_factory, transaction
from bot.models import Contact, Message, utcnow


def add_contact(
    engine,
    vault,
    channel: str,
    address: str,
    opted_out: bool = False,
    wrote_ago: timedelta = timedelta(),
    language: str | None = None,
) -> int:
    """Store a person who wrote one message `wrote_ago` (just now: every window is open); return the contact id."""
    with transaction(make_session_factory(engine)) as session:
        contact = Contact(
            channel=channel,
            pseudonym=vault.pseudonym(channel, address),
            address_encrypted=vault.encrypt(address),
            opted_out=opted_out,
            language=language,
        )
        session.add(contact)
        session.flush()
        contact_id = contact.id
    add_inbound(engine, vault, contact_id, wrote_ago)
    return contact_id


def add_inbound(engine, vault, contact_id: int, wrote_ago: timedelta = timedelta()) -> int:
    """Store a message the person wrote `wrote_ago` on their channel; return its id."""
    with transaction(make_session_factory(engine)) as session:
        message = Message(
            contact_id=contact_id,
            direction=Message.INBOUND,
            channel=session.get(Contact, contact_id).channel,
            text_encrypted=vault.encrypt("they took my passport"),
            sender=Message.PERSON,
            status=Message.ANSWERED,
            created_at=utcnow() - wrote_ago,
        )
        session.add(message)
        session.flush()
        return message.id


def outbound(stored) -> list[Message]:
    """The outbound messages stored, oldest first."""
    return [message for message in stored.all() if message.direction == Message.OUTBOUND]
