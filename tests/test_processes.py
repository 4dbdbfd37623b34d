"""Process specs and the tracker store URL derived from the application database."""

from pathlib import Path

from bot.processes import rasa_server_spec, tracker_store_env


def test_sqlite_tracker_gets_its_own_file(tmp_path):
    env = tracker_store_env(f"sqlite:///{tmp_path / 'app.db'}", tmp_path)
    assert env == {"TRACKER_DATABASE_URL": f"sqlite:///{tmp_path / 'rasa_tracker.db'}"}


def test_postgresql_tracker_shares_the_database():
    url = "postgresql://user:pw@db.internal:5432/safemig"
    assert tracker_store_env(url, Path("instance")) == {"TRACKER_DATABASE_URL": url}


def test_rasa_is_bound_to_loopback_with_telemetry_off():
    spec = rasa_server_spec(
        5999, Path("models/m.tar.gz"), "http://127.0.0.1:5055/webhook", {"TRACKER_DATABASE_URL": "x"}
    )
    assert spec.command[spec.command.index("--interface") + 1] == "127.0.0.1"
    assert spec.env["RASA_TELEMETRY_ENABLED"] == "false"
    assert spec.env["ACTION_SERVER_URL"] == "http://127.0.0.1:5055/webhook"
    assert spec.health_url == "http://127.0.0.1:5999/"
