"""Shared fixtures: settings on a temporary database, the real Rasa and action servers, a signed-SMS sender."""

from __future__ import annotations

import os
import random
import socket
from dataclasses import dataclass, field

import pytest
from sqlalchemy import delete, func, select

from bot.db import make_engine, make_session_factory, upgrade_schema
from bot.models import Base, Contact, Message
from bot.processes import Supervisor, action_server_spec, rasa_endpoint_env, rasa_server_spec
from bot.settings import Settings, load_settings
from bot.training import ensure_model
from bot.twilio_signing import signature, sms_form
from bot.vault import Vault
from webhook import create_app

TWILIO_AUTH_TOKEN = "test-twilio-auth-token"
# Twilio calls the public URL of a proxy; the app itself is reached on another address.
PUBLIC_BASE_URL = "https://sms.example.org"
SMS_PATH = "/channels/twilio/sms"


def free_port() -> int:
    """A TCP port nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def service_env(tmp_path_factory) -> dict[str, str]:
    """The environment of the service under test: temporary instance folder and database, free ports."""
    instance = tmp_path_factory.mktemp("instance")
    return {
        "INSTANCE_PATH": str(instance),
        "DATABASE_URL": os.environ.get("DATABASE_URL") or f"sqlite:///{instance / 'test.db'}",
        "RASA_URL": f"http://127.0.0.1:{free_port()}",
        "ACTION_SERVER_URL": f"http://127.0.0.1:{free_port()}/webhook",
        "PUBLIC_BASE_URL": PUBLIC_BASE_URL,
        "TWILIO_AUTH_TOKEN": TWILIO_AUTH_TOKEN,
        "HOTLINE_NUMBER": "+880 9610102030",
        "EMERGENCY_NUMBER": "999",
    }


@pytest.fixture(scope="session")
def settings(service_env) -> Settings:
    """Settings of the service under test, with its database schema migrated."""
    loaded = load_settings(service_env)
    upgrade_schema(loaded.database_url)
    return loaded


@pytest.fixture(scope="session")
def supervisor(settings, service_env):
    """Runs the service's processes for the test session and stops them at its end."""
    processes = Supervisor(settings.instance_path / "logs", {**os.environ, **service_env})
    yield processes
    processes.stop_all()


@pytest.fixture(scope="session")
def action_server(settings, supervisor) -> str:
    """The real action server, started once; its webhook URL."""
    action_port = int(settings.action_server_url.rsplit(":", 1)[1].split("/")[0])
    supervisor.start(action_server_spec(action_port))
    return settings.action_server_url


@pytest.fixture(scope="session")
def rasa_stack(settings, supervisor, action_server) -> Settings:
    """The real action server and Rasa server (current model, SQL tracker store), started once."""
    model = ensure_model()
    endpoint_env = rasa_endpoint_env(settings.database_url, settings.redis_url, settings.instance_path)
    rasa_port = int(settings.rasa_url.rsplit(":", 1)[1])
    supervisor.start(rasa_server_spec(rasa_port, model, settings.action_server_url, endpoint_env))
    return settings


@pytest.fixture
def engine(settings):
    """An engine on the test database; every application table is emptied after the test."""
    test_engine = make_engine(settings.database_url)
    yield test_engine
    with test_engine.begin() as connection:
        for table in reversed(Base.metadata.sorted_tables):
            connection.execute(delete(table))
    test_engine.dispose()


@pytest.fixture
def app(settings, engine):
    """The webhook app on the test database."""
    return create_app(settings)


@pytest.fixture
def client(app):
    """Flask test client of the webhook app."""
    return app.test_client()


@pytest.fixture
def vault(settings) -> Vault:
    """The vault with the test keys, to read what the service stored."""
    return Vault(settings.encryption_key, settings.pseudonym_key)


@dataclass
class StoredMessages:
    """Reads back what the service stored, decrypted."""

    engine: object
    vault: Vault

    def count(self, *conditions) -> int:
        """Number of stored messages matching the conditions."""
        with make_session_factory(self.engine)() as session:
            return session.scalar(select(func.count(Message.id)).where(*conditions))

    def all(self) -> list[Message]:
        """Every stored message, oldest first."""
        with make_session_factory(self.engine)() as session:
            return list(session.scalars(select(Message).order_by(Message.id)))

    def contacts(self) -> list[Contact]:
        """Every stored contact."""
        with make_session_factory(self.engine)() as session:
            return list(session.scalars(select(Contact)))

    def text(self, message: Message) -> str:
        """The plain text of a stored message."""
        return self.vault.decrypt(message.text_encrypted)


@pytest.fixture
def stored(engine, vault) -> StoredMessages:
    """Reader of the stored messages and contacts."""
    return StoredMessages(engine, vault)


@dataclass
class SmsSender:
    """Posts Twilio-signed inbound SMS to the webhook, as Twilio would."""

    client: object
    sender: str = field(default_factory=lambda: f"+88017{random.randrange(10**8):08d}")

    def send(self, body: str, sender: str | None = None, sid: str | None = None, forged: bool = False, **fields: str):
        """Post one SMS from this test's own number (a fresh conversation); a forged one has a wrong signature."""
        form = {**sms_form(sender or self.sender, body, message_sid=sid), **fields}
        token = "wrong-token" if forged else TWILIO_AUTH_TOKEN
        headers = {"X-Twilio-Signature": signature(token, PUBLIC_BASE_URL + SMS_PATH, form)}
        return self.client.post(SMS_PATH, data=form, headers=headers)


@pytest.fixture
def sms(client) -> SmsSender:
    """Signed-SMS sender bound to the test client."""
    return SmsSender(client)
