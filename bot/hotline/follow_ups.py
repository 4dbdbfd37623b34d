"""Follow-ups: "contact this person again then". From that time the case is at the top of the queue with a marker.

A follow-up on a resolved case brings it back into the queue as a follow-up item without re-opening it: the bot
keeps answering the person (pause it to write to them), and the person may meanwhile have a new open case, which a
re-opened old one would clash with. Clearing the follow-up removes the item from the queue. Cases erased by the person
never come back: there is nobody to contact.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

from sqlalchemy import and_, or_
from sqlalchemy.orm import sessionmaker
from sqlalchemy.sql.elements import ColumnElement

from bot.db import transaction
from bot.hotline import audit
from bot.hotline.casework import CaseworkError
from bot.models import Case, as_utc, utcnow

MAX_FOLLOW_UP_DAYS = 365
# A follow-up set for a date is due at the start of that day (UTC).
DUE_TIME = time(0, 0, tzinfo=timezone.utc)


def due(now: datetime) -> ColumnElement[bool]:
    """SQL condition: the case has a follow-up due at `now` (and was not erased by the person)."""
    return and_(Case.follow_up_at <= now, or_(Case.outcome.is_(None), Case.outcome != Case.ERASED))


def in_days(days: int, now: datetime | None = None) -> datetime:
    """The moment `days` days from now."""
    if not 1 <= days <= MAX_FOLLOW_UP_DAYS:
        raise CaseworkError(f"a follow-up is 1 to {MAX_FOLLOW_UP_DAYS} days away")
    return (now or utcnow()) + timedelta(days=days)


def on_date(day: date, today: date | None = None) -> datetime:
    """The start of the given day (UTC), which must be from tomorrow to a year ahead."""
    today = today or utcnow().date()
    if not today < day <= today + timedelta(days=MAX_FOLLOW_UP_DAYS):
        raise CaseworkError(f"a follow-up date is from tomorrow to {MAX_FOLLOW_UP_DAYS} days ahead")
    return datetime.combine(day, DUE_TIME)


class FollowUps:
    """Sets and clears a case's follow-up, audited."""

    def __init__(self, sessions: sessionmaker) -> None:
        self._sessions = sessions

    def set(self, case_id: int, staff_id: int, at: datetime) -> None:
        """Ask for the case to come back to the top of the queue at `at`."""
        with transaction(self._sessions) as session:
            case = session.get(Case, case_id)
            if case is None or case.outcome == Case.ERASED:
                raise CaseworkError("this case cannot be followed up")
            case.follow_up_at = at
            audit.record(session, staff_id, audit.FOLLOW_UP_SET, case_id, detail=at.strftime("%Y-%m-%d %H:%M"))

    def clear(self, case_id: int, staff_id: int) -> None:
        """Remove the case's follow-up (done, or no longer needed)."""
        with transaction(self._sessions) as session:
            case = session.get(Case, case_id)
            if case is None or case.follow_up_at is None:
                raise CaseworkError("this case has no follow-up")
            case.follow_up_at = None
            audit.record(session, staff_id, audit.FOLLOW_UP_CLEARED, case_id)


def is_due(case: Case, now: datetime) -> bool:
    """The case's follow-up is due at `now` (the same rule as `due`, for a loaded case)."""
    return case.follow_up_at is not None and as_utc(case.follow_up_at) <= now and case.outcome != Case.ERASED
