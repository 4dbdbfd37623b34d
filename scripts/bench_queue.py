"""Time to render the console's queue with 200 open cases and 20,000 messages, through Flask's test client, logged in.

Runs on a temporary SQLite database, then, when DATABASE_URL names PostgreSQL, on that database (`make bench`
creates and drops one; it must be empty). Prints p50 and p95 of 20 renders of the whole queue, of a filtered and
searched queue, and of the change poll; the target is under 300 ms for the queue. Prints figures only.
"""

from __future__ import annotations

import json
import logging
import os
import random
import re
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from sqlalchemy import insert

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bot.db import make_engine, make_session_factory, upgrade_schema  # noqa: E402
from bot.hotline.staff import Staff  # noqa: E402
from bot.models import AuditEntry, Case, Contact, Message, StaffUser, utcnow  # noqa: E402
from bot.settings import load_settings  # noqa: E402
from bot.vault import Vault  # noqa: E402
from webhook import create_app  # noqa: E402
from webhook.services import EXTENSION_KEY  # noqa: E402

CASES = 200
MESSAGES = 20_000
VIEWS = 20_000
RENDERS = 20
TARGET_MS = 300
PASSWORD = "a long benchmark password"  # noqa: S105 - a throwaway account of a temporary database
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')
COUNTRIES = ("saudi_arabia", "qatar", "malaysia", "uae", "oman", None)
LANGUAGES = ("en", "bn", "bn_latn")
CHANNELS = ("sms", "whatsapp", "telegram", "messenger")
PRIORITIES = (Case.URGENT, Case.HIGH, Case.NORMAL, Case.NORMAL)


def fill(database_url: str, vault: Vault) -> None:
    """200 people with an open case each (a quarter assigned), 100 messages each, and 20,000 views in the audit log."""
    rng = random.Random(7)  # noqa: S311 - made-up test data
    sessions = make_session_factory(make_engine(database_url))
    staff = Staff(sessions)
    for name, role in (("bench", StaffUser.COUNSELLOR), ("other", StaffUser.COUNSELLOR)):
        staff.create(name, role, PASSWORD)
    now = utcnow()
    words = vault.encrypt("my employer keeps my passport and pays nothing for three months, please help")
    with sessions.begin() as session:
        staff_ids = [user.id for user in session.query(StaffUser)]
        contacts = [
            {
                "channel": CHANNELS[number % len(CHANNELS)],
                "pseudonym": vault.pseudonym("sms", f"+88017{number:08d}"),
                "address_encrypted": vault.encrypt(f"+88017{number:08d}"),
                "language": LANGUAGES[number % len(LANGUAGES)],
            }
            for number in range(CASES)
        ]
        session.execute(insert(Contact), contacts)
        contact_ids = [contact.id for contact in session.query(Contact).order_by(Contact.id)]
        per_person = MESSAGES // CASES
        messages = []
        for contact_id in contact_ids:
            start = now - timedelta(hours=rng.uniform(1, 96))
            for index in range(per_person):
                inbound = index % 2 == 0
                messages.append(
                    {
                        "contact_id": contact_id,
                        "direction": Message.INBOUND if inbound else Message.OUTBOUND,
                        "channel": "sms",
                        "text_encrypted": words,
                        "status": Message.ANSWERED if inbound else Message.SENT,
                        "sender": Message.PERSON if inbound else rng.choice((Message.BOT, Message.STAFF)),
                        "delivery_status": None if inbound else rng.choice(("delivered", "undelivered", "sent")),
                        "created_at": start + timedelta(minutes=index * 5),
                    }
                )
        session.execute(insert(Message), messages)
        cases = [
            {
                "contact_id": contact_id,
                "open_contact_id": contact_id,
                "priority": PRIORITIES[number % len(PRIORITIES)],
                "status": Case.ASSIGNED if number % 4 == 0 else Case.OPEN,
                "assigned_to_id": staff_ids[number % 2] if number % 4 == 0 else None,
                "channel": contacts[number]["channel"],
                "language": contacts[number]["language"],
                "intent": "action_report_abuse",
                "facts_encrypted": vault.encrypt(json.dumps({"country": COUNTRIES[number % len(COUNTRIES)]})),
                "opened_at": now - timedelta(hours=rng.uniform(0, 96)),
            }
            for number, contact_id in enumerate(contact_ids)
        ]
        session.execute(insert(Case), cases)
        case_ids = [case.id for case in session.query(Case)]
        views = [
            {
                "staff_id": rng.choice(staff_ids),
                "action": "view",
                "case_id": rng.choice(case_ids),
                "created_at": now - timedelta(hours=rng.uniform(0, 96)),
            }
            for _ in range(VIEWS)
        ]
        session.execute(insert(AuditEntry), views)


def login(client) -> None:
    """Log the test client in as the benchmark's counsellor."""
    match = CSRF.search(client.get("/console/login").get_data(as_text=True))
    token = match.group(1) or match.group(2)
    response = client.post("/console/login", data={"username": "bench", "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302, "login failed"


def timed(client, path: str) -> tuple[float, float]:
    """p50 and p95 in milliseconds of RENDERS requests of a path (after one warm-up request)."""
    assert client.get(path).status_code == 200
    durations = []
    for _ in range(RENDERS):
        started = time.perf_counter()
        response = client.get(path)
        durations.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    return statistics.median(durations), statistics.quantiles(durations, n=20)[-1]


def bench(label: str, database_url: str, instance: Path) -> None:
    """Fill the database, render the queue, print the figures."""
    settings = load_settings({"INSTANCE_PATH": str(instance), "DATABASE_URL": database_url})
    logging.getLogger("alembic").setLevel(logging.WARNING)
    upgrade_schema(settings.database_url)
    started = time.perf_counter()
    fill(settings.database_url, Vault(settings.encryption_keys, settings.pseudonym_key))
    print(f"{label}: filled {CASES} open cases, {MESSAGES:,} messages in {time.perf_counter() - started:.1f} s")
    app = create_app(settings)
    logging.getLogger("webhook.tracing").setLevel(logging.WARNING)  # one log line per request: not figures
    try:
        client = app.test_client()
        login(client)
        for name, path in (
            ("queue", "/console/"),
            ("queue page 2", "/console/?page=2"),
            ("filtered", "/console/?country=qatar&unread=1&waiting=2&language=bn"),
            ("searched", "/console/?q=a1"),
            ("change poll", "/console/queue/changes?since=100"),
        ):
            p50, p95 = timed(client, path)
            verdict = "" if name != "queue" else (" (target met)" if p95 < TARGET_MS else f" (over {TARGET_MS} ms)")
            print(f"{label}: {name:<13} p50 {p50:6.1f} ms  p95 {p95:6.1f} ms{verdict}")
    finally:
        app.extensions[EXTENSION_KEY].dispatcher.shutdown()
        app.extensions[EXTENSION_KEY].engine.dispose()


def main() -> None:
    """Run on SQLite, then on PostgreSQL when DATABASE_URL names it."""
    with tempfile.TemporaryDirectory() as folder:
        bench("sqlite", f"sqlite:///{folder}/bench.db", Path(folder))
        postgres = os.environ.get("DATABASE_URL", "")
        if postgres.startswith("postgresql"):
            bench("postgresql", postgres, Path(folder))


if __name__ == "__main__":
    main()
