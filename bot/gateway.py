"""Builds the gateway's parts (database, vault, bot client, delivery, conversations, dispatcher) from settings."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.engine import Engine
from sqlalchemy.orm import sessionmaker

from bot.cases import Hotline
from bot.conversations import Conversations
from bot.db import make_engine, make_session_factory
from bot.delivery import Delivery
from bot.dispatch import Dispatcher
from bot.erasure import Eraser
from bot.outbound import OutboundClient
from bot.outbound.messenger_api import MessengerClient
from bot.outbound.telegram_api import TelegramClient
from bot.outbound.twilio_api import TwilioClient
from bot.processes import tracker_store_env
from bot.rasa_client import RasaClient
from bot.rendering import MESSENGER, SMS, TELEGRAM, WHATSAPP
from bot.settings import Settings
from bot.vault import Vault


@dataclass(frozen=True)
class Gateway:
    """The parts every entry point (webhook, retry worker, console) shares."""

    settings: Settings
    engine: Engine
    sessions: sessionmaker
    vault: Vault
    delivery: Delivery
    eraser: Eraser
    conversations: Conversations
    dispatcher: Dispatcher


def outbound_clients(settings: Settings) -> dict[str, OutboundClient]:
    """One API client per channel, each pointed at its configured base URL."""
    twilio = (settings.twilio_api_base_url, settings.twilio_account_sid, settings.twilio_auth_token)
    return {
        SMS: TwilioClient(*twilio, from_number=settings.twilio_sms_number),
        WHATSAPP: TwilioClient(*twilio, from_number=settings.twilio_whatsapp_number),
        TELEGRAM: TelegramClient(settings.telegram_api_base_url, settings.telegram_bot_token),
        MESSENGER: MessengerClient(settings.messenger_api_base_url, settings.messenger_page_token),
    }


def build_gateway(settings: Settings) -> Gateway:
    """Create every part for these settings."""
    engine = make_engine(settings.database_url)
    sessions = make_session_factory(engine)
    vault = Vault(settings.encryption_key, settings.pseudonym_key)
    delivery = Delivery(sessions, vault, outbound_clients(settings))
    tracker_url = tracker_store_env(settings.database_url, settings.instance_path)["TRACKER_DATABASE_URL"]
    eraser = Eraser(sessions, tracker_url)
    hotline = Hotline(sessions, vault, settings, delivery)
    conversations = Conversations(
        sessions, vault, RasaClient(settings.rasa_urls, timeout=60.0), delivery, eraser, settings, hotline=hotline
    )
    dispatcher = Dispatcher(conversations, delivery, settings.sync_reply_seconds)
    return Gateway(settings, engine, sessions, vault, delivery, eraser, conversations, dispatcher)
