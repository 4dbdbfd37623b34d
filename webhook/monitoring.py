"""Monitoring: GET /health (liveness), GET /ready (dependencies), GET /metrics (Prometheus), channel request timing."""

from __future__ import annotations

import hmac
import time

from flask import Blueprint, Flask, Response, current_app, g, jsonify, request
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from bot.ops import metrics
from bot.ops.readiness import (
    action_server_health_url,
    check_database,
    check_http,
    check_rasa_servers,
    registry_report,
)
from webhook.services import services

CHANNELS_PACKAGE = "webhook.channels."

bp = Blueprint("monitoring", __name__)


def init_app(app: Flask) -> None:
    """Serve /health, /ready and /metrics, and time every request to a channel blueprint."""
    app.register_blueprint(bp)
    app.before_request(_start)
    app.after_request(_count)


@bp.get("/health")
def health():
    """Answer 200 while the process can serve requests; checks nothing else, so a restart never waits on Rasa."""
    return jsonify({"status": "ok"})


@bp.get("/ready")
def ready():
    """Report each dependency; 503 when any is down, so a load balancer sends no traffic yet.

    The agency registry is reported beside them (size, last import, "empty" or "stale" as a warning) but never
    makes the service unready: without it the bot still answers, and says it cannot check agencies now.
    """
    current = services()
    report = {
        "database": check_database(current.engine),
        "rasa": check_rasa_servers(current.settings.rasa_urls),
        "action_server": check_http(action_server_health_url(current.settings.action_server_url)),
    }
    status = 200 if all(value == "ok" for value in report.values()) else 503
    report["registry"] = registry_report(current.engine, current.settings.registry_max_age_days)
    return jsonify(report), status


def channel_of_request() -> str | None:
    """The name of the channel blueprint handling this request, or None for any other endpoint."""
    blueprint = current_app.blueprints.get(request.blueprint or "")
    return request.blueprint if blueprint and blueprint.import_name.startswith(CHANNELS_PACKAGE) else None


def _start() -> None:
    g.metrics_started = time.perf_counter()


def _count(response: Response) -> Response:
    channel = channel_of_request()
    if channel is None:
        return response
    metrics.WEBHOOK_LATENCY.labels(channel).observe(time.perf_counter() - g.metrics_started)
    metrics.WEBHOOK_REQUESTS.labels(channel, str(response.status_code)).inc()
    return response


def scraper_allowed(token: str) -> bool:
    """True when no METRICS_TOKEN is set, or the request carries it as `Authorization: Bearer` (constant time)."""
    if not token:
        return True
    given = request.headers.get("Authorization", "").encode()
    return hmac.compare_digest(given, f"Bearer {token}".encode())


@bp.get("/metrics")
def scrape():
    """Every metric in Prometheus's text format, with the database gauges computed now; 401 without the token."""
    if not scraper_allowed(services().settings.metrics_token):
        return Response("metrics token required\n", 401, {"WWW-Authenticate": 'Bearer realm="metrics"'})
    registry = metrics.scrape_registry(metrics.database_gauges(services().engine))
    return Response(generate_latest(registry), mimetype=CONTENT_TYPE_LATEST)
