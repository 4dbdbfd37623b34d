"""The audit log of the console: who viewed, revealed, replied to or changed what, and when."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.db import transaction
from bot.models import AuditEntry, StaffUser

VIEW = "view"
REVEAL = "reveal"
REPLY = "reply"
ASSIGN = "assign"
NOTE = "note"
RESOLVE = "resolve"
PAUSE = "pause"
RESUME = "resume"
LOGIN = "login"
LOGIN_FAILED = "login_failed"
LOGOUT = "logout"
USER_CREATED = "user_created"
USER_DISABLED = "user_disabled"
PASSWORD_CHANGED = "password_changed"  # noqa: S105 - an action name
SESSIONS_ENDED = "sessions_ended"
CLASSIFY = "classify"
REFERRAL_MADE = "referral_made"
REFERRAL_STATUS = "referral_status"
PARTNER_ADDED = "partner_added"
PARTNER_RENAMED = "partner_renamed"
PARTNER_ACTIVE = "partner_active"
FOLLOW_UP_SET = "follow_up_set"
FOLLOW_UP_CLEARED = "follow_up_cleared"


@dataclass(frozen=True)
class AuditRow:
    """One audit entry as the admin page shows it."""

    created_at: datetime
    username: str
    action: str
    case_id: int | None
    detail: str


def record(session: Session, staff_id: int | None, action: str, case_id: int | None = None, detail: str = "") -> None:
    """Add an entry in the caller's transaction, so the action and its record commit together."""
    session.add(AuditEntry(staff_id=staff_id, action=action, case_id=case_id, detail=detail[:200]))


class AuditLog:
    """Writes entries on their own and reads the newest ones."""

    def __init__(self, sessions: sessionmaker) -> None:
        self._sessions = sessions

    def record(self, staff_id: int | None, action: str, case_id: int | None = None, detail: str = "") -> None:
        """Write one entry in its own transaction."""
        with transaction(self._sessions) as session:
            record(session, staff_id, action, case_id, detail)

    def newest(self, limit: int = 200, case_id: int | None = None) -> list[AuditRow]:
        """The newest entries, optionally of one case, newest first."""
        query = (
            select(AuditEntry, StaffUser.username)
            .outerjoin(StaffUser, AuditEntry.staff_id == StaffUser.id)
            .order_by(AuditEntry.id.desc())
            .limit(limit)
        )
        if case_id is not None:
            query = query.where(AuditEntry.case_id == case_id)
        with self._sessions() as session:
            return [
                AuditRow(entry.created_at, username or "-", entry.action, entry.case_id, entry.detail or "")
                for entry, username in session.execute(query)
            ]
