"""Action server: take the request id from the message metadata, so every log line of an action carries it."""

from __future__ import annotations

import logging

import pluggy
from sanic import Sanic
from sanic.request import Request

from bot.ops import request_ids

hookimpl = pluggy.HookimplMarker("rasa_sdk")
log = logging.getLogger(__name__)


def request_id_of(action_call: dict | None) -> str:
    """The request id the gateway put in the latest message's metadata, or "" when there is none."""
    tracker = (action_call or {}).get("tracker") or {}
    metadata = (tracker.get("latest_message") or {}).get("metadata") or {}
    return str(metadata.get("request_id") or "")


async def _use_request_id(request: Request) -> None:
    if request.method != "POST" or request.path != "/webhook":
        return
    try:
        action_call = request.json
    except Exception:  # noqa: BLE001 - a broken body is rasa_sdk's to refuse; it only means "no id" here
        action_call = None
    request_ids.use(request_id_of(action_call))
    log.info("running %s", (action_call or {}).get("next_action"))


@hookimpl
def attach_sanic_app_extensions(app: Sanic) -> None:
    """rasa_sdk plugin hook: set the request id before every action call."""
    app.register_middleware(_use_request_id, "request")
