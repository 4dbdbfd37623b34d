"""Settings: development secrets are generated once; production refuses to start without them."""

import stat

import pytest

from bot.settings import SettingsError, load_settings


def test_development_secrets_are_generated_once_and_private(tmp_path):
    first = load_settings({"INSTANCE_PATH": str(tmp_path)})
    second = load_settings({"INSTANCE_PATH": str(tmp_path)})
    assert first.encryption_keys == second.encryption_keys
    assert first.pseudonym_key == second.pseudonym_key != first.secret_key
    assert stat.S_IMODE((tmp_path / "secrets.env").stat().st_mode) == 0o600
    assert first.database_url == f"sqlite:///{tmp_path / 'safe_migration.db'}"


def test_environment_overrides_generated_secrets(tmp_path):
    loaded = load_settings({"INSTANCE_PATH": str(tmp_path), "TWILIO_AUTH_TOKEN": "from-env"})
    assert loaded.twilio_auth_token == "from-env"


def test_production_without_secrets_stops_with_their_names(tmp_path):
    with pytest.raises(SettingsError) as error:
        load_settings({"APP_ENV": "production", "INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "x"})
    message = str(error.value)
    assert "ENCRYPTION_KEY" in message and "DATABASE_URL" in message and "SECRET_KEY" not in message
    assert not (tmp_path / "secrets.env").exists()


def test_defaults_follow_the_design(tmp_path):
    loaded = load_settings({"INSTANCE_PATH": str(tmp_path), "WEBHOOK_PORT": "8100"})
    assert loaded.rasa_url == "http://127.0.0.1:5005"
    assert loaded.action_server_url == "http://127.0.0.1:5055/webhook"
    assert loaded.public_base_url == "http://127.0.0.1:8100"
    assert loaded.sms_segment_budget == 3


def test_key_lists_come_newest_first_and_a_single_key_still_works(tmp_path):
    listed = load_settings({"INSTANCE_PATH": str(tmp_path), "ENCRYPTION_KEYS": "new, old", "ENCRYPTION_KEY": "x"})
    assert listed.encryption_keys == ("new", "old")
    single = load_settings({"INSTANCE_PATH": str(tmp_path), "TRACKER_ENCRYPTION_KEY": "only"})
    assert single.tracker_encryption_keys == ("only",)


def test_production_accepts_the_key_lists_in_place_of_single_keys(tmp_path):
    env = {"APP_ENV": "production", "INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "s", "PSEUDONYM_KEY": "p"}
    env |= {
        "ENCRYPTION_KEYS": "a,b",
        "TRACKER_ENCRYPTION_KEYS": "c",
        "DATABASE_URL": "sqlite://",
        "TWILIO_AUTH_TOKEN": "t",
    }
    assert load_settings(env).encryption_keys == ("a", "b")


def test_an_older_development_secrets_file_gets_the_new_secrets_and_keeps_its_own(tmp_path):
    (tmp_path / "secrets.env").write_text("SECRET_KEY=kept\nENCRYPTION_KEY=kept-key\nPSEUDONYM_KEY=kept-p\n")
    loaded = load_settings({"INSTANCE_PATH": str(tmp_path)})
    assert loaded.encryption_keys == ("kept-key",) and loaded.secret_key == "kept"
    assert loaded.tracker_encryption_keys and "TRACKER_ENCRYPTION_KEY=" in (tmp_path / "secrets.env").read_text()
