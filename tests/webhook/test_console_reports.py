"""The monthly CSV report: admins only, audited, counts with no phone number, pseudonym or words, small ones hidden
so that no total gives them away."""

from __future__ import annotations

import csv
import io
import itertools
from collections import defaultdict
from datetime import date, timedelta

import pytest
from sqlalchemy import insert, select

from bot.db import make_session_factory
from bot.hotline.audit import AuditLog
from bot.hotline.reports import AUDIT_ACTION, HEADER, SMALL_COUNT, SUPPRESSED, Group, recent_months, suppressed_cells
from bot.models import Case, Contact, Referral, ReferralPartner, utcnow
from tests.console_client import ConsoleUser, add_staff
from tests.webhook.case_factory import PERSON_TEXT, CaseFactory

MONTH_START = utcnow().replace(day=1, hour=0, minute=0, second=0, microsecond=0)
MONTH = MONTH_START.strftime("%Y-%m")
SAUDI_CASES = 6
QATAR_CASES = 2
KUWAIT_CASES = 5
MONTH_CASES = SAUDI_CASES + QATAR_CASES + KUWAIT_CASES


@pytest.fixture
def user(app, recorder):
    return ConsoleUser(app.test_client())


@pytest.fixture
def admin(user, engine) -> ConsoleUser:
    add_staff(engine, "boss", "admin")
    assert user.login("boss").status_code == 302
    return user


@pytest.fixture
def month_of_cases(engine, vault, settings) -> CaseFactory:
    """Six Saudi cases answered after 10 to 60 minutes (one referred), two Qatar and five Kuwait ones, one of last
    month."""
    cases = CaseFactory(engine, vault, settings)
    for minutes in range(10, 10 * SAUDI_CASES + 1, 10):
        case_id = cases.open("urgent", "saudi_arabia")
        opened = MONTH_START + timedelta(hours=1)
        cases.change(case_id, opened_at=opened, first_reply_at=opened + timedelta(minutes=minutes))
    for country, number in (("qatar", QATAR_CASES), ("kuwait", KUWAIT_CASES)):
        for _ in range(number):
            cases.change(cases.open("normal", country), opened_at=MONTH_START + timedelta(hours=2))
    cases.change(cases.open("high", "qatar"), opened_at=MONTH_START - timedelta(days=3))
    with engine.begin() as connection:
        partner = connection.execute(insert(ReferralPartner).values(name="=Shelter")).inserted_primary_key[0]
        connection.execute(insert(Referral).values(case_id=case_id, partner_id=partner, referred_on=date.today()))
    return cases


def report(user: ConsoleUser, month: str = MONTH):
    return user.client.get(f"/console/reports/{month}.csv")


def rows(text: str) -> dict[tuple[str, str], tuple[str, str]]:
    """(dimension, value) -> (cases, median minutes) of a report."""
    table = list(csv.reader(io.StringIO(text)))
    assert tuple(table[0]) == HEADER
    return {(dimension, value): (cases, median) for dimension, value, cases, median in table[1:]}


def test_only_admins_get_the_report(user, engine, admin, app):
    add_staff(engine, "rina", "counsellor")
    counsellor = ConsoleUser(app.test_client())
    counsellor.login("rina")
    assert report(counsellor).status_code == 403
    assert report(ConsoleUser(app.test_client())).status_code == 302
    assert report(admin, "2026-13").status_code == 404
    assert report(admin, "last-month").status_code == 404


def test_the_report_counts_the_month_and_suppresses_small_counts(admin, month_of_cases):
    response = report(admin)
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert f'filename="cases-{MONTH}.csv"' in response.headers["Content-Disposition"]
    assert response.headers["Cache-Control"] == "no-store"
    figures = rows(response.get_data(as_text=True))
    assert figures[("all", "cases")] == (str(MONTH_CASES), "35")
    assert figures[("country", "saudi_arabia")] == (str(SAUDI_CASES), "35")
    assert figures[("country", "qatar")] == (SUPPRESSED, "")
    # The total less Saudi Arabia would give Qatar's count: the next smallest is suppressed too.
    assert figures[("country", "kuwait")] == (SUPPRESSED, "")
    assert figures[("priority", "urgent")] == (str(SAUDI_CASES), "35")
    assert figures[("priority", "normal")] == (str(QATAR_CASES + KUWAIT_CASES), "")
    assert ("priority", "high") not in figures  # last month's case
    assert figures[("referral", "'=Shelter")] == figures[("referral", "none")] == (SUPPRESSED, "")
    assert figures[("type", "unclassified")][0] == str(MONTH_CASES)
    assert figures[("outcome", "not resolved")][0] == str(MONTH_CASES)
    assert figures[("language", "en")][0] == figures[("channel", "sms")][0] == str(MONTH_CASES)
    assert all(cases == SUPPRESSED or int(cases) >= SMALL_COUNT for cases, _ in figures.values())


