"""Admin pages: staff accounts and the audit log."""

from __future__ import annotations

from flask import flash, g, redirect, render_template, url_for

from bot.hotline import audit
from bot.hotline.staff import StaffError
from webhook.console.blueprint import admin_required, bp
from webhook.console.forms import UserForm
from webhook.console.parts import parts


@bp.route("/users", methods=["GET", "POST"])
@admin_required
def users():
    """List accounts and create one; a generated password is shown on this page once."""
    form = UserForm()
    password = None
    if form.validate_on_submit():
        try:
            password = parts().staff.create(form.username.data, form.role.data, form.password.data or None)
            parts().audit.record(g.staff.id, audit.USER_CREATED, detail=form.username.data)
            flash(f"Account {form.username.data} created.", "info")
        except StaffError as error:
            flash(str(error), "error")
    # Only a generated password is shown; one the admin typed is not echoed back.
    shown = None if form.password.data else password
    return render_template("console/users.html", users=parts().staff.all(), form=form, password=shown)


@bp.post("/users/<username>/disable")
@admin_required
def disable_user(username: str):
    """Stop an account from logging in."""
    try:
        parts().staff.set_active(username, active=False)
        parts().audit.record(g.staff.id, audit.USER_DISABLED, detail=username)
        flash(f"Account {username} disabled.", "info")
    except StaffError as error:
        flash(str(error), "error")
    return redirect(url_for("console.users"))


@bp.get("/audit")
@admin_required
def audit_log():
    """The newest audit entries."""
    return render_template("console/audit.html", rows=parts().audit.newest())
