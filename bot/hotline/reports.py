"""The monthly report of cases: counts by type, intent, priority, country, outcome, referral, language and channel.

It names no person: no phone number, pseudonym, name, case number or message text, only counts of cases opened in
the month and the median time to a first reply. A count from 1 to 4 is suppressed (with its median), so that a rare
combination cannot point at one person; and since the values of a dimension add up to the total of all cases (or,
for types and referrals, come close), more of the dimension's smallest counts are suppressed with it until the total
no longer tells what they are: at least two, and not all of them 1. Every suppressed cell reads the same, so none
can be told to be the small one.
"""

from __future__ import annotations

import csv
import io
import re
import statistics
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timezone

from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from bot.hotline.handoff import read_facts
from bot.hotline.queue_filters import known_countries
from bot.models import Case, CaseLabel, Referral, ReferralPartner, as_utc
from bot.vault import Vault

# Audit action of a downloaded report (bot.hotline.audit): who took which month.
AUDIT_ACTION = "monthly_report"
SMALL_COUNT = 5
SUPPRESSED = "suppressed"
HEADER = ("dimension", "value", "cases", "median_minutes_to_first_reply")
MONTH = re.compile(r"(\d{4})-(0[1-9]|1[0-2])")
# A case without a type, and the outcome of a case still open or resolved without one.
UNCLASSIFIED = "unclassified"
NOT_RESOLVED = "not resolved"
UNSPECIFIED = "unspecified"
# A cell starting with one of these is a formula to a spreadsheet: such text is quoted.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class Group:
    """The cases of one value of one dimension: how many, and the minutes to their first reply."""

    cases: int = 0
    reply_minutes: list[float] = field(default_factory=list)

    def cells(self, suppressed: bool) -> tuple[str, str]:
        """The count and the median (left out for fewer than SMALL_COUNT replies), or neither when suppressed."""
        if suppressed:
            return SUPPRESSED, ""
        enough = len(self.reply_minutes) >= SMALL_COUNT
        return str(self.cases), f"{statistics.median(self.reply_minutes):.0f}" if enough else ""


def suppressed_cells(groups: dict[tuple[str, str], Group]) -> set[tuple[str, str]]:
    """The (dimension, value) cells to suppress: small counts, and the next smallest of their dimension with them."""
    by_dimension: dict[str, list[tuple[int, tuple[str, str]]]] = defaultdict(list)
    for key, group in groups.items():
        by_dimension[key[0]].append((group.cases, key))
    suppressed: set[tuple[str, str]] = set()
    for cells in by_dimension.values():
        cells.sort()
        hidden = sum(1 for cases, _ in cells if cases < SMALL_COUNT)
        # One hidden count is the total less the others; hidden counts that are all 1 add up to their number.
        while hidden and hidden < len(cells) and (hidden < 2 or sum(cases for cases, _ in cells[:hidden]) == hidden):
            hidden += 1
        suppressed |= {key for _, key in cells[:hidden]}
    return suppressed


def outcome_name(status: str, outcome: str | None) -> str:
    """A case's outcome as reported: its code, or whether it is still open."""
    return outcome or (UNSPECIFIED if status == Case.RESOLVED else NOT_RESOLVED)


def month_start(month: str) -> datetime:
    """The first moment (UTC) of a month written YYYY-MM; ValueError for anything else."""
    match = MONTH.fullmatch(month)
    if not match:
        raise ValueError(f"not a month: {month!r}")
    return datetime(int(match.group(1)), int(match.group(2)), 1, tzinfo=timezone.utc)


def next_month(start: datetime) -> datetime:
    """The first moment of the month after `start`'s."""
    return start.replace(year=start.year + start.month // 12, month=start.month % 12 + 1)


def recent_months(today: date, count: int) -> list[str]:
    """The current month and the ones before it, newest first, as YYYY-MM."""
    months = []
    year, month = today.year, today.month
    for _ in range(count):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months


def spreadsheet_safe(value: str) -> str:
    """The value, quoted when a spreadsheet would run it as a formula."""
    return "'" + value if value.startswith(FORMULA_START) else value


class MonthlyReports:
    """Counts the cases opened in a month, by dimension, for admins to share."""

    def __init__(self, sessions: sessionmaker, vault: Vault) -> None:
        self._sessions = sessions
        self._vault = vault

    def rows(self, month: str) -> list[tuple[str, str, str, str]]:
        """The report's rows (header first): one per dimension and value, "all" first."""
        groups: dict[tuple[str, str], Group] = defaultdict(Group)
        for values, minutes in self._cases(month_start(month)):
            for key in values:
                groups[key].cases += 1
                if minutes is not None:
                    groups[key].reply_minutes.append(minutes)
        suppressed = suppressed_cells(groups)
        ordered = sorted(groups.items(), key=lambda item: (item[0][0] != "all", item[0]))
        return [HEADER] + [
            (key[0], spreadsheet_safe(key[1]), *group.cells(key in suppressed)) for key, group in ordered
        ]

    def csv(self, month: str) -> str:
        """The report as CSV text."""
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows(self.rows(month))
        return out.getvalue()

    def _cases(self, start: datetime) -> Iterator[tuple[set[tuple[str, str]], float | None]]:
        """(dimension, value) pairs and minutes to the first reply of each case opened in the month."""
        month_ids = select(Case.id).where(Case.opened_at >= start, Case.opened_at < next_month(start))
        types = select(CaseLabel.case_id, CaseLabel.code).where(
            CaseLabel.kind == CaseLabel.TYPE, CaseLabel.case_id.in_(month_ids)
        )
        referrals = (
            select(Referral.case_id, ReferralPartner.name)
            .join(ReferralPartner, Referral.partner_id == ReferralPartner.id)
            .where(Referral.case_id.in_(month_ids))
        )
        countries = set(known_countries())
        with self._sessions() as session:
            cases = session.scalars(select(Case).where(Case.id.in_(month_ids)).order_by(Case.id)).all()
            types_of, referrals_of = self._by_case(session, types), self._by_case(session, referrals)
            for case in cases:
                country = read_facts(self._vault, case).get("country")
                values = {
                    ("all", "cases"),
                    ("intent", case.intent),
                    ("priority", case.priority),
                    ("country", country if country in countries else "unknown"),
                    ("outcome", outcome_name(case.status, case.outcome)),
                    ("language", case.language or "unknown"),
                    ("channel", case.channel),
                }
                values |= {("type", code) for code in types_of.get(case.id, [UNCLASSIFIED])}
                values |= {("referral", name) for name in referrals_of.get(case.id, ["none"])}
                yield values, self._minutes_to_reply(case)

    @staticmethod
    def _by_case(session, query) -> dict[int, list[str]]:
        found: dict[int, list[str]] = defaultdict(list)
        for case_id, value in session.execute(query):
            found[case_id].append(value)
        return found

    @staticmethod
    def _minutes_to_reply(case: Case) -> float | None:
        if case.first_reply_at is None:
            return None
        return (as_utc(case.first_reply_at) - as_utc(case.opened_at)).total_seconds() / 60
