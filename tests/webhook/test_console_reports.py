"""The monthly CSV report: admins only, audited, counts with no phone number, pseudonym or words, small ones hidden."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import pytest
from sqlalchemy import insert, select

from bot.db import make_session_factory
from bot.hotline.audit import AuditLog
from bot.hotline.reports import AUDIT_ACTION, HEADER, recent_months
from bot.models import Case, Contact, Referral, ReferralPartner, utcnow
from tests.console_client import ConsoleUser, add_staff
from tests.webhook.case_factory import PERSON_TEXT, CaseFactory

MONTH_START = utcnow().replace(day=1, hour=0, minute=0, second=0, microsecond=0)
MONTH = MONTH_START.strftime("%Y-%m")
SAUDI_CASES = 6
QATAR_CASES = 2


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
    """Six Saudi cases answered after 10 to 60 minutes (one referred), two Qatar ones, one of last month."""
    cases = CaseFactory(engine, vault, settings)
    for minutes in range(10, 10 * SAUDI_CASES + 1, 10):
        case_id = cases.open("urgent", "saudi_arabia")
        opened = MONTH_START + timedelta(hours=1)
        cases.change(case_id, opened_at=opened, first_reply_at=opened + timedelta(minutes=minutes))
    for _ in range(QATAR_CASES):
        cases.change(cases.open("normal", "qatar"), opened_at=MONTH_START + timedelta(hours=2))
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
    assert figures[("all", "cases")] == (str(SAUDI_CASES + QATAR_CASES), "35")
    assert figures[("country", "saudi_arabia")] == (str(SAUDI_CASES), "35")
    assert figures[("country", "qatar")] == ("<5", "")
    assert figures[("priority", "urgent")] == (str(SAUDI_CASES), "35")
    assert ("priority", "high") not in figures  # last month's case
    assert figures[("referral", "'=Shelter")] == ("<5", "")
    assert figures[("referral", "none")] == (str(SAUDI_CASES + QATAR_CASES - 1), "30")
    assert figures[("type", "unclassified")][0] == str(SAUDI_CASES + QATAR_CASES)
    assert figures[("outcome", "not resolved")][0] == str(SAUDI_CASES + QATAR_CASES)
    assert figures[("language", "en")][0] == figures[("channel", "sms")][0] == str(SAUDI_CASES + QATAR_CASES)
    assert all(cases == "<5" or int(cases) >= 5 for cases, _ in figures.values())


def test_the_report_holds_no_number_pseudonym_or_words(admin, month_of_cases, engine):
    text = report(admin).get_data(as_text=True)
    with make_session_factory(engine)() as session:
        pseudonyms = session.scalars(select(Contact.pseudonym)).all()
        case_ids = session.scalars(select(Case.id)).all()
    assert len(pseudonyms) == SAUDI_CASES + QATAR_CASES + 1
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
