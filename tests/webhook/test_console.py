"""The hotline console through Flask's test client: login, roles, CSRF, escaping, lockout, audit, casework."""

from __future__ import annotations

import dataclasses

import pytest
from sqlalchemy import select

from bot.db import make_session_factory
from bot.hotline.audit import AuditLog
from bot.hotline.login_guard import MAX_PER_ACCOUNT
from bot.messaging.notices import notice
from bot.models import Case, Message
from tests.console_client import PASSWORD, ConsoleUser, add_staff, logged_in, open_case
from webhook.console.auth_pages import FAILED

URGENT = {"priority": "urgent", "intent": "action_report_abuse", "country": "saudi_arabia"}
PAGES = ["/console/", "/console/cases/1", "/console/overview", "/console/users", "/console/audit"]
ACTIONS = [
    "/console/cases/1/reply",
    "/console/cases/1/note",
    "/console/cases/1/assign",
    "/console/cases/1/resolve",
    "/console/cases/1/reveal",
    "/console/cases/1/pause",
    "/console/cases/1/resume",
    "/console/users",
    "/console/users/admin/disable",
    "/console/logout",
]


@pytest.fixture
def console_app(app, recorder):
    """The webhook app with its console; what the console sends goes to the recorder (fake channel APIs)."""
    return app


@pytest.fixture
def user(console_app):
    return ConsoleUser(console_app.test_client())


@pytest.fixture
def counsellor(user, engine):
    add_staff(engine, "rina", "counsellor")
    assert user.login("rina").status_code == 302
    return user


@pytest.fixture
def admin(console_app, engine):
    return logged_in(console_app, engine, "boss", "admin")


@pytest.fixture
def case_id(engine, vault, settings):
    return open_case(
        engine, vault, settings, URGENT, "+8801712345678", "they took my passport <script>alert(1)</script>"
    )


@pytest.mark.parametrize("path", PAGES)
def test_every_page_redirects_to_login_when_signed_out(user, path):
    response = user.client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/console/login")


@pytest.mark.parametrize("path", ACTIONS)
def test_every_action_redirects_to_login_when_signed_out(user, path):
    response = user.post(path, text="hello")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/console/login")


@pytest.mark.parametrize("path", ["/console/users", "/console/audit"])
def test_a_counsellor_cannot_reach_admin_pages(counsellor, path):
    assert counsellor.client.get(path).status_code == 403


def test_a_counsellor_cannot_create_or_disable_accounts(counsellor):
    assert counsellor.post("/console/users", username="mallory", role="admin").status_code == 403
    assert counsellor.post("/console/users/rina/disable").status_code == 403


def test_a_form_without_csrf_token_is_refused(counsellor, case_id, recorder):
    response = counsellor.client.post(f"/console/cases/{case_id}/reply", data={"text": "hello"})
    assert response.status_code == 400
    assert recorder.sent == []
    forged = counsellor.client.post(f"/console/cases/{case_id}/resolve", data={"csrf_token": "forged"})
    assert forged.status_code == 400


def test_a_message_with_a_script_shows_as_text(counsellor, case_id):
    page = counsellor.client.get(f"/console/cases/{case_id}").get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>" not in page


def test_repeated_failures_make_the_address_wait_without_locking_the_account(user, engine, app):
    add_staff(engine, "rina", "counsellor")
    answers = {user.login(name, "wrong password").get_data(as_text=True) for name in ("rina", "nobody")}
    for _ in range(MAX_PER_ACCOUNT - 1):
        assert user.login("rina", "wrong password").status_code == 401
    waiting = user.login("rina", PASSWORD)
    assert waiting.status_code == 401
    answers.add(waiting.get_data(as_text=True))
    # Unknown user, wrong password and a waiting address: one answer.
    assert all(FAILED in answer and "locked" not in answer for answer in answers)
    other_address = ConsoleUser(app.test_client())
    other_address.client.environ_base["REMOTE_ADDR"] = "10.9.8.7"
    assert other_address.login("rina").status_code == 302
    failures = [row for row in AuditLog(make_session_factory(engine)).newest() if row.action == "login_failed"]
    assert len(failures) == 1 and "rina" not in failures[0].detail and "wrong" not in failures[0].detail


def test_a_session_left_idle_ends_and_the_queue_refresh_does_not_extend_it(user, engine, settings):
    add_staff(engine, "rina", "counsellor")
    user.login("rina")
    with user.client.session_transaction() as session:
        session["seen"] -= settings.console_idle_minutes * 60 - 5
    assert user.client.get("/console/?refresh=1").status_code == 200
    with user.client.session_transaction() as session:
        session["seen"] -= 10
    assert "/console/login" in user.client.get("/console/").headers["Location"]


def test_the_session_cookie_is_http_only_and_same_site(user, engine):
    add_staff(engine, "rina", "counsellor")
    cookie = user.login("rina").headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_the_queue_shows_the_most_urgent_case_first(counsellor, engine, vault, settings):
    open_case(engine, vault, settings, {"priority": "normal"}, "+8801711111111", "can I talk to a person")
    urgent = open_case(engine, vault, settings, URGENT, "+8801722222222", "locked in room")
    page = counsellor.client.get("/console/").get_data(as_text=True)
    assert page.index(f"#{urgent}") < page.index("badge normal")
    assert "min" in page


