"""A person's other cases, for the case page.

A person is a contact: one channel and address, with a pseudonym keyed on both. So the history covers one channel,
except that an SMS number and the same number on WhatsApp ("whatsapp:+880...") are linked: the other channel's
pseudonym is derived from the decrypted number. Telegram chat ids and Messenger page-scoped ids cannot be linked to a
number or to each other: those histories stay within their channel.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.channels.twilio import SMS, WHATSAPP, WHATSAPP_PREFIX
from bot.models import Case, CaseLabel, Contact
from bot.vault import Vault


@dataclass(frozen=True)
class EarlierCase:
    """Another case of the same person, with its types and outcome."""

    case_id: int
    channel: str
    opened_at: datetime
    resolved_at: datetime | None
    outcome: str | None
    types: list[str]


def same_number_elsewhere(vault: Vault, contact: Contact) -> str | None:
    """The pseudonym the person's number has on the other Twilio channel (SMS or WhatsApp); None for other channels."""
    if contact.channel not in (SMS.name, WHATSAPP.name):
        return None
    address = vault.decrypt(contact.address_encrypted)
    if not address:  # erased
        return None
    if contact.channel == SMS.name:
        return vault.pseudonym(WHATSAPP.name, WHATSAPP_PREFIX + address)
    return vault.pseudonym(SMS.name, address.removeprefix(WHATSAPP_PREFIX))


def other_cases(session: Session, vault: Vault, case: Case) -> list[EarlierCase]:
    """The person's other cases on this channel (and their number's other Twilio channel), newest first."""
    contact_ids = [case.contact_id]
    linked = same_number_elsewhere(vault, case.contact)
    if linked:
        contact_ids += session.scalars(select(Contact.id).where(Contact.pseudonym == linked)).all()
    cases = session.scalars(
        select(Case).where(Case.contact_id.in_(contact_ids), Case.id != case.id).order_by(Case.opened_at.desc())
    ).all()
    labels = session.execute(
        select(CaseLabel.case_id, CaseLabel.code)
        .where(CaseLabel.case_id.in_([other.id for other in cases]), CaseLabel.kind == CaseLabel.TYPE)
        .order_by(CaseLabel.code)
    )
    types = defaultdict(list)
    for case_id, code in labels:
        types[case_id].append(code)
    return [
        EarlierCase(other.id, other.channel, other.opened_at, other.resolved_at, other.outcome, types[other.id])
        for other in cases
    ]
