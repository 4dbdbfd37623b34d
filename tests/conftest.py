"""Shared fixtures: settings on a temporary database, the real Rasa and action servers, a signed-SMS sender."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import random
import socket
from dataclasses import dataclass, field

import pytest
from playwright.sync_api import sync_playwright
from sqlalchemy import delete, func, select, text

from bot.channels.twilio_signing import signature, sms_form
from bot.db import make_engine, make_session_factory, upgrade_schema
from bot.models import Base, Contact, Message
from bot.ops.processes import Supervisor, action_server_spec, rasa_endpoint_env, rasa_server_spec
from bot.ops.training import ensure_model
from bot.settings import Settings, load_settings
from bot.vault import Vault
from tests import recorder as fake_apis
from tests.live_server import serving
from webhook import create_app
from webhook.channels.telegram import SECRET_HEADER
from webhook.services import EXTENSION_KEY

TWILIO_AUTH_TOKEN = "test-twilio-auth-token"
# Twilio calls the public URL of a proxy; the app itself is reached on another address.
PUBLIC_BASE_URL = "https://sms.example.org"
SMS_PATH = "/channels/twilio/sms"
WHATSAPP_PATH = "/channels/twilio/whatsapp"
TELEGRAM_PATH = "/channels/telegram"
MESSENGER_PATH = "/channels/messenger"


def free_port() -> int:
    """A TCP port nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


TELEGRAM_SECRET_TOKEN = "test-telegram-secret"
MESSENGER_APP_SECRET = "test-messenger-app-secret"
MESSENGER_VERIFY_TOKEN = "test-verify-token"


@pytest.fixture(scope="session")
def recorder_server():
    """The fake Twilio, Telegram and Messenger APIs, served for the whole test session."""
    server = fake_apis.RecorderServer(free_port(), TWILIO_AUTH_TOKEN).start()
    yield server
    server.stop()


@pytest.fixture
def recorder(recorder_server) -> fake_apis.Recorder:
    """What the service sent through the outside APIs during this test."""
    recorder_server.recorder.reset()
    return recorder_server.recorder


