"""Hotline staff accounts: creation, disabling, password changes and the check of a login (limits: login_guard.py)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from bot.db import transaction
from bot.hotline import audit
from bot.hotline.passwords import DUMMY_HASH, check_password, generate_password, hash_password, needs_rehash
from bot.models import StaffUser, utcnow

MIN_PASSWORD_CHARS = 12


class StaffError(ValueError):
    """A staff account cannot be created or changed as asked; the message says why."""


class WrongPasswordError(StaffError):
    """The current password given to confirm a change is wrong (counted like a failed login)."""


def check_new_password(username: str, password: str) -> None:
    """Refuse a password that is too short or is the username."""
    if len(password) < MIN_PASSWORD_CHARS:
        raise StaffError(f"a password needs at least {MIN_PASSWORD_CHARS} characters")
    if password.strip().casefold() == username.strip().casefold():
        raise StaffError("a password must not be the username")


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
        check_new_password(username, password)
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

    def change_password(self, user_id: int, current: str, new: str) -> str:
        """Replace the password of an active account after checking the current one; return the new hash (audited)."""
        with transaction(self._sessions) as session:
            user = self._checked(session, user_id, current)
            check_new_password(user.username, new)
            if new == current:
                raise StaffError("the new password must differ from the current one")
            user.password_hash = hash_password(new)
            audit.record(session, user_id, audit.PASSWORD_CHANGED)
            return user.password_hash

    def renew_hash(self, user_id: int, current: str) -> str:
        """Hash the same password again with a new salt, so every session stamped with the old hash ends (audited)."""
        with transaction(self._sessions) as session:
            user = self._checked(session, user_id, current)
            user.password_hash = hash_password(current)
            audit.record(session, user_id, audit.SESSIONS_ENDED)
            return user.password_hash

    @staticmethod
    def _checked(session: Session, user_id: int, password: str) -> StaffUser:
        user = session.get(StaffUser, user_id)
        if user is None or not user.active:
            raise StaffError("no such active account")
        if not check_password(user.password_hash, password):
            raise WrongPasswordError("the current password is wrong")
        return user
