"""The gateway parts every request handler shares, built once per app from the settings."""

from __future__ import annotations

from flask import current_app

from bot.gateway import Gateway

EXTENSION_KEY = "safe_migration"


def services() -> Gateway:
    """The gateway of the app handling the current request."""
    return current_app.extensions[EXTENSION_KEY]
