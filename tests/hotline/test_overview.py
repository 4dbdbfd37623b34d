"""Overview figures (traffic, intents from Rasa's tracker store, fallbacks, cases, reply times) and SVG charts."""

from __future__ import annotations

import time
import xml.etree.ElementTree as ET
from datetime import timedelta

from sqlalchemy import Column, Float, Integer, MetaData, String, Table, create_engine, insert

from bot.db import make_session_factory, transaction
from bot.hotline.canned import canned_replies
from bot.hotline.overview import OverviewReport
from bot.models import Case, CaseLabel, utcnow
from tests.console_client import logged_in, open_case
from webhook.console.charts import bars, stacked_columns

NUMBERS = {"hotline_number": "+880 9610102030", "emergency_number": "999"}


def tracker_with_events(path, intents: list[str]):
    """A tracker store like Rasa's with one user event per intent, now."""
    engine = create_engine(f"sqlite:///{path}", future=True)
    metadata = MetaData()
    events = Table(
        "events",
        metadata,
        Column("id", Integer, primary_key=True),
        Column("sender_id", String(255)),
        Column("type_name", String(255)),
        Column("timestamp", Float),
        Column("intent_name", String(255)),
    )
    metadata.create_all(engine)
    with engine.begin() as connection:
        rows = [{"sender_id": "x", "type_name": "user", "timestamp": time.time(), "intent_name": i} for i in intents]
        connection.execute(
            insert(events),
            [*rows, {"sender_id": "x", "type_name": "bot", "timestamp": time.time(), "intent_name": None}],
        )
    return engine


def test_overview_counts_traffic_intents_fallbacks_cases_and_reply_time(engine, vault, settings, tmp_path):
    first = open_case(engine, vault, settings, {"priority": "urgent"}, "+8801700000001", "locked in")
    open_case(engine, vault, settings, {"priority": "normal"}, "+8801700000002", "talk to a person")
    sessions = make_session_factory(engine)
    with transaction(sessions) as session:
        case = session.get(Case, first)
        case.first_reply_at = case.opened_at + timedelta(minutes=4)
    tracker = tracker_with_events(tmp_path / "tracker.db", ["greet", "greet", "nlu_fallback", "report_abuse"])
    figures = OverviewReport(sessions, tracker).compute(days=7)
    today = utcnow().date().isoformat()
    assert figures.days[-1] == today and len(figures.days) == 7
    assert figures.traffic == {("sms", "en"): [0, 0, 0, 0, 0, 0, 2]}
    assert figures.top_intents[0] == ("greet", 2)
    assert figures.fallback_rate == 0.25
    assert figures.open_cases == {"urgent": 1, "high": 0, "normal": 1}
    assert abs(figures.median_first_reply - timedelta(minutes=4)) < timedelta(seconds=1)


def cases_of_the_period(engine, vault, settings) -> None:
    """Four cases of the last days (one with two types, one with none, two resolved) and an older one."""
    addresses = [f"+88017000001{index:02d}" for index in range(5)]
    ids = [open_case(engine, vault, settings, {"priority": "normal"}, address, "help") for address in addresses]
    labels = {ids[0]: ["wage_theft", "confinement"], ids[1]: ["wage_theft"], ids[3]: ["other"], ids[4]: ["wage_theft"]}
    with transaction(make_session_factory(engine)) as session:
        for case_id, codes in labels.items():
            session.add_all(CaseLabel(case_id=case_id, kind=CaseLabel.TYPE, code=code) for code in codes)
        session.get(Case, ids[1]).close("referred")
        session.get(Case, ids[2]).close()
        # Opened before the period: counted nowhere.
        session.get(Case, ids[4]).opened_at = utcnow() - timedelta(days=30)


def test_cases_of_the_period_are_counted_by_type_and_outcome(engine, vault, settings, tmp_path):
    cases_of_the_period(engine, vault, settings)
    empty = create_engine(f"sqlite:///{tmp_path / 'none.db'}", future=True)
    figures = OverviewReport(make_session_factory(engine), empty).compute(days=14)
    assert figures.cases_by_type == [("wage_theft", 2), ("confinement", 1), ("other", 1), ("unclassified", 1)]
    assert figures.cases_by_outcome == [("not resolved", 2), ("referred", 1), ("unspecified", 1)]


def chart_bars(page: str, chart_id: str) -> list[tuple[str, str]]:
    """(label, number) of each bar of a server-rendered bar chart of the page."""
    start = page.index(f'id="{chart_id}">') + len(f'id="{chart_id}">')
    svg = page[start : page.index("</svg>", start) + len("</svg>")]
    texts = [element.text for element in ET.fromstring(svg).iter("{http://www.w3.org/2000/svg}text")]
    return list(zip(texts[::2], texts[1::2], strict=True))


def test_the_overview_page_charts_cases_by_type_and_outcome(app, engine, vault, settings):
    cases_of_the_period(engine, vault, settings)
    page = logged_in(app, engine, "rina", "counsellor").client.get("/console/overview").get_data(as_text=True)
    by_type = [("Wage theft", "2"), ("Confinement", "1"), ("Other", "1"), ("Unclassified", "1")]
    assert chart_bars(page, "cases-by-type") == by_type
    assert chart_bars(page, "cases-by-outcome") == [("Not resolved", "2"), ("Referred", "1"), ("Unspecified", "1")]


def test_without_a_tracker_store_the_intents_are_unknown(engine, tmp_path):
    empty = create_engine(f"sqlite:///{tmp_path / 'none.db'}", future=True)
    figures = OverviewReport(make_session_factory(engine), empty).compute()
    assert figures.top_intents is None and figures.fallback_rate is None and figures.median_first_reply is None


def test_charts_escape_their_labels():
    assert "&lt;script&gt;" in bars([("<script>", 3)])
    chart = stacked_columns(["11-26", "11-27"], {"sms <b>": [1, 2], "telegram bn": [0, 4]})
    assert "&lt;b&gt;" in chart and chart.count("<rect") == 3 + 2
    assert "No data" in bars([]) and "No data" in stacked_columns([], {})


def test_canned_replies_come_in_the_persons_language_form_with_numbers_filled():
    english = {reply.name: reply.text for reply in canned_replies("en", NUMBERS)}
    bengali = {reply.name: reply.text for reply in canned_replies("bn", NUMBERS)}
    romanised = {reply.name: reply.text for reply in canned_replies("bn_latn", NUMBERS)}
    assert english["report_abuse"].startswith("You are not alone") and "999" in english["report_abuse"]
    assert bengali["report_abuse"].startswith("আপনি একা নন")
    assert romanised["report_abuse"].startswith("Apni eka non")
    # Answers that need a value only an action knows (a country's ceiling) are not offered.
    assert "fees_country" not in english
    assert not any("{" in text for text in english.values())
