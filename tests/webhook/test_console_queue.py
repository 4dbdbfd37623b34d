"""The console's queue through Flask's test client: every filter, the search, pages, unread cases, the change poll."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import insert

from bot.db import make_session_factory, transaction
from bot.hotline.queue_filters import PER_PAGE
from bot.models import Case, CaseLabel, Contact, Message, utcnow
from tests.console_client import ConsoleUser, add_staff
from tests.webhook.case_factory import CaseFactory

CASE_LINK = re.compile(r'href="/console/cases/(\d+)"')


@pytest.fixture
def counsellor(app, recorder, engine) -> ConsoleUser:
    add_staff(engine, "rina", "counsellor")
    user = ConsoleUser(app.test_client())
    assert user.login("rina").status_code == 302
    return user


@pytest.fixture
def cases(engine, vault, settings) -> CaseFactory:
    return CaseFactory(engine, vault, settings)


@pytest.fixture
def new_case(cases):
    """Opens a case for a new person; returns its id."""
    return cases.open


def add_message(engine, vault, case_id: int, **fields) -> None:
    """Store one more message of the case's person (inbound unless the fields say otherwise)."""
    with transaction(make_session_factory(engine)) as session:
        case = session.get(Case, case_id)
        message = {"direction": Message.INBOUND, "status": Message.FOR_STAFF, **fields}
        session.add(
            Message(contact_id=case.contact_id, channel=case.channel, text_encrypted=vault.encrypt("hi"), **message)
        )


def shown(user: ConsoleUser, query: str = "") -> list[int]:
    """The case ids the queue lists, in order."""
    response = user.client.get(f"/console/?{query}")
    assert response.status_code == 200
    return [int(case_id) for case_id in CASE_LINK.findall(response.get_data(as_text=True))]


def test_the_priority_filter(counsellor, new_case):
    urgent, normal = new_case("urgent"), new_case("normal")
    assert shown(counsellor, "priority=urgent") == [urgent]
    assert shown(counsellor, "priority=normal") == [normal]
    assert shown(counsellor, "priority=nonsense") == [urgent, normal]


def test_the_status_filter_and_assigned_to_me(counsellor, new_case, app, engine):
    mine, open_one, theirs = new_case(), new_case(), new_case()
    counsellor.post(f"/console/cases/{mine}/assign")
    add_staff(engine, "sumi", "counsellor")
    colleague = ConsoleUser(app.test_client())
    colleague.login("sumi")
    colleague.post(f"/console/cases/{theirs}/assign")
    assert shown(counsellor, "status=open") == [open_one]
    assert shown(counsellor, "status=assigned") == [mine, theirs]
    assert shown(counsellor, "mine=1") == [mine]
    assert shown(colleague, "mine=1") == [theirs]


def test_the_country_filter_reads_the_encrypted_facts(counsellor, new_case):
    saudi, qatar, unknown = new_case(country="saudi_arabia"), new_case(country="qatar"), new_case()
    assert shown(counsellor, "country=qatar") == [qatar]
    assert shown(counsellor, "country=saudi_arabia") == [saudi]
    assert shown(counsellor) == [saudi, qatar, unknown]
    assert "<td>qatar</td>" in counsellor.client.get("/console/").get_data(as_text=True)


def test_the_language_filter(counsellor, new_case, cases):
    english, bengali = new_case(), new_case()
    cases.change(bengali, language="bn")
    assert shown(counsellor, "language=bn") == [bengali]
    assert shown(counsellor, "language=en") == [english]


def test_waiting_longer_than_some_hours(counsellor, new_case, cases):
    old, recent = new_case(), new_case()
    cases.change(old, opened_at=utcnow() - timedelta(hours=5))
    cases.change(recent, opened_at=utcnow() - timedelta(hours=1))
    assert shown(counsellor, "waiting=4") == [old]
    assert shown(counsellor, "waiting=0") == [old, recent]


def test_the_undelivered_reply_filter(counsellor, new_case, engine, vault):
    failed, delivered = new_case(), new_case()
    for case_id, status in ((failed, "undelivered"), (delivered, "delivered")):
        add_message(
            engine,
            vault,
            case_id,
            direction=Message.OUTBOUND,
            sender=Message.STAFF,
            status=Message.SENT,
            delivery_status=status,
        )
    assert shown(counsellor, "undelivered=1") == [failed]


