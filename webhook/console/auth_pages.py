"""Console login, logout and the account page (password, other sessions), audited; failures make an address wait."""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import partial
from urllib.parse import urlsplit

from flask import flash, g, redirect, render_template, request, session, url_for
from flask_wtf import FlaskForm

from bot.hotline import audit
from bot.hotline.login_guard import WINDOW
from bot.hotline.staff import MIN_PASSWORD_CHARS, StaffError, WrongPasswordError
from webhook.console.blueprint import bp, password_stamp
from webhook.console.forms import EndSessionsForm, LoginForm, PasswordChangeForm
from webhook.console.parts import parts

FAILED = "Wrong username or password, or too many attempts: wait 15 minutes and try again."
WRONG_CURRENT = "Wrong current password, or too many attempts: wait 15 minutes and try again."


def safe_next(target: str | None) -> str:
    """Where to go after login: a path on this site only, never another host."""
    if target and target.startswith("/console") and not urlsplit(target).netloc:
        return target
    return url_for("console.queue")


def client_address() -> str:
    """The address failures are counted against."""
    return request.remote_addr or "unknown"


def count_failure(username: str) -> None:
    """Count a wrong password from this address; audit the start of a wait once, without what was typed."""
    if parts().login_guard.failed(client_address(), username):
        minutes = int(WINDOW.total_seconds() // 60)
        parts().audit.record(None, audit.LOGIN_FAILED, detail=f"repeated failures: an address waits {minutes} min")


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Show the login form, or check it and start a session."""
    form = LoginForm()
    if form.validate_on_submit():
        address, username, guard = client_address(), form.username.data, parts().login_guard
        # Blocked, unknown user, disabled or wrong password: one answer, so none of them can be told apart.
        result = None if guard.blocked(address, username) else parts().staff.login(username, form.password.data)
        if result is None or result.user is None:
            count_failure(username)
            flash(FAILED, "error")
            return render_template("console/login.html", form=form), 401
        guard.succeeded(address, username)
        session.clear()
        session.permanent = True
        session["staff_id"] = result.user.id
        session["stamp"] = password_stamp(result.user.password_hash)
        session["seen"] = time.time()
        parts().audit.record(result.user.id, audit.LOGIN)
        return redirect(safe_next(request.args.get("next")))
    return render_template("console/login.html", form=form)


@bp.post("/logout")
def logout():
    """End the session."""
    parts().audit.record(g.staff.id, audit.LOGOUT)
    session.clear()
    return redirect(url_for("console.login"))


def render_account(status: int = 200, **shown: FlaskForm):
    """The account page: change the password, end the other sessions (a refused form is shown with its errors)."""
    forms = {"change": PasswordChangeForm(), "end_sessions": EndSessionsForm()} | shown
    return render_template("console/account.html", min_chars=MIN_PASSWORD_CHARS, **forms), status


@bp.get("/account")
def account():
    """Show the account page."""
    return render_account()


@bp.post("/account/password")
def change_password():
    """Change the password (current one, new one twice); every other session of the account ends."""
    form = PasswordChangeForm()
    change = partial(parts().staff.change_password, g.staff.id, form.current.data, form.new.data)
    return confirmed(form, "change", change, "Password changed: your other sessions have ended.")


@bp.post("/account/sessions")
def end_other_sessions():
    """End every other session of the account (confirmed by the current password); this one goes on."""
    form = EndSessionsForm()
    change = partial(parts().staff.renew_hash, g.staff.id, form.password.data)
    return confirmed(form, "end_sessions", change, "Your other sessions have ended.")


def confirmed(form: FlaskForm, name: str, change: Callable[[], str], done: str):
    """Run a change confirmed by the current password; on success this session takes the new hash's stamp."""
    new_hash = checked_change(change) if form.validate_on_submit() else None
    if new_hash is None:
        return render_account(400, **{name: form})
    session["stamp"] = password_stamp(new_hash)
    flash(done, "info")
    return redirect(url_for("console.account"))


def checked_change(change: Callable[[], str]) -> str | None:
    """The new hash, or None after saying why not; a wrong current password counts like a failed login."""
    if parts().login_guard.blocked(client_address(), g.staff.username):
        flash(WRONG_CURRENT, "error")
        return None
    try:
        return change()
    except WrongPasswordError:
        count_failure(g.staff.username)
        flash(WRONG_CURRENT, "error")
    except StaffError as error:
        flash(f"Not changed: {error}.", "error")
    return None
