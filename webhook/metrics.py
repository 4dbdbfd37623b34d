"""GET /metrics for Prometheus, and the requests, accepted messages and latency of every channel webhook."""

from __future__ import annotations

import time

from flask import Blueprint, Flask, Response, current_app, g, request
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from bot import metrics
from webhook.services import services

CHANNELS_PACKAGE = "webhook.channels."

bp = Blueprint("metrics", __name__)


def init_app(app: Flask) -> None:
    """Serve /metrics and time every request to a channel blueprint."""
    app.register_blueprint(bp)
    app.before_request(_start)
    app.after_request(_count)


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


@bp.get("/metrics")
def scrape():
    """Every metric in Prometheus's text format, with the database gauges computed now."""
    registry = metrics.scrape_registry(metrics.database_gauges(services().engine))
    return Response(generate_latest(registry), mimetype=CONTENT_TYPE_LATEST)
