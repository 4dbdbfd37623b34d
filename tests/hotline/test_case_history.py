"""A person's other cases: the same number on SMS and WhatsApp is one person; Telegram ids link to nothing."""

from __future__ import annotations

from bot.hotline.history import same_number_elsewhere
from bot.models import Contact


def contact(vault, channel: str, address: str) -> Contact:
    return Contact(
        channel=channel, pseudonym=vault.pseudonym(channel, address), address_encrypted=vault.encrypt(address)
    )


def test_an_sms_number_and_the_same_number_on_whatsapp_are_linked_both_ways(vault):
    sms = contact(vault, "sms", "+8801712345678")
    whatsapp = contact(vault, "whatsapp", "whatsapp:+8801712345678")
    assert same_number_elsewhere(vault, sms) == whatsapp.pseudonym
    assert same_number_elsewhere(vault, whatsapp) == sms.pseudonym


def test_telegram_and_erased_contacts_link_to_nothing(vault):
    assert same_number_elsewhere(vault, contact(vault, "telegram", "123456789")) is None
    assert same_number_elsewhere(vault, contact(vault, "sms", "")) is None
