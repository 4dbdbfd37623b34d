"""Salted scrypt password hashes (standard library only), compared in constant time."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

# scrypt cost at OWASP's minimum (N=2^14, r=8, p=5 is one of its equivalent settings): 16 MB and about 0.25 s
# per check on the development machine. Hashes with older parameters still verify and are rehashed at login.
N, R, P = 2**14, 8, 5


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


def needs_rehash(stored: str) -> bool:
    """True when the hash was made with other parameters than the current ones."""
    return stored.split("$")[1:4] != [str(N), str(R), str(P)]


def generate_password() -> str:
    """A random password to hand out once."""
    return secrets.token_urlsafe(12)


# Checked against when the username is unknown, so that answer takes as long as a wrong password.
DUMMY_HASH = hash_password(generate_password())
