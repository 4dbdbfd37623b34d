"""Readiness checks of the parts the gateway depends on: the database, Rasa and the action server."""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlsplit, urlunsplit

import requests
from sqlalchemy import text
from sqlalchemy.engine import Engine


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
