"""The queue's filters and search, read from a page's query parameters, and its pages."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache
from typing import Generic, TypeVar

from sqlalchemy import exists, or_, select
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.expression import Select

from bot.channels.delivery_status import NOT_DELIVERED
from bot.hotline.case_types import TYPES
from bot.language.forms import FORMS
from bot.models import Case, CaseLabel, Contact, utcnow
from bot.topics.destinations import load_destinations

PER_PAGE = 50
MAX_WAITING_HOURS = 24 * 365
# A search is a case number ("#12" or "12") or the start of a pseudonym (hexadecimal, as the queue shows it).
CASE_NUMBER = re.compile(r"#?(\d{1,9})")
PSEUDONYM_PREFIX = re.compile(r"[0-9a-f]{1,64}")
STATUSES = (Case.OPEN, Case.ASSIGNED)
Row = TypeVar("Row")


@dataclass(frozen=True)
class QueueFilters:
    """What the counsellor asked the queue to show; empty fields do not filter."""

    priority: str | None = None
    status: str | None = None
    # A case type a counsellor saved on the case (bot.hotline.case_types.TYPES).
    case_type: str | None = None
    country: str | None = None
    language: str | None = None
    # Only cases assigned to this staff member ("assigned to me").
    assigned_to: int | None = None
    waiting_hours: int | None = None
    undelivered: bool = False
    unread: bool = False
    search: str = ""

    @classmethod
    def from_args(cls, args: Mapping[str, str], staff_id: int, countries: tuple[str, ...]) -> QueueFilters:
        """The filters of a page's query parameters; a value that is not one of the choices is ignored."""
        waiting = args.get("waiting", "")
        return cls(
            priority=choice(args.get("priority"), Case.PRIORITIES),
            status=choice(args.get("status"), STATUSES),
            case_type=choice(args.get("type"), tuple(TYPES)),
            country=choice(args.get("country"), countries),
            language=choice(args.get("language"), FORMS),
            assigned_to=staff_id if args.get("mine") else None,
            waiting_hours=min(int(waiting), MAX_WAITING_HOURS) if waiting.isdigit() and int(waiting) > 0 else None,
            undelivered=bool(args.get("undelivered")),
            unread=bool(args.get("unread")),
            search=args.get("q", "").strip().lower()[:64],
        )

    def keeps(self, country: str | None, unread: bool) -> bool:
        """The filters the database cannot apply: the country (in the encrypted facts) and unread messages."""
        return (not self.country or country == self.country) and (unread or not self.unread)

    def narrow(self, query: Select, latest_reply_status: ColumnElement) -> Select:
        """The queue's query with the filters the database can apply (all but country and unread)."""
        conditions = [
            Case.priority == self.priority if self.priority else None,
            Case.status == self.status if self.status else None,
            has_type(self.case_type) if self.case_type else None,
            Case.language == self.language if self.language else None,
            Case.assigned_to_id == self.assigned_to if self.assigned_to is not None else None,
            Case.opened_at <= utcnow() - timedelta(hours=self.waiting_hours) if self.waiting_hours else None,
            latest_reply_status.in_(NOT_DELIVERED) if self.undelivered else None,
            self._search_condition() if self.search else None,
        ]
        return query.where(*(condition for condition in conditions if condition is not None))

    def _search_condition(self) -> ColumnElement:
        number = CASE_NUMBER.fullmatch(self.search)
        prefix = PSEUDONYM_PREFIX.fullmatch(self.search)
        found = [Case.id == int(number.group(1))] if number else []
        found += [Contact.pseudonym.startswith(self.search, autoescape=True)] if prefix else []
        return or_(*found) if found else Case.id.is_(None)


NO_FILTERS = QueueFilters()


@dataclass(frozen=True)
class Page(Generic[Row]):
    """One page of a list, with the counts the page shows."""

    rows: list[Row]
    number: int
    pages: int
    total: int

    @property
    def first(self) -> int:
        """Position of the first row shown (1-based; 0 when the list is empty)."""
        return (self.number - 1) * PER_PAGE + 1 if self.rows else 0

    @property
    def last(self) -> int:
        """Position of the last row shown."""
        return self.first + len(self.rows) - 1 if self.rows else 0


def paginate(rows: list[Row], requested: str | None) -> Page[Row]:
    """The requested page (a number from 1, kept within the pages there are) of the rows."""
    pages = max(1, math.ceil(len(rows) / PER_PAGE))
    number = min(max(int(requested), 1), pages) if requested and requested.isdigit() else 1
    start = (number - 1) * PER_PAGE
    return Page(rows[start : start + PER_PAGE], number, pages, len(rows))


@lru_cache(maxsize=1)
def known_countries() -> tuple[str, ...]:
    """The country keys a case's facts may hold (those of the destinations file), sorted."""
    return tuple(sorted(load_destinations()))


def has_type(code: str) -> ColumnElement:
    """The case has this type among its saved labels."""
    label = select(CaseLabel.case_id).where(
        CaseLabel.case_id == Case.id, CaseLabel.kind == CaseLabel.TYPE, CaseLabel.code == code
    )
    return exists(label.correlate(Case))


def choice(value: str | None, choices: tuple[str, ...]) -> str | None:
    """The value when it is one of the choices, else None."""
    return value if value in choices else None
