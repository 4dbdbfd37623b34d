"""Process specs, and Rasa's tracker store and lock store settings derived from the service settings."""

import re
from pathlib import Path

import pytest

from bot.ops.processes import (
    LOCK_STORE_VARIABLES,
    action_server_spec,
    lock_store_env,
    rasa_endpoint_env,
    rasa_server_spec,
    service_specs,
    webhook_spec,
)
from bot.settings import PROJECT_ROOT, SettingsError, tracker_database_url


def test_sqlite_tracker_gets_its_own_file(tmp_path):
    url = tracker_database_url(f"sqlite:///{tmp_path / 'app.db'}", tmp_path)
    assert url == f"sqlite:///{tmp_path / 'rasa_tracker.db'}"


def test_postgresql_tracker_shares_the_database():
    url = "postgresql://user:pw@db.internal:5432/safemig"
    assert tracker_database_url(url, Path("instance")) == url


def test_rasa_is_bound_to_loopback_with_telemetry_off():
    spec = rasa_server_spec(
        5999, Path("models/m.tar.gz"), "http://127.0.0.1:5055/webhook", {"TRACKER_DATABASE_URL": "x"}
    )
    assert spec.command[spec.command.index("--interface") + 1] == "127.0.0.1"
    assert spec.env["RASA_TELEMETRY_ENABLED"] == "false"
    assert spec.env["ACTION_SERVER_URL"] == "http://127.0.0.1:5055/webhook"
    assert spec.health_url == "http://127.0.0.1:5999/"


def test_without_redis_rasa_keeps_the_in_memory_lock_store():
    env = lock_store_env("")
    assert env["RASA_LOCK_STORE"] == "in_memory"
    # endpoints.yml names every variable, so each must be set, even empty.
    assert set(env) == set(LOCK_STORE_VARIABLES)


def test_redis_url_becomes_the_redis_lock_store():
    env = lock_store_env("redis://:s%40cret@cache.internal:6380/3")
    assert env == {
        "RASA_LOCK_STORE": "rasa_addons.lock_store.AtomicRedisLockStore",
        "RASA_LOCK_STORE_HOST": "cache.internal",
        "RASA_LOCK_STORE_PORT": "6380",
        "RASA_LOCK_STORE_DB": "3",
        "RASA_LOCK_STORE_PASSWORD": "s@cret",
    }


def test_endpoints_yml_reads_exactly_the_variables_the_specs_set(tmp_path):
    endpoint_env = rasa_endpoint_env(f"sqlite:///{tmp_path / 'app.db'}", "", tmp_path, ("key",))
    spec = rasa_server_spec(5999, Path("m.tar.gz"), "http://127.0.0.1:5055/webhook", endpoint_env)
    named = set(re.findall(r"\$\{(\w+)\}", (PROJECT_ROOT / "endpoints.yml").read_text()))
    assert named <= set(spec.env)


def test_the_webhook_is_ready_only_when_its_dependencies_answer():
    spec = webhook_spec(8123, workers=3)
    assert spec.health_url == "http://127.0.0.1:8123/ready"
    assert spec.command[spec.command.index("--workers") + 1] == "3"


def test_a_redis_url_rasa_cannot_use_stops_with_its_name():
    with pytest.raises(SettingsError, match="REDIS_URL"):
        lock_store_env("rediss://cache.internal:6380/0")


def test_the_action_server_listens_on_loopback_unless_serving_a_container(settings):
    assert action_server_spec(5055).env["SANIC_HOST"] == "127.0.0.1"
    local = service_specs(settings, Path("model.tar.gz"))["actions"]
    container = service_specs(settings, Path("model.tar.gz"), interface="0.0.0.0")["actions"]  # noqa: S104
    assert (local.env["SANIC_HOST"], container.env["SANIC_HOST"]) == ("127.0.0.1", "0.0.0.0")  # noqa: S104
