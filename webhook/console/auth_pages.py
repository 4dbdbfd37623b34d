"""Console login and logout, audited; repeated failures from one address make that address wait."""

from __future__ import annotations

import time
from urllib.parse import urlsplit

from flask import flash, g, redirect, render_template, request, session, url_for

from bot.hotline import audit
from bot.hotline.login_guard import WINDOW
from webhook.console.blueprint import bp
from webhook.console.forms import LoginForm
from webhook.console.parts import parts

FAILED = "Wrong username or password, or too many attempts: wait 15 minutes and try again."


def safe_next(target: str | None) -> str:
    """Where to go after login: a path on this site only, never another host."""
    if target and target.startswith("/console") and not urlsplit(target).netloc:
        return target
    return url_for("console.queue")


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Show the login form, or check it and start a session."""
    form = LoginForm()
    if form.validate_on_submit():
        address, username, guard = request.remote_addr or "unknown", form.username.data, parts().login_guard
        # Blocked, unknown user, disabled or wrong password: one answer, so none of them can be told apart.
        result = None if guard.blocked(address, username) else parts().staff.login(username, form.password.data)
        if result is None or result.user is None:
            if guard.failed(address, username):
                minutes = int(WINDOW.total_seconds() // 60)
                parts().audit.record(
                    None, audit.LOGIN_FAILED, detail=f"repeated failures: an address waits {minutes} min"
                )
            flash(FAILED, "error")
            return render_template("console/login.html", form=form), 401
        guard.succeeded(address, username)
        session.clear()
        session.permanent = True
        session["staff_id"] = result.user.id
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
