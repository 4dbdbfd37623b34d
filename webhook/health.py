"""GET /health: the webhook process answers (liveness). GET /ready: the database, Rasa and the action server answer."""

from flask import Blueprint, jsonify

from bot.health import action_server_health_url, check_database, check_http, check_rasa_servers
from webhook.services import services

bp = Blueprint("health", __name__)


@bp.get("/health")
def health():
    """Answer 200 while the process can serve requests; checks nothing else, so a restart never waits on Rasa."""
    return jsonify({"status": "ok"})


@bp.get("/ready")
def ready():
    """Report each dependency; 503 when any is down, so a load balancer sends no traffic yet."""
    current = services()
    report = {
        "database": check_database(current.engine),
        "rasa": check_rasa_servers(current.settings.rasa_urls),
        "action_server": check_http(action_server_health_url(current.settings.action_server_url)),
    }
    status = 200 if all(value == "ok" for value in report.values()) else 503
    return jsonify(report), status
