"""The gateway parts every request handler shares, built once per app from the settings."""

from __future__ import annotations

from flask import current_app

from bot.assembly import Services

EXTENSION_KEY = "safe_migration"


def services() -> Services:
    """The shared parts of the app handling the current request."""
    return current_app.extensions[EXTENSION_KEY]
