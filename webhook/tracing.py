"""Give every request an id (a proxy's X-Request-ID when acceptable), for the logs, Rasa's metadata and the reply."""

from __future__ import annotations

import logging
import time

from flask import Flask, Response, g, request

from bot.ops import request_ids

HEADER = "X-Request-ID"
log = logging.getLogger(__name__)


def init_app(app: Flask) -> None:
    """Register the hooks that set, log and clear the request id."""
    app.before_request(_start)
    app.after_request(_finish)
    app.teardown_request(_clear)


def _start() -> None:
    request_ids.use(request.headers.get(HEADER))
    g.request_started = time.perf_counter()


def _finish(response: Response) -> Response:
    # The endpoint name, never the path or the form: those may carry a number or a message.
    elapsed_ms = (time.perf_counter() - g.request_started) * 1000
    log.info("%s %s -> %s in %.0f ms", request.method, request.endpoint, response.status_code, elapsed_ms)
    response.headers[HEADER] = request_ids.current()
    return response


def _clear(_error: BaseException | None) -> None:
    request_ids.clear()
