"""Hotline staff accounts: creation, disabling, and the password check of a login (limits: login_guard.py)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import sessionmaker

from bot.db import transaction
from bot.hotline.passwords import DUMMY_HASH, check_password, generate_password, hash_password, needs_rehash
from bot.models import StaffUser, utcnow

MIN_PASSWORD_CHARS = 10


class StaffError(ValueError):
    """A staff account cannot be created or changed as asked; the message says why."""


@dataclass(frozen=True)
class LoginResult:
    """The outcome of one login attempt: the user on success, else None (never why)."""

    user: StaffUser | None


class Staff:
    """Reads and changes staff accounts."""

    def __init__(self, sessions: sessionmaker) -> None:
        self._sessions = sessions

    def create(self, username: str, role: str, password: str | None = None) -> str:
        """Create an account and return its password (generated when not given)."""
        username = username.strip()
        if not username or len(username) > 64:
            raise StaffError("a username needs 1 to 64 characters")
        if role not in StaffUser.ROLES:
            raise StaffError(f"role must be one of {', '.join(StaffUser.ROLES)}")
        password = password or generate_password()
        if len(password) < MIN_PASSWORD_CHARS:
            raise StaffError(f"a password needs at least {MIN_PASSWORD_CHARS} characters")
        with transaction(self._sessions) as session:
            if session.scalar(select(StaffUser.id).where(StaffUser.username == username)):
                raise StaffError(f"user {username} already exists")
            session.add(StaffUser(username=username, role=role, password_hash=hash_password(password)))
        return password

    def set_active(self, username: str, active: bool) -> None:
        """Disable (or enable again) an account; a disabled account cannot log in."""
        with transaction(self._sessions) as session:
            user = session.scalar(select(StaffUser).where(StaffUser.username == username))
            if user is None:
                raise StaffError(f"no user {username}")
            user.active = active

    def ensure_first_admin(self) -> str | None:
        """Create an `admin` account when no staff account exists; return its password, else None."""
        with self._sessions() as session:
            if session.scalar(select(func.count(StaffUser.id))):
                return None
        return self.create("admin", StaffUser.ADMIN)

    def get(self, user_id: int) -> StaffUser | None:
        """The active account with this id, if any."""
        with self._sessions() as session:
            user = session.get(StaffUser, user_id)
            return user if user and user.active else None

    def all(self) -> list[StaffUser]:
        """Every account, by username."""
        with self._sessions() as session:
            return list(session.scalars(select(StaffUser).order_by(StaffUser.username)))

    def login(self, username: str, password: str) -> LoginResult:
        """Check a password; an unknown or disabled account costs the same time as a wrong password."""
        with transaction(self._sessions) as session:
            user = session.scalar(select(StaffUser).where(StaffUser.username == username))
            if user is None or not user.active:
                check_password(DUMMY_HASH, password)
                return LoginResult(None)
            if not check_password(user.password_hash, password):
                return LoginResult(None)
            if needs_rehash(user.password_hash):
                user.password_hash = hash_password(password)
            user.last_login_at = utcnow()
            return LoginResult(user)
