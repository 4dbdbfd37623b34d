"""Console login and logout, audited; repeated failures lock the account for a while."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import flash, g, redirect, render_template, request, session, url_for

from bot.hotline import audit
from bot.hotline.staff import LOCKOUT
from webhook.console.blueprint import bp
from webhook.console.forms import LoginForm
from webhook.console.parts import parts


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
        result = parts().staff.login(form.username.data, form.password.data)
        if result.user is None:
            parts().audit.record(None, audit.LOGIN_FAILED, detail=form.username.data)
            minutes = int(LOCKOUT.total_seconds() // 60)
            locked = f"Too many failed attempts: this account is locked for {minutes} minutes."
            flash(locked if result.locked else "Wrong username or password.", "error")
            return render_template("console/login.html", form=form), 401
        session.clear()
        session.permanent = True
        session["staff_id"] = result.user.id
        parts().audit.record(result.user.id, audit.LOGIN)
        return redirect(safe_next(request.args.get("next")))
    return render_template("console/login.html", form=form)


@bp.post("/logout")
def logout():
    """End the session."""
    parts().audit.record(g.staff.id, audit.LOGOUT)
    session.clear()
    return redirect(url_for("console.login"))