def possible_counts(hidden: int, remainder: int, largest: int) -> list[set[int]]:
    """What each of `hidden` suppressed counts may be, to a reader who knows the rule: each from 1 to `largest` (no
    more than the smallest count shown), at least one under SMALL_COUNT, all adding up to `remainder`."""
    options: list[set[int]] = [set() for _ in range(hidden)]
    for counts in itertools.product(range(1, largest + 1), repeat=hidden):
        if sum(counts) == remainder and min(counts) < SMALL_COUNT:
            for option, count in zip(options, counts, strict=True):
                option.add(count)
    return options


def recoverable(figures: dict[tuple[str, str], tuple[str, str]]) -> list[str]:
    """The dimensions where the total and the counts shown tell what a suppressed count is.

    Every case of the test month has one value in each dimension (one type, at most one referral), so a dimension's
    counts add up to the total of all cases.
    """
    total = int(figures[("all", "cases")][0])
    dimensions: dict[str, list[str]] = defaultdict(list)
    for (dimension, _), (cases, _) in figures.items():
        if dimension != "all":
            dimensions[dimension].append(cases)
    found = []
    for dimension, cells in dimensions.items():
        shown = [int(cases) for cases in cells if cases != SUPPRESSED]
        hidden = len(cells) - len(shown)
        options = possible_counts(hidden, total - sum(shown), min(shown, default=total)) if hidden else []
        if any(len(option) < 2 for option in options):
            found.append(dimension)
    return found


def test_no_suppressed_count_can_be_recovered_from_the_totals(admin, month_of_cases):
    figures = rows(report(admin).get_data(as_text=True))
    assert [cells for cells in figures.values() if cells[0] == SUPPRESSED]
    assert recoverable(figures) == []


@pytest.mark.parametrize(
    ("counts", "expected"),
    [
        ({"a": 9, "b": 7}, set()),
        ({"a": 2, "b": 9, "c": 7}, {"a", "c"}),
        ({"a": 2, "b": 3, "c": 7}, {"a", "b"}),
        # Two suppressed counts of 1 add up to 2, which tells both: a third is suppressed with them.
        ({"a": 1, "b": 1, "c": 9, "d": 7}, {"a", "b", "d"}),
        ({"a": 1, "b": 1, "c": 1, "d": 5, "e": 8}, {"a", "b", "c", "d"}),
        ({"a": 3}, {"a"}),
    ],
)
def test_a_small_count_is_suppressed_with_the_next_smallest(counts, expected):
    total = sum(counts.values())
    groups = {("all", "cases"): Group(total)} | {("x", value): Group(cases) for value, cases in counts.items()}
    suppressed = suppressed_cells(groups)
    assert {value for dimension, value in suppressed if dimension == "x"} == expected
    figures = {key: (SUPPRESSED if key in suppressed else str(group.cases), "") for key, group in groups.items()}
    if total >= SMALL_COUNT:
        assert recoverable(figures) == []


def test_the_report_holds_no_number_pseudonym_or_words(admin, month_of_cases, engine):
    text = report(admin).get_data(as_text=True)
    with make_session_factory(engine)() as session:
        pseudonyms = session.scalars(select(Contact.pseudonym)).all()
        case_ids = session.scalars(select(Case.id)).all()
    assert len(pseudonyms) == MONTH_CASES + 1
    numbers = [CaseFactory.address(number) for number in range(len(pseudonyms))]
    assert not [secret for secret in numbers + [number[4:] for number in numbers] if secret in text]
    assert not [pseudonym for pseudonym in pseudonyms if pseudonym[:8] in text]
    assert PERSON_TEXT not in text and "help" not in text
    assert not [case_id for case_id in case_ids if f"#{case_id}" in text]


def test_each_download_is_audited(admin, engine):
    assert report(admin).status_code == 200
    entries = [row for row in AuditLog(make_session_factory(engine)).newest() if row.action == AUDIT_ACTION]
    assert [(row.username, row.detail) for row in entries] == [("boss", MONTH)]


def test_the_overview_links_admins_to_recent_months(admin, app, engine):
    assert recent_months(date(2026, 2, 10), 3) == ["2026-02", "2026-01", "2025-12"]
    page = admin.client.get("/console/overview").get_data(as_text=True)
    assert f'href="/console/reports/{MONTH}.csv"' in page
    add_staff(engine, "rina", "counsellor")
    counsellor = ConsoleUser(app.test_client())
    counsellor.login("rina")
    assert "/console/reports/" not in counsellor.client.get("/console/overview").get_data(as_text=True)
