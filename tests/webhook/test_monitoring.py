"""GET /ready reports the agency registry beside the dependencies: its size, last import, and a warning when old."""

from datetime import timedelta

from bot.db import make_session_factory, transaction
from bot.models import Agency, RegistryImport, utcnow
from bot.topics.registry import import_csv
from tests.agency_questions import SAMPLE


def registry_of(client) -> dict:
    return client.get("/ready").get_json()["registry"]


def test_an_empty_registry_is_reported(client):
    assert registry_of(client) == {"status": "empty", "agencies": 0, "last_import": None}


def test_the_sample_list_is_reported_as_sample(client, engine):
    import_csv(make_session_factory(engine), SAMPLE)
    report = registry_of(client)
    assert (report["status"], report["agencies"]) == ("sample", 200) and report["last_import"]


def make_official(engine, age: timedelta) -> None:
    sessions = make_session_factory(engine)
    import_csv(sessions, SAMPLE)
    with transaction(sessions) as session:
        session.query(Agency).update({"source": "BMET list"})
        session.query(RegistryImport).delete()
        session.add(RegistryImport(imported_at=utcnow() - age, rows=200, sample=False))


def test_an_official_list_is_ok_until_it_is_older_than_the_setting(client, engine, settings):
    make_official(engine, timedelta(days=settings.registry_max_age_days - 1))
    assert registry_of(client)["status"] == "ok"


def test_an_old_list_is_stale(client, engine, settings):
    make_official(engine, timedelta(days=settings.registry_max_age_days + 1))
    assert registry_of(client)["status"] == "stale"
