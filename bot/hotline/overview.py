"""Figures for the operator's overview: traffic by day, channel and language, intents, fallbacks, cases, reply times.

Cases by type and by outcome count those opened in the period; a case of several types counts under each.
"""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import column, exists, func, inspect, select, table
from sqlalchemy.engine import Engine
from sqlalchemy.orm import sessionmaker

from bot.hotline.reports import UNCLASSIFIED, outcome_name
from bot.models import Case, CaseLabel, Contact, Message, as_utc, utcnow

FALLBACK_INTENT = "nlu_fallback"
TOP_INTENTS = 10
# Rasa's SQL tracker store: one row per event; user events carry the predicted intent (no phone number).
RASA_EVENTS = table("events", column("type_name"), column("intent_name"), column("timestamp"))


@dataclass(frozen=True)
class Overview:
    """The figures of one period."""

    days: list[str]
    # (channel, language form) -> inbound messages per day, aligned with `days`.
    traffic: dict[tuple[str, str], list[int]]
    top_intents: list[tuple[str, int]] | None
    fallback_rate: float | None
    open_cases: dict[str, int]
    median_first_reply: timedelta | None
    # (type or outcome code, cases opened in the period), most first.
    cases_by_type: list[tuple[str, int]]
    cases_by_outcome: list[tuple[str, int]]


class OverviewReport:
    """Computes the overview from the application database and Rasa's tracker store."""

    def __init__(self, sessions: sessionmaker, tracker_engine: Engine) -> None:
        self._sessions = sessions
        self._tracker = tracker_engine

    def compute(self, days: int = 14) -> Overview:
        """The figures of the last `days` days (today included)."""
        since = utcnow().replace(hour=0, minute=0, second=0, microsecond=0) - timedelta(days=days - 1)
        day_names = [(since + timedelta(days=offset)).date().isoformat() for offset in range(days)]
        intents = self._intents(since)
        fallbacks = intents.get(FALLBACK_INTENT, 0) if intents is not None else 0
        total = sum(intents.values()) if intents else 0
        return Overview(
            days=day_names,
            traffic=self._traffic(since, day_names),
            top_intents=intents.most_common(TOP_INTENTS) if intents is not None else None,
            fallback_rate=fallbacks / total if total else None,
            open_cases=self._open_cases(),
            median_first_reply=self._median_first_reply(since),
            cases_by_type=self._cases_by_type(since),
            cases_by_outcome=self._cases_by_outcome(since),
        )

    def _traffic(self, since, day_names: list[str]) -> dict[tuple[str, str], list[int]]:
        day = func.date(Message.created_at)
        query = (
            select(day, Message.channel, Contact.language, func.count(Message.id))
            .join(Contact, Message.contact_id == Contact.id)
            .where(Message.direction == Message.INBOUND, Message.created_at >= since)
            .group_by(day, Message.channel, Contact.language)
        )
        traffic: dict[tuple[str, str], list[int]] = {}
        with self._sessions() as session:
            for when, channel, language, count in session.execute(query):
                series = traffic.setdefault((channel, language or "unknown"), [0] * len(day_names))
                if str(when) in day_names:
                    series[day_names.index(str(when))] += count
        return dict(sorted(traffic.items()))

    def _intents(self, since) -> Counter | None:
        """Predicted intents of user messages in Rasa's tracker store; None when it has no events table yet."""
        if not inspect(self._tracker).has_table("events"):
            return None
        query = (
            select(RASA_EVENTS.c.intent_name, func.count())
            .where(RASA_EVENTS.c.type_name == "user", RASA_EVENTS.c.timestamp >= since.timestamp())
            .group_by(RASA_EVENTS.c.intent_name)
        )
        with self._tracker.connect() as connection:
            return Counter({intent or "none": count for intent, count in connection.execute(query)})

    def _open_cases(self) -> dict[str, int]:
        query = select(Case.priority, func.count(Case.id)).where(Case.status != Case.RESOLVED).group_by(Case.priority)
        with self._sessions() as session:
            counts = dict(session.execute(query).all())
        return {priority: counts.get(priority, 0) for priority in Case.PRIORITIES}

    def _median_first_reply(self, since) -> timedelta | None:
        query = select(Case.opened_at, Case.first_reply_at).where(
            Case.opened_at >= since, Case.first_reply_at.is_not(None)
        )
        with self._sessions() as session:
            waits = [(as_utc(reply) - as_utc(opened)).total_seconds() for opened, reply in session.execute(query)]
        return timedelta(seconds=statistics.median(waits)) if waits else None

    def _cases_by_type(self, since) -> list[tuple[str, int]]:
        opened = select(Case.id).where(Case.opened_at >= since)
        typed = (
            select(CaseLabel.code, func.count())
            .where(CaseLabel.kind == CaseLabel.TYPE, CaseLabel.case_id.in_(opened))
            .group_by(CaseLabel.code)
        )
        has_type = exists().where(CaseLabel.case_id == Case.id, CaseLabel.kind == CaseLabel.TYPE)
        untyped = select(func.count(Case.id)).where(Case.opened_at >= since, ~has_type)
        with self._sessions() as session:
            counts = Counter(dict(session.execute(typed).all()))
            counts[UNCLASSIFIED] = session.scalar(untyped)
        return most_first(counts)

    def _cases_by_outcome(self, since) -> list[tuple[str, int]]:
        query = (
            select(Case.status, Case.outcome, func.count(Case.id))
            .where(Case.opened_at >= since)
            .group_by(Case.status, Case.outcome)
        )
        counts: Counter = Counter()
        with self._sessions() as session:
            for status, outcome, count in session.execute(query):
                counts[outcome_name(status, outcome)] += count
        return most_first(counts)


def most_first(counts: Counter) -> list[tuple[str, int]]:
    """The non-zero counts, largest first, ties by name."""
    return sorted(((name, count) for name, count in counts.items() if count), key=lambda item: (-item[1], item[0]))
