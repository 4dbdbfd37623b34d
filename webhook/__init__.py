"""Flask application: channel webhooks, hotline console, health, readiness and metrics (create_app)."""

from __future__ import annotations

import logging

from flask import Flask
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.middleware.proxy_fix import ProxyFix

from bot.assembly import build_services
from bot.ops import json_logs
from bot.settings import Settings, load_settings
from webhook import console, monitoring, tracing
from webhook.channels import blueprints
from webhook.services import EXTENSION_KEY

MAX_REQUEST_BYTES = 64 * 1024


def create_app(settings: Settings | None = None) -> Flask:
    """Build the webhook app from settings (read from the environment when not given)."""
    settings = settings or load_settings()
    json_logs.install()
    app = Flask(__name__, instance_path=str(settings.instance_path))
    if settings.trusted_proxies:
        # Behind the proxy, the person's address (for the console's login limit) is the proxy's X-Forwarded-For.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=settings.trusted_proxies)
    app.config.update(SECRET_KEY=settings.secret_key, MAX_CONTENT_LENGTH=MAX_REQUEST_BYTES)
    shared = app.extensions[EXTENSION_KEY] = build_services(settings)
    tracing.init_app(app)
    monitoring.init_app(app)
    for blueprint in blueprints():
        app.register_blueprint(blueprint)
    console.init_app(app, console.build_parts(settings, shared.sessions, shared.vault, shared.delivery))
    app.register_error_handler(SQLAlchemyError, database_unavailable)
    return app


def database_unavailable(_error: SQLAlchemyError):
    """Answer 503 when the database cannot be reached: Telegram and Messenger send the update again later."""
    logging.getLogger(__name__).error("database unavailable")
    return {"error": "database unavailable, try again later"}, 503
