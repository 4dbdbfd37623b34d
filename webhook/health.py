"""GET /health: whether the database, Rasa and the action server answer."""

from flask import Blueprint, jsonify

from bot.health import action_server_health_url, check_database, check_http
from webhook.services import services

bp = Blueprint("health", __name__)


@bp.get("/health")
def health():
    """Report each dependency; 503 when any is down."""
    current = services()
    report = {
        "database": check_database(current.engine),
        "rasa": check_http(current.settings.rasa_url + "/"),
        "action_server": check_http(action_server_health_url(current.settings.action_server_url)),
    }
    status = 200 if all(value == "ok" for value in report.values()) else 503
    return jsonify(report), status
