"""The console blueprint and its guards: CSRF on every POST, login on every page, admin-only pages."""

from __future__ import annotations

import hashlib
import hmac
import time
from datetime import datetime, timedelta
from functools import wraps

from flask import Blueprint, abort, current_app, g, redirect, request, session, url_for
from flask_wtf.csrf import CSRFProtect

from bot.models import StaffUser, as_utc
from webhook.console.parts import parts

bp = Blueprint("console", __name__, url_prefix="/console", template_folder="templates", static_folder="static")
csrf = CSRFProtect()
PUBLIC_ENDPOINTS = {"console.login", "console.static"}
# Query parameter of the queue page's automatic reload (queue.html).
AUTO_REFRESH = "refresh"
# Endpoints a page polls by itself (queue.js): not activity, and 401 rather than the login page once logged out.
POLLED_ENDPOINTS = {"console.queue_changes"}


def password_stamp(password_hash: str) -> str:
    """What a session keeps of the password it was opened with: a new password (or salt) ends every such session."""
    return hmac.new(current_app.secret_key.encode(), password_hash.encode(), hashlib.sha256).hexdigest()


def stamped(password_hash: str) -> bool:
    """True when this session was opened with the account's current password hash."""
    return hmac.compare_digest(session.get("stamp", ""), password_stamp(password_hash))


@bp.before_request
def guard():
    """Refuse a POST without a CSRF token (400); send anyone logged out, idle or on an old password to the login."""
    if request.method == "POST":
        csrf.protect()
    g.staff = None
    staff_id = session.get("staff_id")
    idle = time.time() - session.get("seen", 0)
    if staff_id is not None and idle > parts().settings.console_idle_minutes * 60:
        session.clear()  # idle too long: log in again
        staff_id = None
    if staff_id is not None:
        g.staff = parts().staff.get(staff_id)
        if g.staff is None or not stamped(g.staff.password_hash):
            g.staff = None
            session.clear()  # disabled or deleted, or the password changed (or other sessions ended) since login
        elif not request.args.get(AUTO_REFRESH) and request.endpoint not in POLLED_ENDPOINTS:
            # The queue's own refresh is not activity: a console left open still times out.
            session["seen"] = time.time()
    if g.staff is None and request.endpoint in POLLED_ENDPOINTS:
        abort(401)
    if g.staff is None and request.endpoint not in PUBLIC_ENDPOINTS:
        return redirect(url_for("console.login", next=request.full_path if request.method == "GET" else None))
    return None


@bp.after_request
def no_caching(response):
    """Pages show people's words: browsers and proxies must not keep them."""
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Content-Security-Policy"] = "default-src 'self'; img-src 'self' data:; style-src 'self'"
    return response


def admin_required(view):
    """Allow the view to admins only (403 for counsellors)."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        if g.staff.role != StaffUser.ADMIN:
            abort(403)
        return view(*args, **kwargs)

    return wrapper


@bp.app_template_filter("waiting")
def waiting(duration: timedelta) -> str:
    """A duration as "3 d 4 h", "2 h 05 min" or "7 min"."""
    minutes = int(duration.total_seconds() // 60)
    days, hours, minutes = minutes // 1440, minutes // 60 % 24, minutes % 60
    if days:
        return f"{days} d {hours} h"
    return f"{hours} h {minutes:02d} min" if hours else f"{minutes} min"


@bp.app_template_filter("stamp")
def stamp(moment: datetime | None) -> str:
    """A timestamp in UTC to the minute, or "-"."""
    return as_utc(moment).strftime("%Y-%m-%d %H:%M") if moment else "-"
