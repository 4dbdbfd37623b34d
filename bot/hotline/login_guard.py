"""Limits on console login failures, per address and per address and username, that an attacker cannot turn on others.

Failures are rows (one insert each: parallel guesses all count); a block is a count of recent rows, so it ends by
itself. Nothing locks an account: someone guessing from one address blocks only that address, and the counsellor logs
in from theirs. Addresses and usernames are stored as keyed hashes, so a password typed into the username field is
never kept.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import sessionmaker

from bot.db import transaction
from bot.models import LoginFailure, utcnow

WINDOW = timedelta(minutes=15)
# Failures within WINDOW before the address is blocked for one username, and for every username.
MAX_PER_ACCOUNT = 5
MAX_PER_ADDRESS = 20


class LoginGuard:
    """Counts failed logins and says when an address must wait."""

    def __init__(self, sessions: sessionmaker, key: str) -> None:
        self._sessions = sessions
        self._key = key.encode()

    def _hash(self, kind: str, value: str) -> str:
        return hmac.new(self._key, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()[:32]

    def _counts(self, address: str, username: str) -> tuple[int, int]:
        since = utcnow() - WINDOW
        address_key, username_key = self._hash("address", address), self._hash("username", username.casefold())
        recent = select(func.count(LoginFailure.id)).where(
            LoginFailure.address_key == address_key, LoginFailure.at > since
        )
        with self._sessions() as session:
            per_address = session.scalar(recent)
            per_account = session.scalar(recent.where(LoginFailure.username_key == username_key))
        return per_account, per_address

    def blocked(self, address: str, username: str) -> bool:
        """True while this address has failed too often, for this username or for all."""
        per_account, per_address = self._counts(address, username)
        return per_account >= MAX_PER_ACCOUNT or per_address >= MAX_PER_ADDRESS

    def failed(self, address: str, username: str) -> bool:
        """Record a failure; True when it starts a block (the caller audits that once, not every failure)."""
        with transaction(self._sessions) as session:
            session.add(
                LoginFailure(
                    address_key=self._hash("address", address),
                    username_key=self._hash("username", username.casefold()),
                    at=utcnow(),
                )
            )
        per_account, per_address = self._counts(address, username)
        return per_account == MAX_PER_ACCOUNT or per_address == MAX_PER_ADDRESS

    def succeeded(self, address: str, username: str) -> None:
        """Forget this address's failures for this username; drop failures older than the window."""
        with transaction(self._sessions) as session:
            session.execute(
                delete(LoginFailure).where(
                    LoginFailure.address_key == self._hash("address", address),
                    LoginFailure.username_key == self._hash("username", username.casefold()),
                )
            )
            session.execute(delete(LoginFailure).where(LoginFailure.at < utcnow() - WINDOW))
