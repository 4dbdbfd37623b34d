"""The library objects the console's views use, built once per app."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from sqlalchemy.orm import sessionmaker

from bot.db import make_engine
from bot.hotline.audit import AuditLog
from bot.hotline.casefile import CaseViews
from bot.hotline.casework import Casework
from bot.hotline.follow_ups import FollowUps
from bot.hotline.handoff import Outbox
from bot.hotline.login_guard import LoginGuard
from bot.hotline.overview import OverviewReport
from bot.hotline.referrals import Referrals
from bot.hotline.reports import MonthlyReports
from bot.hotline.staff import Staff
from bot.settings import Settings
from bot.vault import Vault

EXTENSION_KEY = "hotline_console"


@dataclass(frozen=True)
class ConsoleParts:
    """Settings, accounts, audit log, case reading and casework (referrals, follow-ups included), and the overview."""

    settings: Settings
    staff: Staff
    login_guard: LoginGuard
    audit: AuditLog
    views: CaseViews
    casework: Casework
    referrals: Referrals
    follow_ups: FollowUps
    overview: OverviewReport
    reports: MonthlyReports


def build_parts(settings: Settings, sessions: sessionmaker, vault: Vault, delivery: Outbox) -> ConsoleParts:
    """Create the console's parts on the application database; the overview also reads Rasa's tracker store."""
    tracker_url = settings.tracker_database_url
    return ConsoleParts(
        settings=settings,
        staff=Staff(sessions),
        login_guard=LoginGuard(sessions, settings.secret_key),
        audit=AuditLog(sessions),
        views=CaseViews(sessions, vault),
        casework=Casework(sessions, vault, delivery),
        referrals=Referrals(sessions, vault),
        follow_ups=FollowUps(sessions),
        overview=OverviewReport(sessions, make_engine(tracker_url)),
        reports=MonthlyReports(sessions, vault),
    )


def parts() -> ConsoleParts:
    """The console parts of the app handling the current request."""
    return current_app.extensions[EXTENSION_KEY]
