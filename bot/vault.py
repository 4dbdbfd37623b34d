"""Encryption at rest for people's addresses and words, and keyed pseudonyms that Rasa sees instead."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Sequence

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

# A JSON object starts with "{"; a Fernet token never does (it is urlsafe base64 and starts with "gAAAAA").
PLAIN_JSON_START = "{"


def is_plain_json(stored: str) -> bool:
    """True for a value stored in clear (JSON, e.g. a Rasa event from before encryption), not a Fernet token."""
    return stored.startswith(PLAIN_JSON_START)


def multi_fernet(keys: Sequence[str], setting: str) -> MultiFernet:
    """The MultiFernet of Fernet keys, newest first (blank ones skipped); ValueError naming the setting if none."""
    fernets = [Fernet(key.strip().encode()) for key in keys if key.strip()]
    if not fernets:
        raise ValueError(f"{setting} is empty: at least one Fernet key is needed")
    return MultiFernet(fernets)


class Vault:
    """Encrypts and decrypts personal text and derives stable pseudonyms from channel addresses."""

    def __init__(self, encryption_keys: Sequence[str], pseudonym_key: str) -> None:
        self._fernet = multi_fernet(encryption_keys, "ENCRYPTION_KEYS")
        self._pseudonym_key = pseudonym_key.encode()

    def encrypt(self, text: str) -> str:
        """Return the ciphertext of a text, safe to store."""
        return self._fernet.encrypt(text.encode("utf-8")).decode("ascii")

    def decrypt(self, token: str) -> str:
        """Return the plain text of a stored ciphertext."""
        try:
            return self._fernet.decrypt(token.encode("ascii")).decode("utf-8")
        except InvalidToken as error:
            raise ValueError("ciphertext was not made with any of the ENCRYPTION_KEYS") from error

    def pseudonym(self, channel: str, address: str) -> str:
        """Return the keyed HMAC of channel and address: the only id Rasa and the logs ever see."""
        digest = hmac.new(self._pseudonym_key, f"{channel}:{address}".encode(), hashlib.sha256)
        return digest.hexdigest()[:32]
