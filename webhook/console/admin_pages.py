"""Admin pages: staff accounts, referral partners and the audit log."""

from __future__ import annotations

from flask import flash, g, redirect, render_template, request, url_for

from bot.hotline import audit
from bot.hotline.casework import CaseworkError
from bot.hotline.staff import StaffError
from webhook.console.blueprint import admin_required, bp
from webhook.console.forms import PartnerForm, UserForm
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


@bp.route("/partners", methods=["GET", "POST"])
@admin_required
def partners():
    """List the referral partners and add one."""
    form = PartnerForm()
    if form.validate_on_submit():
        change_partner(lambda: parts().referrals.add_partner(g.staff.id, form.name.data), "Partner added.")
        return redirect(url_for("console.partners"))
    status = 400 if form.errors else 200
    return render_template("console/partners.html", partners=parts().referrals.partners(), form=form), status


@bp.post("/partners/<int:partner_id>/rename")
@admin_required
def rename_partner(partner_id: int):
    """Give a partner a new name (checked by bot.hotline.referrals)."""
    name = request.form.get("name", "")
    change_partner(lambda: parts().referrals.rename_partner(g.staff.id, partner_id, name), "Partner renamed.")
    return redirect(url_for("console.partners"))


@bp.post("/partners/<int:partner_id>/active")
@admin_required
def partner_active(partner_id: int):
    """Deactivate a partner (no new referrals to it) or activate it again."""
    active = request.form.get("active") == "1"
    done = "Partner active again." if active else "Partner deactivated: no new referrals to it."
    change_partner(lambda: parts().referrals.set_partner_active(g.staff.id, partner_id, active), done)
    return redirect(url_for("console.partners"))


def change_partner(change, done: str) -> None:
    """Run a change of the partner list and tell the admin how it went."""
    try:
        change()
        flash(done, "info")
    except CaseworkError as error:
        flash(str(error), "error")
