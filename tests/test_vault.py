"""Encryption at rest and pseudonyms."""

import pytest
from cryptography.fernet import Fernet

from bot.vault import Vault


@pytest.fixture
def vault():
    return Vault(Fernet.generate_key().decode(), "pseudonym-key")


def test_encrypt_round_trip_hides_the_text(vault):
    token = vault.encrypt("+8801711000001 আমার পাসপোর্ট")
    assert "8801711000001" not in token
    assert vault.decrypt(token) == "+8801711000001 আমার পাসপোর্ট"


def test_ciphertext_from_another_key_is_rejected(vault):
    other = Vault(Fernet.generate_key().decode(), "pseudonym-key")
    with pytest.raises(ValueError, match="ENCRYPTION_KEY"):
        vault.decrypt(other.encrypt("secret"))


def test_pseudonym_is_stable_and_depends_on_channel_and_key(vault):
    same = vault.pseudonym("sms", "+8801711000001")
    assert same == vault.pseudonym("sms", "+8801711000001")
    assert same != vault.pseudonym("whatsapp", "+8801711000001")
    assert same != Vault(Fernet.generate_key().decode(), "another-key").pseudonym("sms", "+8801711000001")
    assert "8801711000001" not in same
