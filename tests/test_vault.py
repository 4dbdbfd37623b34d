"""Encryption at rest and pseudonyms."""

import pytest
from cryptography.fernet import Fernet

from bot.vault import Vault


@pytest.fixture
def vault():
    return Vault([Fernet.generate_key().decode()], "pseudonym-key")


def test_encrypt_round_trip_hides_the_text(vault):
    token = vault.encrypt("+8801711000001 আমার পাসপোর্ট")
    assert "8801711000001" not in token
    assert vault.decrypt(token) == "+8801711000001 আমার পাসপোর্ট"


def test_ciphertext_from_another_key_is_rejected(vault):
    other = Vault([Fernet.generate_key().decode()], "pseudonym-key")
    with pytest.raises(ValueError, match="ENCRYPTION_KEYS"):
        vault.decrypt(other.encrypt("secret"))


def test_pseudonym_is_stable_and_depends_on_channel_and_key(vault):
    same = vault.pseudonym("sms", "+8801711000001")
    assert same == vault.pseudonym("sms", "+8801711000001")
    assert same != vault.pseudonym("whatsapp", "+8801711000001")
    assert same != Vault([Fernet.generate_key().decode()], "another-key").pseudonym("sms", "+8801711000001")
    assert "8801711000001" not in same


def test_old_key_still_decrypts_after_a_new_key_is_put_first_and_new_texts_use_the_new_key():
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    token = Vault([old], "p").encrypt("আমার বেতন")
    both = Vault([new, old], "p")
    assert both.decrypt(token) == "আমার বেতন"
    assert Vault([new], "p").decrypt(both.encrypt("নতুন")) == "নতুন"


def test_a_vault_without_keys_is_refused():
    with pytest.raises(ValueError, match="ENCRYPTION_KEYS"):
        Vault([], "p")
