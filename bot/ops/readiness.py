"""Readiness checks of the parts the gateway depends on (database, Rasa, action server) and the registry's age."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from urllib.parse import urlsplit, urlunsplit

import requests
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from bot.db import make_session_factory
from bot.models import utcnow
from bot.topics.registry import registry_state


def check_database(engine: Engine) -> str:
    """Return "ok" when a trivial query runs, else a short reason."""
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        return "ok"
    except Exception as error:  # noqa: BLE001 - any failure means "down", reported by class name only
        return f"down: {type(error).__name__}"


def check_http(url: str, timeout: float = 2.0) -> str:
    """Return "ok" when the URL answers 200, else a short reason."""
    try:
        response = requests.get(url, timeout=timeout)
    except requests.RequestException as error:
        return f"down: {type(error).__name__}"
    return "ok" if response.status_code == 200 else f"down: HTTP {response.status_code}"


def check_rasa_servers(base_urls: Iterable[str]) -> str:
    """Return "ok" when every Rasa server answers, else the reason of each one that does not."""
    failures = [f"{url} {status}" for url in base_urls if (status := check_http(url + "/")) != "ok"]
    return "; ".join(failures) if failures else "ok"


def action_server_health_url(action_server_url: str) -> str:
    """The action server's /health URL, derived from its webhook URL."""
    parts = urlsplit(action_server_url)
    return urlunsplit((parts.scheme, parts.netloc, "/health", "", ""))


def registry_report(engine: Engine, max_age_days: int) -> dict:
    """The registry's size and last import, with status "ok", "empty", "stale" (older than max_age_days) or "sample"."""
    try:
        with make_session_factory(engine)() as session:
            state = registry_state(session)
    except SQLAlchemyError as error:
        return {"status": f"down: {type(error).__name__}"}
    last = state.last_import_at
    if not state.agencies:
        status = "empty"
    elif last is None or utcnow() - last > timedelta(days=max_age_days):
        status = "stale"
    else:
        status = "sample" if state.sample else "ok"
    return {"status": status, "agencies": state.agencies, "last_import": last.isoformat() if last else None}
