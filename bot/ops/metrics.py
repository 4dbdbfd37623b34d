"""Prometheus metric objects of the service, and gauges computed from the database when /metrics is scraped.

Under gunicorn with several workers, counters and histograms are shared through prometheus_client's
multiprocess mode (PROMETHEUS_MULTIPROC_DIR, set up by bot/ops/gunicorn_config.py); the database gauges are
computed by the scraped worker, so they need no sharing.
"""

from __future__ import annotations

import glob
import logging
import os
from collections.abc import Iterable, Iterator

from prometheus_client import REGISTRY, CollectorRegistry, Counter, Histogram, multiprocess
from prometheus_client.core import GaugeMetricFamily
from sqlalchemy import and_, func, or_, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.sql import Select

from bot.models import Case, Message

log = logging.getLogger(__name__)

LATENCY_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 3.0, 5.0, 8.0, 12.0, 20.0, 30.0)

INBOUND_MESSAGES = Counter("safemig_inbound_messages_total", "Inbound messages stored, by channel", ["channel"])
OUTBOUND_MESSAGES = Counter("safemig_outbound_messages_total", "Outbound messages sent, by channel", ["channel"])
WEBHOOK_REQUESTS = Counter(
    "safemig_webhook_requests_total",
    "Requests to the channel webhooks, by channel and HTTP status",
    ["channel", "status"],
)
WEBHOOK_LATENCY = Histogram(
    "safemig_webhook_request_seconds", "Time to answer a channel webhook request", ["channel"], buckets=LATENCY_BUCKETS
)
RASA_LATENCY = Histogram(
    "safemig_rasa_request_seconds", "Time Rasa took to answer one message", buckets=LATENCY_BUCKETS
)
RASA_ERRORS = Counter("safemig_rasa_errors_total", "Messages Rasa could not answer, by error class", ["error"])


class QueryGauge:
    """A gauge with one label, computed at scrape time by a grouped count: rows of (label value, count)."""

    def __init__(
        self, name: str, documentation: str, label: str, engine: Engine, statement: Select, expected: Iterable[str]
    ) -> None:
        self._name, self._documentation, self._label = name, documentation, label
        self._engine, self._statement, self._expected = engine, statement, tuple(expected)

    def describe(self) -> list:
        """Nothing: describing must not query the database when the collector is registered."""
        return []

    def collect(self) -> Iterator[GaugeMetricFamily]:
        """The current counts, zero for an expected label value with no rows; nothing when the database is down."""
        try:
            with self._engine.connect() as connection:
                counts = {str(value): count for value, count in connection.execute(self._statement)}
        except SQLAlchemyError as error:
            log.warning("metric %s not collected: %s", self._name, type(error).__name__)
            return
        family = GaugeMetricFamily(self._name, self._documentation, labels=[self._label])
        for value in sorted({*self._expected, *counts}):
            family.add_metric([value], counts.get(value, 0))
        yield family


def pending_retries(engine: Engine) -> QueryGauge:
    """Messages waiting for a retry: inbound ones not yet answered by the bot, outbound ones not yet sent."""
    statement = (
        select(Message.direction, func.count())
        .where(
            or_(
                and_(Message.direction == Message.INBOUND, Message.status == Message.PENDING),
                and_(Message.direction == Message.OUTBOUND, Message.status == Message.QUEUED),
            )
        )
        .group_by(Message.direction)
    )
    return QueryGauge(
        "safemig_pending_retries",
        "Messages waiting for a retry, by direction (in: for the bot, out: to send)",
        "direction",
        engine,
        statement,
        expected=(Message.INBOUND, Message.OUTBOUND),
    )


def open_cases(engine: Engine) -> QueryGauge:
    """Hotline cases not resolved yet, by priority."""
    statement = select(Case.priority, func.count()).where(Case.status != Case.RESOLVED).group_by(Case.priority)
    return QueryGauge(
        "safemig_open_cases",
        "Hotline cases not resolved yet, by priority",
        "priority",
        engine,
        statement,
        Case.PRIORITIES,
    )


def database_gauges(engine: Engine) -> list[QueryGauge]:
    """Every gauge computed from the database at scrape time."""
    return [pending_retries(engine), open_cases(engine)]


class TolerantMultiProcessCollector(multiprocess.MultiProcessCollector):
    """Every worker's metrics, skipping a file that does not merge (empty or half written: a worker starting or killed).

    prometheus_client reads all files in one go, so one such file made every scrape fail for good
    (prometheus/client_python#1199).
    """

    def collect(self):
        """Merge the readable files only."""
        return self.merge(readable_files(self._path), accumulate=True)


def readable_files(path: str) -> list[str]:
    """The metric files of the directory that merge on their own; a skipped one is logged by name only."""
    readable = []
    for name in sorted(glob.glob(os.path.join(path, "*.db"))):
        try:
            multiprocess.MultiProcessCollector.merge([name])
        except Exception:  # noqa: BLE001 - whatever is wrong with one worker's file must not fail the scrape
            log.warning("metrics file %s cannot be read whole: skipped", os.path.basename(name))
            continue
        readable.append(name)
    return readable


def scrape_registry(gauges: Iterable[QueryGauge]) -> CollectorRegistry:
    """A registry for one scrape: every worker's counters (multiprocess mode) or this process's, plus the gauges."""
    registry = CollectorRegistry(auto_describe=False)
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        TolerantMultiProcessCollector(registry)
    else:
        registry.register(REGISTRY)
    for gauge in gauges:
        registry.register(gauge)
    return registry
