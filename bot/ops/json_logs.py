"""Structured logs: one JSON object per line, with the request id, and phone numbers masked (bot.ops.log_privacy)."""

from __future__ import annotations

import json
import logging
from datetime import datetime, timezone

from bot.ops import log_privacy, request_ids


class RequestIdFilter(logging.Filter):
    """Adds the current request id to every record as `request_id`."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Attach the id (keeping one already set on the record); never drop the record."""
        if not getattr(record, "request_id", ""):
            record.request_id = request_ids.current()
        return True


class JsonFormatter(logging.Formatter):
    """Formats a record as one JSON line: time, level, logger, message, request id and any exception."""

    def format(self, record: logging.LogRecord) -> str:
        """The record as a JSON object on one line."""
        entry = {
            "time": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "") or request_ids.current(),
        }
        if record.exc_info:
            entry["exception"] = log_privacy.mask_personal_data(self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=False)


def install(level: int = logging.INFO) -> None:
    """Mask numbers (log_privacy), add the request id and format as JSON on every root handler."""
    log_privacy.install(level)
    for handler in logging.getLogger().handlers:
        if not any(isinstance(existing, RequestIdFilter) for existing in handler.filters):
            handler.addFilter(RequestIdFilter())
        handler.setFormatter(JsonFormatter())
