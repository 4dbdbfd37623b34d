"""Stand-ins for the hotline's outside world in unit tests: delivery to people, alerts to staff, a stored person."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.db import transaction
from bot.models import Contact, Message


@dataclass
class FakeDelivery:
    """Records what would be sent to people (contact id, texts, sender)."""

    sent: list[tuple[int, list[str], str]] = field(default_factory=list)

    def send_to_contact(self, contact_id: int, texts: list[str], sender: str) -> list[int]:
        """Record the texts instead of sending them."""
        self.sent.append((contact_id, texts, sender))
        return []


@dataclass
class FakeAlerts:
    """Records urgent-case alerts instead of e-mailing staff."""

    urgent: list[int] = field(default_factory=list)

    def urgent_case(self, case_id: int, channel: str, language: str) -> None:
        """Record the alert."""
        self.urgent.append(case_id)


def add_person(sessions, vault, address: str = "+8801712345678", text: str = "they took my passport") -> int:
    """Store a person on SMS with one inbound message; return the contact id."""
    with transaction(sessions) as session:
        contact = Contact(
            channel="sms",
            pseudonym=vault.pseudonym("sms", address),
            address_encrypted=vault.encrypt(address),
            language="en",
        )
        session.add(contact)
        session.add(
            Message(
                contact=contact,
                direction=Message.INBOUND,
                channel="sms",
                text_encrypted=vault.encrypt(text),
                status=Message.ANSWERED,
            )
        )
        session.flush()
        return contact.id
