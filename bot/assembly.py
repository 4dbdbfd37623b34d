"""The composition root: builds the parts every entry point shares (database, vault, Rasa client, delivery, ...)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.engine import Engine
from sqlalchemy.orm import sessionmaker

from bot.channels import senders
from bot.db import make_engine, make_session_factory
from bot.hotline.handoff import CaseHandoff
from bot.language.triage import default_model
from bot.messaging.conversations import Conversations
from bot.messaging.delivery import Delivery
from bot.messaging.dispatch import Dispatcher
from bot.messaging.erasure import Eraser
from bot.messaging.rasa_client import RasaClient
from bot.settings import Settings
from bot.vault import Vault


@dataclass(frozen=True)
class Services:
    """The parts every entry point (webhook, retry worker, console) shares."""

    settings: Settings
    engine: Engine
    sessions: sessionmaker
    vault: Vault
    delivery: Delivery
    eraser: Eraser
    conversations: Conversations
    dispatcher: Dispatcher


def build_services(settings: Settings) -> Services:
    """Create every part for these settings."""
    # The triage model trains in about 5 s: at start-up, so that no person's first message waits for it.
    default_model()
    engine = make_engine(settings.database_url)
    sessions = make_session_factory(engine)
    vault = Vault(settings.encryption_keys, settings.pseudonym_key)
    delivery = Delivery(sessions, vault, senders(settings))
    tracker_url = settings.tracker_database_url
    eraser = Eraser(sessions, vault, tracker_url)
    handoff = CaseHandoff(sessions, vault, settings, delivery)
    conversations = Conversations(
        sessions, vault, RasaClient(settings.rasa_urls, timeout=60.0), delivery, eraser, settings, handoff=handoff
    )
    dispatcher = Dispatcher(conversations, delivery, settings.sync_reply_seconds)
    return Services(settings, engine, sessions, vault, delivery, eraser, conversations, dispatcher)
