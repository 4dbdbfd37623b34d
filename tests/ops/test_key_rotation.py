"""`python -m bot keys rotate`: every secret re-encrypted under the newest key, in batches, resumable."""

from __future__ import annotations

import json

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import text

from bot.cli import main
from bot.db import make_engine, make_session_factory, transaction, upgrade_schema
from bot.models import Contact, Message
from bot.ops import key_rotation
from bot.settings import load_settings
from bot.vault import Vault

OLD, NEW = Fernet.generate_key().decode(), Fernet.generate_key().decode()
OLD_TRACKER, NEW_TRACKER = Fernet.generate_key().decode(), Fernet.generate_key().decode()
MESSAGES = 7


def environment(tmp_path, keys: str, tracker_keys: str) -> dict[str, str]:
    return {
        "INSTANCE_PATH": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'app.db'}",  # SQLite files of their own, also in the PostgreSQL run
        "ENCRYPTION_KEYS": keys,
        "TRACKER_ENCRYPTION_KEYS": tracker_keys,
        "PSEUDONYM_KEY": "pseudonym",
    }


@pytest.fixture
def old_data(tmp_path):
    """An application database and a tracker store written with the old keys (two tracker events in clear)."""
    settings = load_settings(environment(tmp_path, OLD, OLD_TRACKER))
    upgrade_schema(settings.database_url)
    vault = Vault([OLD], "pseudonym")
    engine = make_engine(settings.database_url)
    with transaction(make_session_factory(engine)) as session:
        contact = Contact(channel="sms", pseudonym="p1", address_encrypted=vault.encrypt("+8801711000001"))
        session.add(contact)
        session.flush()
        for number in range(MESSAGES):
            session.add(
                Message(contact_id=contact.id, direction="in", channel="sms", status="answered",
                        text_encrypted=vault.encrypt(f"message {number}"))
            )  # fmt: skip
    engine.dispose()
    tracker = make_engine(settings.tracker_database_url)
    with tracker.begin() as connection:
        connection.execute(text("CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id TEXT, data TEXT)"))
        old = Fernet(OLD_TRACKER.encode())
        rows = [json.dumps({"text": "in clear"}), json.dumps({"text": "also clear"})]
        rows += [old.encrypt(json.dumps({"text": f"event {n}"}).encode()).decode() for n in range(3)]
        for data in rows:
            connection.execute(text("INSERT INTO events (sender_id, data) VALUES ('p1', :d)"), {"d": data})
    tracker.dispose()
    return tmp_path


def readable_with_new_keys_only(tmp_path) -> tuple[list[str], list[str]]:
    settings = load_settings(environment(tmp_path, NEW, NEW_TRACKER))
    engine, tracker = make_engine(settings.database_url), make_engine(settings.tracker_database_url)
    vault, new_tracker = Vault([NEW], "pseudonym"), Fernet(NEW_TRACKER.encode())
    with engine.connect() as connection:
        texts = [vault.decrypt(t) for (t,) in connection.execute(text("SELECT text_encrypted FROM messages"))]
        texts += [vault.decrypt(t) for (t,) in connection.execute(text("SELECT address_encrypted FROM contacts"))]
    with tracker.connect() as connection:
        events = [
            new_tracker.decrypt(d.encode()).decode() for (d,) in connection.execute(text("SELECT data FROM events"))
        ]
    engine.dispose()
    tracker.dispose()
    return texts, events


def test_rotation_moves_every_row_and_event_to_the_newest_key(old_data, monkeypatch, capsys):
    for name, value in environment(old_data, f"{NEW},{OLD}", f"{NEW_TRACKER},{OLD_TRACKER}").items():
        monkeypatch.setenv(name, value)
    assert main(["keys", "rotate", "--batch-size", "3"]) == 0
    printed = capsys.readouterr().out
    assert "messages.text_encrypted: 7 rows" in printed and "Rasa tracker events: 5 rows" in printed
    texts, events = readable_with_new_keys_only(old_data)
    assert sorted(texts) == sorted([f"message {n}" for n in range(MESSAGES)] + ["+8801711000001"])
    assert sorted(json.loads(event)["text"] for event in events) == sorted(
        ["in clear", "also clear", "event 0", "event 1", "event 2"]
    )
    assert main(["keys", "rotate"]) == 0
    assert "done: 0 rows" in capsys.readouterr().out


def test_a_stopped_rotation_resumes_where_it_stopped(old_data, monkeypatch):
    settings = load_settings(environment(old_data, f"{NEW},{OLD}", f"{NEW_TRACKER},{OLD_TRACKER}"))
    original, calls = key_rotation.KeyRing.rekeyed, []

    def stops_after_four(ring, stored):
        calls.append(stored)
        if len(calls) > 4:
            raise KeyboardInterrupt
        return original(ring, stored)

    monkeypatch.setattr(key_rotation.KeyRing, "rekeyed", stops_after_four)
    with pytest.raises(KeyboardInterrupt):
        key_rotation.rotate_all(settings, print, size=2)
    monkeypatch.setattr(key_rotation.KeyRing, "rekeyed", original)
    # The contact (1 row) and the first batch of messages (2 rows) were committed before the stop.
    assert key_rotation.rotate_all(settings, print, size=2) == 1 + MESSAGES + 5 - 3
    texts, events = readable_with_new_keys_only(old_data)
    assert len(texts) == MESSAGES + 1 and len(events) == 5


def test_a_row_no_key_can_open_stops_the_rotation_with_a_message(old_data, monkeypatch, capsys):
    for name, value in environment(old_data, NEW, NEW_TRACKER).items():
        monkeypatch.setenv(name, value)
    assert main(["keys", "rotate"]) == 1
    assert "could not be decrypted" in capsys.readouterr().err
