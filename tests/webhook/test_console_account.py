"""The console's account page: changing the password and ending the other sessions, each audited without a password."""

from __future__ import annotations

import pytest

from bot.db import make_session_factory
from bot.hotline.audit import AuditLog
from bot.hotline.login_guard import MAX_PER_ACCOUNT
from tests.console_client import PASSWORD, ConsoleUser, add_staff

NEW_PASSWORD = "a new and longer password"


@pytest.fixture
def rina(app, engine):
    """Rina logged in twice, from two browsers (two test clients)."""
    add_staff(engine, "rina", "counsellor")
    sessions = [ConsoleUser(app.test_client()) for _ in range(2)]
    for session in sessions:
        assert session.login("rina").status_code == 302
    return sessions


def change(user: ConsoleUser, current: str = PASSWORD, new: str = NEW_PASSWORD, repeat: str | None = None):
    """Post the password change form."""
    data = {"current": current, "new": new, "repeat": new if repeat is None else repeat}
    return user.post("/console/account/password", **data)


def logged_in(user: ConsoleUser) -> bool:
    """True when the queue is shown rather than the login."""
    return user.client.get("/console/").status_code == 200


def audit_rows(engine) -> list:
    return AuditLog(make_session_factory(engine)).newest()


@pytest.mark.parametrize("path", ["/console/account", "/console/account/password", "/console/account/sessions"])
def test_the_account_pages_need_a_login(app, path):
    user = ConsoleUser(app.test_client())
    response = user.client.get(path) if path == "/console/account" else user.post(path, current=PASSWORD)
    assert response.status_code == 302 and response.headers["Location"].startswith("/console/login")


def test_the_header_links_to_the_account_page(rina):
    page = rina[0].client.get("/console/").get_data(as_text=True)
    assert 'href="/console/account"' in page
    assert "Change your password" in rina[0].client.get("/console/account").get_data(as_text=True)


@pytest.mark.parametrize(
    ("current", "new", "repeat", "why"),
    [
        ("a wrong password", NEW_PASSWORD, None, "Wrong current password"),
        (PASSWORD, "too short", None, "at least 12 characters"),
        (PASSWORD, PASSWORD, None, "must differ from the current one"),
        (PASSWORD, NEW_PASSWORD, "another new password", "the two new passwords differ"),
    ],
)
def test_a_refused_change_keeps_the_password_and_every_session(rina, engine, current, new, repeat, why):
    response = change(rina[0], current, new, repeat)
    assert response.status_code == 400 and why in response.get_data(as_text=True)
    assert logged_in(rina[0]) and logged_in(rina[1])
    assert "password_changed" not in [row.action for row in audit_rows(engine)]
    assert ConsoleUser(rina[0].client.application.test_client()).login("rina").status_code == 302


def test_the_username_is_refused_as_a_password(app, engine):
    add_staff(engine, "rina.begum.counsellor", "counsellor")
    user = ConsoleUser(app.test_client())
    user.login("rina.begum.counsellor")
    response = change(user, new="Rina.Begum.Counsellor")
    assert response.status_code == 400 and "must not be the username" in response.get_data(as_text=True)


def test_a_change_ends_the_other_sessions_and_keeps_this_one(rina, engine, app):
    this, other = rina
    response = change(this)
    assert response.status_code == 302 and response.headers["Location"] == "/console/account"
    assert logged_in(this)
    assert not logged_in(other)
    assert other.client.get("/console/").headers["Location"].startswith("/console/login")
    fresh = ConsoleUser(app.test_client())
    assert fresh.login("rina").status_code == 401
    assert fresh.login("rina", NEW_PASSWORD).status_code == 302
    [row] = [row for row in audit_rows(engine) if row.action == "password_changed"]
    assert row.username == "rina"


def test_ending_the_other_sessions_keeps_the_password_and_this_session(rina, engine, app):
    this, other = rina
    refused = this.post("/console/account/sessions", password="a wrong password")
    assert refused.status_code == 400 and logged_in(other)
    assert this.post("/console/account/sessions", password=PASSWORD).status_code == 302
    assert logged_in(this)
    assert not logged_in(other)
    assert ConsoleUser(app.test_client()).login("rina").status_code == 302
    assert [row.action for row in audit_rows(engine)].count("sessions_ended") == 1


def test_no_audit_row_carries_a_password(rina, engine):
    change(rina[0], current="a wrong password")
    change(rina[0])
    rina[0].post("/console/account/sessions", password=NEW_PASSWORD)
    rows = audit_rows(engine)
    assert {"password_changed", "sessions_ended"} <= {row.action for row in rows}
    assert all(typed not in row.detail for row in rows for typed in (PASSWORD, NEW_PASSWORD, "a wrong password"))


def test_wrong_current_passwords_count_like_failed_logins(rina, engine):
    for _ in range(MAX_PER_ACCOUNT):
        assert change(rina[0], current="a wrong password").status_code == 400
    refused = change(rina[0])
    assert refused.status_code == 400 and "wait 15 minutes" in refused.get_data(as_text=True)
    assert logged_in(rina[1])
    assert [row.action for row in audit_rows(engine)].count("login_failed") == 1
