"""The monthly report of cases as CSV, for admins (each download audited)."""

from __future__ import annotations

from flask import Response, abort, g

from bot.hotline.reports import AUDIT_ACTION, month_start
from webhook.console.blueprint import admin_required, bp
from webhook.console.parts import parts


@bp.get("/reports/<month>.csv")
@admin_required
def monthly_report(month: str):
    """The counts of the cases opened in a month (YYYY-MM), small ones suppressed."""
    try:
        month_start(month)
    except ValueError:
        abort(404)
    parts().audit.record(g.staff.id, AUDIT_ACTION, detail=month)
    disposition = f'attachment; filename="cases-{month}.csv"'
    return Response(parts().reports.csv(month), mimetype="text/csv", headers={"Content-Disposition": disposition})