def test_the_number_is_masked_until_revealed_and_both_are_audited(counsellor, admin, engine, case_id):
    page = counsellor.client.get(f"/console/cases/{case_id}").get_data(as_text=True)
    assert "+8801712345678" not in page and "+880••••••••78" in page
    revealed = counsellor.post(f"/console/cases/{case_id}/reveal").get_data(as_text=True)
    assert "+8801712345678" in revealed
    rows = AuditLog(make_session_factory(engine)).newest(case_id=case_id)
    assert [(row.username, row.action) for row in rows] == [("rina", "reveal"), ("rina", "view")]
    audit_page = admin.client.get("/console/audit").get_data(as_text=True)
    assert "reveal" in audit_page and "rina" in audit_page


def test_reply_assign_note_and_resolve(counsellor, case_id, recorder, engine):
    page = counsellor.client.get(f"/console/cases/{case_id}").get_data(as_text=True)
    assert "saudi_arabia" in page and "they took my passport" in page
    assert counsellor.post(f"/console/cases/{case_id}/assign").status_code == 302
    assert counsellor.post(f"/console/cases/{case_id}/reply", text="We are here. Are you safe?").status_code == 302
    assert counsellor.post(f"/console/cases/{case_id}/note", text="calls back at 6").status_code == 302
    page = counsellor.client.get(f"/console/cases/{case_id}").get_data(as_text=True)
    assert "calls back at 6" in page
    assert counsellor.post(f"/console/cases/{case_id}/resolve", outcome="information_given").status_code == 302
    assert recorder.to("+8801712345678") == ["We are here. Are you safe?", notice("bot_back", "en")]
    with make_session_factory(engine)() as session:
        senders = session.scalars(select(Message.sender).where(Message.direction == Message.OUTBOUND))
        assert list(senders) == [Message.STAFF, Message.GATEWAY]
    actions = [row.action for row in AuditLog(make_session_factory(engine)).newest(case_id=case_id)]
    assert {"assign", "reply", "note", "resolve", "view"} <= set(actions)


def test_canned_replies_are_in_the_case_language(counsellor, case_id):
    page = counsellor.client.get(f"/console/cases/{case_id}?canned=report_abuse").get_data(as_text=True)
    assert "You are not alone" in page and "999" in page


def test_an_admin_creates_and_disables_a_counsellor(admin, user):
    page = admin.post("/console/users", username="nadia", role="counsellor").get_data(as_text=True)
    password = page.split("Password (shown once): <code>")[1].split("</code>")[0]
    assert user.login("nadia", password).status_code == 302
    admin.post("/console/users/nadia/disable")
    assert user.client.get("/console/").status_code == 302  # the open session ends with the account


def test_overview_draws_svg_charts(counsellor, case_id):
    page = counsellor.client.get("/console/overview").get_data(as_text=True)
    assert page.count("<svg") >= 2
    assert "<script" not in page


def test_case_pages_are_not_cached_nor_framed(counsellor, case_id):
    response = counsellor.client.get(f"/console/cases/{case_id}")
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Content-Security-Policy"].startswith("default-src 'self'")


def test_a_counsellor_can_resolve_a_case_as_a_false_alarm(counsellor, case_id, engine):
    page = counsellor.client.get(f"/console/cases/{case_id}").get_data(as_text=True)
    assert "answering until a counsellor takes the case" in page
    assert counsellor.post(f"/console/cases/{case_id}/false-alarm").status_code == 302
    with make_session_factory(engine)() as session:
        case = session.get(Case, case_id)
        assert (case.status, case.outcome) == ("resolved", "false_alarm")
    page = counsellor.client.get(f"/console/cases/{case_id}").get_data(as_text=True)
    assert "(false alarm)" in page
    [resolved] = [
        row for row in AuditLog(make_session_factory(engine)).newest(case_id=case_id) if row.action == "resolve"
    ]
    assert resolved.detail == "false_alarm"


def test_behind_a_trusted_proxy_failures_count_against_the_forwarded_address(engine, make_app, settings):
    proxied = make_app(dataclasses.replace(settings, trusted_proxies=1))
    add_staff(engine, "mita", "counsellor")
    guesser = ConsoleUser(proxied.test_client())
    guesser.client.environ_base["HTTP_X_FORWARDED_FOR"] = "203.0.113.9"
    for _ in range(MAX_PER_ACCOUNT + 1):
        guesser.login("mita", "wrong password")
    assert guesser.login("mita").status_code == 401
    # A counsellor behind the same proxy, from another address, still gets in.
    counsellor = ConsoleUser(proxied.test_client())
    counsellor.client.environ_base["HTTP_X_FORWARDED_FOR"] = "198.51.100.4"
    assert counsellor.login("mita").status_code == 302