def test_a_case_is_unread_until_opened_and_again_when_the_person_writes(counsellor, new_case, engine, vault):
    first, second = new_case(), new_case()
    assert shown(counsellor, "unread=1") == [first, second]
    counsellor.client.get(f"/console/cases/{first}")
    assert shown(counsellor, "unread=1") == [second]
    add_message(engine, vault, first, created_at=utcnow() + timedelta(seconds=1))
    assert shown(counsellor, "unread=1") == [first, second]
    page = counsellor.client.get("/console/").get_data(as_text=True)
    assert page.count('class="badge unread"') == 2


def test_search_by_case_number_or_pseudonym_prefix(counsellor, new_case, engine):
    first, second = new_case(), new_case()
    with make_session_factory(engine)() as session:
        pseudonym = session.get(Case, second).contact.pseudonym
        others = [contact.pseudonym for contact in session.query(Contact) if contact.pseudonym != pseudonym]
    prefix = next(
        pseudonym[:length] for length in range(4, 33) if not any(p.startswith(pseudonym[:length]) for p in others)
    )
    assert shown(counsellor, f"q=%23{first}") == [first]
    assert shown(counsellor, f"q={prefix.upper()}") == [second]
    assert shown(counsellor, "q=zz%25") == []
    assert "No open cases match these filters" in counsellor.client.get("/console/?q=zz").get_data(as_text=True)


def test_pages_of_fifty_with_counts_keep_the_filters(counsellor, new_case):
    opened = [new_case("high") for _ in range(PER_PAGE + 3)] + [new_case("normal")]
    assert shown(counsellor, "priority=high") == opened[:PER_PAGE]
    second_page = counsellor.client.get("/console/?priority=high&page=2").get_data(as_text=True)
    assert CASE_LINK.findall(second_page) == [str(case_id) for case_id in opened[PER_PAGE : PER_PAGE + 3]]
    assert f"Cases {PER_PAGE + 1}-{PER_PAGE + 3} of {PER_PAGE + 3} (of {PER_PAGE + 4} open)" in second_page
    assert "priority=high&amp;page=1" in second_page and "page 2 of 2" in second_page
    assert shown(counsellor, "priority=high&page=99") == opened[PER_PAGE : PER_PAGE + 3]


def test_the_automatic_reload_keeps_the_filters_and_the_page_loads_its_script(counsellor, new_case):
    new_case()
    page = counsellor.client.get("/console/?priority=urgent").get_data(as_text=True)
    assert re.search(r'<noscript><meta http-equiv="refresh" content="60; url=/console/\?[^"]*priority=urgent', page)
    assert "refresh=1" in page
    assert '<script src="/console/static/queue.js" defer></script>' in page
    with counsellor.client.get("/console/static/queue.js") as script:
        assert script.status_code == 200 and b"changesUrl" in script.data


def test_the_change_poll_counts_new_cases(counsellor, new_case):
    new_case()
    page = counsellor.client.get("/console/").get_data(as_text=True)
    newest = int(re.search(r'data-newest="(\d+)"', page).group(1))
    assert counsellor.client.get(f"/console/queue/changes?since={newest}").get_json() == {"new": 0, "newest": newest}
    added = [new_case(), new_case()]
    answer = counsellor.client.get(f"/console/queue/changes?since={newest}").get_json()
    assert answer == {"new": 2, "newest": added[-1]}
    assert counsellor.client.get("/console/queue/changes?since=99999999999999999999").get_json()["new"] == 0


def test_the_change_poll_does_not_keep_an_idle_session_alive(counsellor, settings):
    with counsellor.client.session_transaction() as session:
        session["seen"] -= settings.console_idle_minutes * 60 - 5
    assert counsellor.client.get("/console/queue/changes?since=0").status_code == 200
    with counsellor.client.session_transaction() as session:
        session["seen"] -= 10
    response = counsellor.client.get("/console/queue/changes?since=0")
    assert response.status_code == 401
    assert "/console/login" in counsellor.client.get("/console/").headers["Location"]


def test_the_change_poll_is_refused_when_logged_out(app):
    assert app.test_client().get("/console/queue/changes?since=0").status_code == 401


def test_the_type_filter_uses_the_saved_case_types(counsellor, new_case, engine):
    wage_theft, other = new_case(), new_case()
    with engine.begin() as connection:
        connection.execute(insert(CaseLabel).values(case_id=wage_theft, kind=CaseLabel.TYPE, code="wage_theft"))
        connection.execute(insert(CaseLabel).values(case_id=other, kind=CaseLabel.INDICATOR, code="wage_theft"))
    assert shown(counsellor, "type=wage_theft") == [wage_theft]
    assert shown(counsellor, "type=confinement") == []
