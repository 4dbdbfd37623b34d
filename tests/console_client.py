"""Helpers for console tests: CSRF tokens from pages, logging in, staff accounts, cases to look at."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.db import make_session_factory, transaction
from bot.hotline.handoff import CaseHandoff, open_case_id
from bot.hotline.staff import Staff
from bot.models import Case, Message
from tests.hotline_fakes import FakeAlerts, FakeDelivery, add_person

PASSWORD = "a long test password"
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')


def csrf_token(html: str) -> str:
    """The CSRF token of the first form on a page."""
    match = CSRF.search(html)
    assert match, "no CSRF token on the page"
    return match.group(1) or match.group(2)


@dataclass
class ConsoleUser:
    """Drives the console through a Flask test client, as one staff member."""

    client: object

    def token(self, path: str = "/console/login") -> str:
        """A CSRF token of this session, read from a page."""
        return csrf_token(self.client.get(path).get_data(as_text=True))

    def login(self, username: str, password: str = PASSWORD):
        """Post the login form."""
        data = {"username": username, "password": password, "csrf_token": self.token()}
        return self.client.post("/console/login", data=data)

    def post(self, path: str, **data):
        """Post a console form with this session's CSRF token."""
        return self.client.post(path, data={**data, "csrf_token": self.token("/console/login")})


def add_staff(engine, username: str, role: str) -> None:
    """Create an account with the test password."""
    Staff(make_session_factory(engine)).create(username, role, PASSWORD)


def logged_in(app, engine, username: str, role: str) -> ConsoleUser:
    """A new staff member of that role, logged in with their own test client."""
    add_staff(engine, username, role)
    user = ConsoleUser(app.test_client())
    assert user.login(username).status_code == 302
    return user


def open_case(engine, vault, settings, signal: dict, address: str, text: str, delivery=None) -> int:
    """Store a person's message and escalate it; return the case id."""
    sessions = make_session_factory(engine)
    person = add_person(sessions, vault, address, text)
    CaseHandoff(sessions, vault, settings, delivery or FakeDelivery(), FakeAlerts()).escalate(
        person, signal, "en", "sms"
    )
    with sessions() as session:
        return open_case_id(session, person)


def open_next_case(engine, vault, settings, earlier_case_id: int, signal: dict, text: str) -> int:
    """The person of a resolved case writes again and is escalated: return their new case's id."""
    sessions = make_session_factory(engine)
    with transaction(sessions) as session:
        person = session.get(Case, earlier_case_id).contact_id
        session.add(
            Message(contact_id=person, direction=Message.INBOUND, channel="sms",
                    text_encrypted=vault.encrypt(text), status=Message.ANSWERED)
        )  # fmt: skip
    CaseHandoff(sessions, vault, settings, FakeDelivery(), FakeAlerts()).escalate(person, signal, "en", "sms")
    with sessions() as session:
        return open_case_id(session, person)
