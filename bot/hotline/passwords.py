"""Salted scrypt password hashes (standard library only), compared in constant time."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

# scrypt cost: about 50 ms and 16 MB per check on the development machine.
N, R, P = 2**14, 8, 1


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=64 * 1024 * 1024, dklen=32)


def hash_password(password: str) -> str:
    """A storable hash of the password: `scrypt$n$r$p$salt$hash`."""
    salt = secrets.token_bytes(16)
    digest = _scrypt(password, salt, N, R, P)
    encode = base64.b64encode
    return f"scrypt${N}${R}${P}${encode(salt).decode()}${encode(digest).decode()}"


def check_password(stored: str, password: str) -> bool:
    """True when the password matches the stored hash."""
    scheme, n, r, p, salt, digest = stored.split("$")
    if scheme != "scrypt":
        return False
    candidate = _scrypt(password, base64.b64decode(salt), int(n), int(r), int(p))
    return hmac.compare_digest(candidate, base64.b64decode(digest))


def generate_password() -> str:
    """A random password to hand out once."""
    return secrets.token_urlsafe(12)
