"""The objects every request handler shares, built once per app from the settings."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from sqlalchemy.engine import Engine

from bot.conversations import Conversations
from bot.db import make_engine, make_session_factory
from bot.rasa_client import RasaClient
from bot.settings import Settings
from bot.vault import Vault

EXTENSION_KEY = "safe_migration"


@dataclass(frozen=True)
class Services:
    """Settings, database engine and the conversation processor of one app."""

    settings: Settings
    engine: Engine
    conversations: Conversations


def build_services(settings: Settings) -> Services:
    """Create the engine, vault, Rasa client and conversation processor for these settings."""
    engine = make_engine(settings.database_url)
    conversations = Conversations(
        sessions=make_session_factory(engine),
        vault=Vault(settings.encryption_key, settings.pseudonym_key),
        rasa=RasaClient(settings.rasa_urls),
        settings=settings,
    )
    return Services(settings=settings, engine=engine, conversations=conversations)


def services() -> Services:
    """The services of the app handling the current request."""
    return current_app.extensions[EXTENSION_KEY]
