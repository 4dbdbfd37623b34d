"""Staff accounts: hashed passwords, the same answer for every failure, the `users` command and the first admin."""

from __future__ import annotations

import base64

import pytest
from sqlalchemy import select

from bot.cli import main
from bot.db import make_session_factory, transaction
from bot.hotline import passwords
from bot.hotline.audit import AuditLog
from bot.hotline.passwords import check_password, hash_password
from bot.hotline.staff import Staff, StaffError
from bot.hotline.staff_cli import print_first_admin
from bot.models import StaffUser
from bot.settings import load_settings

PASSWORD = "correct horse battery"


@pytest.fixture
def staff(engine):
    return Staff(make_session_factory(engine))


@pytest.fixture
def cli_env(monkeypatch, service_env, engine):
    for key in ("INSTANCE_PATH", "DATABASE_URL"):
        monkeypatch.setenv(key, service_env[key])


def test_password_hash_is_salted_and_checked():
    first, second = hash_password(PASSWORD), hash_password(PASSWORD)
    assert first != second and PASSWORD not in first
    assert check_password(first, PASSWORD)
    assert not check_password(first, PASSWORD + "!")


def test_login_with_the_right_password_only(staff):
    staff.create("rina", StaffUser.COUNSELLOR, PASSWORD)
    assert staff.login("rina", PASSWORD).user.role == "counsellor"
    assert staff.login("rina", "wrong password").user is None
    assert staff.login("nobody", PASSWORD).user is None


def test_an_old_hash_still_works_and_is_upgraded_at_login(staff, engine):
    staff.create("rina", StaffUser.COUNSELLOR, PASSWORD)
    salt = b"sixteen byte salt"[:16]
    digest = passwords._scrypt(PASSWORD, salt, 2**14, 8, 1)  # the parameters of the previous release
    old = f"scrypt${2**14}$8$1${base64.b64encode(salt).decode()}${base64.b64encode(digest).decode()}"
    sessions = make_session_factory(engine)
    with transaction(sessions) as session:
        session.scalar(select(StaffUser)).password_hash = old
    assert passwords.needs_rehash(old)
    assert staff.login("rina", PASSWORD).user is not None
    with sessions() as session:
        assert not passwords.needs_rehash(session.scalar(select(StaffUser.password_hash)))


def test_unknown_users_cost_a_password_check_too(staff, monkeypatch):
    checked = []
    monkeypatch.setattr("bot.hotline.staff.check_password", lambda stored, password: checked.append(stored) or False)
    assert staff.login("nobody", PASSWORD).user is None
    assert checked == [passwords.DUMMY_HASH]


def test_disabled_account_cannot_log_in(staff):
    staff.create("rina", StaffUser.COUNSELLOR, PASSWORD)
    staff.set_active("rina", active=False)
    assert staff.login("rina", PASSWORD).user is None


@pytest.mark.parametrize(
    ("username", "role", "password"),
    [
        ("", "counsellor", PASSWORD),
        ("rina", "boss", PASSWORD),
        ("rina", "admin", "short"),
        ("rina.begum.admin", "admin", "Rina.Begum.Admin"),
    ],
)
def test_bad_accounts_are_refused(staff, username, role, password):
    with pytest.raises(StaffError):
        staff.create(username, role, password)


def test_users_command_creates_and_disables(cli_env, engine, capsys, staff):
    assert main(["users", "create", "rina", "--role", "admin"]) == 0
    password = capsys.readouterr().out.strip().rsplit(" ", 1)[1]
    assert staff.login("rina", password).user.role == "admin"
    assert main(["users", "create", "rina"]) == 1
    assert "already exists" in capsys.readouterr().err
    assert main(["users", "disable", "rina"]) == 0
    assert staff.login("rina", password).user is None
    actions = [row.action for row in AuditLog(make_session_factory(engine)).newest()]
    assert actions == ["user_disabled", "user_created"]


def test_first_admin_is_created_and_printed_once(cli_env, service_env, capsys, staff):
    settings = load_settings(service_env)
    print_first_admin(settings)
    password = capsys.readouterr().out.split("admin / ")[1].split()[0]
    assert staff.login("admin", password).user.role == "admin"
    print_first_admin(settings)
    assert capsys.readouterr().out == ""