@pytest.fixture(scope="session")
def service_env(tmp_path_factory, recorder_server) -> dict[str, str]:
    """The environment of the service under test: temporary instance folder and database, free ports, fake APIs."""
    instance = tmp_path_factory.mktemp("instance")
    apis = recorder_server.base_url
    return {
        "INSTANCE_PATH": str(instance),
        "DATABASE_URL": os.environ.get("DATABASE_URL") or f"sqlite:///{instance / 'test.db'}",
        "RASA_URL": f"http://127.0.0.1:{free_port()}",
        "ACTION_SERVER_URL": f"http://127.0.0.1:{free_port()}/webhook",
        "PUBLIC_BASE_URL": PUBLIC_BASE_URL,
        "TWILIO_AUTH_TOKEN": TWILIO_AUTH_TOKEN,
        "TWILIO_ACCOUNT_SID": fake_apis.TWILIO_ACCOUNT_SID,
        "TWILIO_API_BASE_URL": apis,
        "TWILIO_SMS_NUMBER": fake_apis.TWILIO_SMS_NUMBER,
        "TWILIO_WHATSAPP_NUMBER": fake_apis.TWILIO_WHATSAPP_NUMBER,
        "TELEGRAM_BOT_TOKEN": fake_apis.TELEGRAM_BOT_TOKEN,
        "TELEGRAM_SECRET_TOKEN": TELEGRAM_SECRET_TOKEN,
        "TELEGRAM_API_BASE_URL": apis,
        "MESSENGER_APP_SECRET": MESSENGER_APP_SECRET,
        "MESSENGER_VERIFY_TOKEN": MESSENGER_VERIFY_TOKEN,
        "MESSENGER_PAGE_TOKEN": fake_apis.MESSENGER_PAGE_TOKEN,
        "MESSENGER_API_BASE_URL": apis,
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


def start_action_server(settings: Settings, supervisor: Supervisor) -> None:
    """Start the action server on the port of the settings."""
    supervisor.start(action_server_spec(int(settings.action_server_url.rsplit(":", 1)[1].split("/")[0])))


def start_rasa(settings: Settings, supervisor: Supervisor) -> None:
    """Start the Rasa server with the current model on the port of the settings."""
    endpoint_env = rasa_endpoint_env(
        settings.database_url, settings.redis_url, settings.instance_path, settings.tracker_encryption_keys
    )
    rasa_port = int(settings.rasa_url.rsplit(":", 1)[1])
    supervisor.start(rasa_server_spec(rasa_port, ensure_model(), settings.action_server_url, endpoint_env))


@pytest.fixture(scope="session")
def action_server(settings, supervisor) -> str:
    """The real action server, started once; its webhook URL."""
    start_action_server(settings, supervisor)
    return settings.action_server_url


@pytest.fixture(scope="session")
def rasa_stack(settings, supervisor, action_server) -> Settings:
    """The real action server and Rasa server (current model, SQL tracker store), started once."""
    start_rasa(settings, supervisor)
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


def close_app(app) -> None:
    """Let the app's background work finish, then release its threads and connections."""
    finish_background_work(app)
    app.extensions[EXTENSION_KEY].engine.dispose()


@pytest.fixture
def app(settings, engine):
    """The webhook app on the test database; its background work is finished before the tables are emptied."""
    webhook_app = create_app(settings)
    yield webhook_app
    close_app(webhook_app)


@pytest.fixture
def make_app(engine):
    """Builds webhook apps with other settings (e.g. a dead Rasa URL), closed after the test."""
    apps = []

    def build(app_settings: Settings):
        apps.append(create_app(app_settings))
        return apps[-1]

    yield build
    for built in apps:
        close_app(built)


@pytest.fixture
def client(app):
    """Flask test client of the webhook app."""
    return app.test_client()


@pytest.fixture
def vault(settings) -> Vault:
    """The vault with the test keys, to read what the service stored."""
    return Vault(settings.encryption_keys, settings.pseudonym_key)


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

    path: str = SMS_PATH

    def send(self, body: str, sender: str | None = None, sid: str | None = None, forged: bool = False, **fields: str):
        """Post one SMS from this test's own number (a fresh conversation); a forged one has a wrong signature."""
        form = {**sms_form(sender or self.sender, body, message_sid=sid), **fields}
        token = "wrong-token" if forged else TWILIO_AUTH_TOKEN
        headers = {"X-Twilio-Signature": signature(token, PUBLIC_BASE_URL + self.path, form)}
        return self.client.post(self.path, data=form, headers=headers)


@pytest.fixture
def sms(client) -> SmsSender:
    """Signed-SMS sender bound to the test client."""
    return SmsSender(client)


@pytest.fixture
def whatsapp(client) -> SmsSender:
    """Signed WhatsApp-message sender (Twilio) bound to the test client."""
    return SmsSender(client, sender=f"whatsapp:+88019{random.randrange(10**8):08d}", path=WHATSAPP_PATH)


@dataclass
class TelegramSender:
    """Posts Telegram updates to the webhook with the secret-token header, as the Bot API would."""

    client: object
    chat_id: int = field(default_factory=lambda: random.randrange(10**9, 10**10))

    def post(self, update, secret: str = TELEGRAM_SECRET_TOKEN, **kwargs):
        """Post one update (any JSON) with the given secret token."""
        return self.client.post(TELEGRAM_PATH, json=update, headers={SECRET_HEADER: secret}, **kwargs)

    def send(self, text: str, update_id: int | None = None, **message_fields):
        """Post a text message from this test's chat."""
        message = {"message_id": 1, "chat": {"id": self.chat_id, "type": "private"}, "text": text, **message_fields}
        return self.post({"update_id": update_id or random.randrange(10**9), "message": message})

    def press(self, payload: str):
        """Post the press of an inline button."""
        callback = {"id": "1", "data": payload, "message": {"message_id": 2, "chat": {"id": self.chat_id}}}
        return self.post({"update_id": random.randrange(10**9), "callback_query": callback})


@dataclass
class MessengerSender:
    """Posts Messenger events to the webhook signed with X-Hub-Signature-256, as Facebook would."""

    client: object
    psid: str = field(default_factory=lambda: str(random.randrange(10**15, 10**16)))

    def post(self, body: bytes, secret: str = MESSENGER_APP_SECRET, content_type: str = "application/json"):
        """Post a raw body signed with the given app secret."""
        digest = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
        headers = {"X-Hub-Signature-256": f"sha256={digest}", "Content-Type": content_type}
        return self.client.post(MESSENGER_PATH, data=body, headers=headers)

    def send(self, text: str | None = None, mid: str | None = None, **message_fields):
        """Post one message event from this test's person."""
        message = {"mid": mid or f"m_{random.randrange(10**12)}", **({"text": text} if text is not None else {})}
        event = {"sender": {"id": self.psid}, "recipient": {"id": "PAGE"}, "message": {**message, **message_fields}}
        return self.post(json.dumps({"object": "page", "entry": [{"id": "PAGE", "messaging": [event]}]}).encode())


@pytest.fixture
def telegram(client) -> TelegramSender:
    """Telegram update sender bound to the test client."""
    return TelegramSender(client)


@pytest.fixture
def messenger(client) -> MessengerSender:
    """Messenger event sender bound to the test client."""
    return MessengerSender(client)


def finish_background_work(app) -> None:
    """Wait until every message the app took is processed and its replies sent (the app takes no more after)."""
    app.extensions[EXTENSION_KEY].dispatcher.shutdown()


def tracker_query(settings: Settings, sql: str, **params) -> list[tuple]:
    """Rows of a query on Rasa's tracker store (its `events` table), as the Rasa server of these settings wrote it."""
    engine = make_engine(settings.tracker_database_url)
    try:
        with engine.connect() as connection:
            return [tuple(row) for row in connection.execute(text(sql), params)]
    finally:
        engine.dispose()


def decrypted_event(settings: Settings, data: str) -> dict:
    """One event of Rasa's tracker store, decrypted with the tracker's keys (rasa_addons/tracker_store.py)."""
    from rasa_addons.tracker_store import cipher  # imports Rasa: only the tests that read events pay for it

    return json.loads(cipher(settings.tracker_encryption_keys).decrypt(data.encode("ascii")))


def latest_user_metadata(settings: Settings, sender_id: str) -> dict:
    """The metadata of the latest message Rasa stored for a conversation."""
    ((data,),) = tracker_query(
        settings,
        "SELECT data FROM events WHERE sender_id = :sender AND type_name = 'user' ORDER BY id DESC LIMIT 1",
        sender=sender_id,
    )
    return decrypted_event(settings, data)["metadata"]


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture
def browser():
    """Debian's Chromium, headless, driven by Playwright (never a downloaded browser)."""
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def console_url(app):
    """The console of the test app, served over HTTP on a free port for the browser."""
    with serving(app, free_port()) as base:
        yield base + "/console"
