"""Flask application: channel webhooks, health, readiness and metrics, built by the create_app factory."""

from __future__ import annotations

from flask import Flask

from bot import json_logs
from bot.settings import Settings, load_settings
from webhook import health, metrics, request_ids
from webhook.channels import twilio_sms
from webhook.services import EXTENSION_KEY, build_services

MAX_REQUEST_BYTES = 64 * 1024


def create_app(settings: Settings | None = None) -> Flask:
    """Build the webhook app from settings (read from the environment when not given)."""
    settings = settings or load_settings()
    json_logs.install()
    app = Flask(__name__, instance_path=str(settings.instance_path))
    app.config.update(SECRET_KEY=settings.secret_key, MAX_CONTENT_LENGTH=MAX_REQUEST_BYTES)
    app.extensions[EXTENSION_KEY] = build_services(settings)
    request_ids.init_app(app)
    metrics.init_app(app)
    app.register_blueprint(health.bp)
    app.register_blueprint(twilio_sms.bp)
    return app
