"""The operator's overview: traffic, intents, fallbacks, cases and reply times, as server-side SVG charts."""

from __future__ import annotations

from flask import render_template

from bot.hotline.case_types import LABELS
from bot.hotline.reports import recent_months
from bot.models import utcnow
from webhook.console import charts
from webhook.console.blueprint import bp
from webhook.console.parts import parts

# Monthly reports linked from the overview (admins only): this month and the ones before.
REPORT_MONTHS = 6


def named(counts: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """Counts by code as counts by the name counsellors see."""
    return [(LABELS.get(code, code.capitalize()), count) for code, count in counts]


@bp.get("/overview")
def overview():
    """Figures of the last 14 days."""
    figures = parts().overview.compute()
    series = {f"{channel} {language}": counts for (channel, language), counts in figures.traffic.items()}
    traffic_chart = charts.stacked_columns([day[5:] for day in figures.days], series)
    return render_template(
        "console/overview.html",
        figures=figures,
        traffic_chart=traffic_chart,
        intents_chart=charts.bars(figures.top_intents or []),
        cases_chart=charts.bars(list(figures.open_cases.items())),
        types_chart=charts.bars(named(figures.cases_by_type)),
        outcomes_chart=charts.bars(named(figures.cases_by_outcome)),
        report_months=recent_months(utcnow().date(), REPORT_MONTHS),
    )
