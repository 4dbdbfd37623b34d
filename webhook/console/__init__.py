"""The hotline console: a Flask blueprint for counsellors and admins under /console (server-rendered pages)."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask

from webhook.console import admin_pages, auth_pages, case_pages, overview_page, report_pages
from webhook.console.blueprint import bp, csrf
from webhook.console.parts import EXTENSION_KEY, ConsoleParts, build_parts

# The page modules register their routes on the blueprint when imported.
PAGES = (admin_pages, auth_pages, case_pages, overview_page, report_pages)
SESSION_LIFETIME = timedelta(hours=8)
__all__ = ["ConsoleParts", "build_parts", "init_app"]


def init_app(app: Flask, parts: ConsoleParts) -> None:
    """Register the console on the app; CSRF is checked on every console POST (not on the channel webhooks)."""
    app.config.update(
        SESSION_COOKIE_SECURE=parts.settings.env != "development",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        PERMANENT_SESSION_LIFETIME=SESSION_LIFETIME,
        WTF_CSRF_CHECK_DEFAULT=False,
        # A form's token expires an hour after the page was shown (a reply typed slowly is still accepted).
        WTF_CSRF_TIME_LIMIT=3600,
    )
    app.extensions[EXTENSION_KEY] = parts
    csrf.init_app(app)
    app.register_blueprint(bp)
