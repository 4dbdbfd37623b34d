"""The gateway's core: store an inbound message, ask Rasa, store and return the replies; nothing is lost."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import sessionmaker

from bot.db import transaction
from bot.keywords import language_choice
from bot.language import choose_form
from bot.models import Contact, Message
from bot.notices import notice
from bot.rasa_client import RasaClient, RasaUnavailableError
from bot.vault import Vault

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class InboundMessage:
    """A verified message from a channel, before anything is done with it."""

    channel: str
    address: str
    external_id: str
    text: str


@dataclass(frozen=True)
class StoredInbound:
    """An inbound message once stored: its id, its contact and the contact's language preference."""

    message_id: int
    contact_id: int
    pseudonym: str
    preference: str | None


@dataclass(frozen=True)
class Outcome:
    """What to send back for one inbound message; a duplicate gets nothing."""

    replies: list[str]
    duplicate: bool = False


class Conversations:
    """Processes inbound messages for every channel."""

    def __init__(self, sessions: sessionmaker, vault: Vault, rasa: RasaClient, max_chars: int) -> None:
        self._sessions = sessions
        self._vault = vault
        self._rasa = rasa
        self._max_chars = max_chars

    def handle(self, inbound: InboundMessage) -> Outcome:
        """Store the message once, get the bot's answer and record it; a repeated external id is not answered."""
        stored = self._store_inbound(inbound)
        if stored is None:
            return Outcome(replies=[], duplicate=True)
        text = inbound.text.strip()
        chosen = language_choice(text)
        if chosen:
            self._remember_language(stored.contact_id, chosen)
            return Outcome(replies=self._finish(stored.message_id, [notice("language_set", chosen)]))
        form = choose_form(text, stored.preference)
        if form.confident and form.form != stored.preference:
            self._remember_language(stored.contact_id, form.form)
        if not text:
            return Outcome(replies=self._finish(stored.message_id, [notice("empty", form.form)]))
        metadata = {"channel": inbound.channel, "language": form.form}
        try:
            replies = self._rasa.send(stored.pseudonym, text[: self._max_chars], metadata)
        except RasaUnavailableError as error:
            log.warning("rasa unavailable for message %s: %s", stored.message_id, error)
            self._mark_unanswered(stored.message_id, f"rasa unavailable: {error}")
            return Outcome(replies=[notice("service_down", form.form)])
        return Outcome(replies=self._finish(stored.message_id, [reply.text for reply in replies if reply.text]))

    def _store_inbound(self, inbound: InboundMessage) -> StoredInbound | None:
        pseudonym = self._vault.pseudonym(inbound.channel, inbound.address)
        try:
            return self._insert_inbound(inbound, pseudonym)
        except IntegrityError:
            # Either a channel retry of a stored message (answered once only), or a race on a new contact.
            if self._is_stored(inbound):
                log.info("duplicate %s message ignored", inbound.channel)
                return None
            return self._insert_inbound(inbound, pseudonym)

    def _insert_inbound(self, inbound: InboundMessage, pseudonym: str) -> StoredInbound:
        with transaction(self._sessions) as session:
            contact = session.scalar(select(Contact).where(Contact.pseudonym == pseudonym))
            if contact is None:
                contact = Contact(
                    channel=inbound.channel,
                    pseudonym=pseudonym,
                    address_encrypted=self._vault.encrypt(inbound.address),
                )
                session.add(contact)
            message = Message(
                contact=contact,
                direction=Message.INBOUND,
                channel=inbound.channel,
                text_encrypted=self._vault.encrypt(inbound.text),
                external_id=inbound.external_id,
                status=Message.RECEIVED,
            )
            session.add(message)
            session.flush()
            return StoredInbound(message.id, contact.id, pseudonym, contact.language)

    def _is_stored(self, inbound: InboundMessage) -> bool:
        with self._sessions() as session:
            query = select(Message.id).where(
                Message.channel == inbound.channel, Message.external_id == inbound.external_id
            )
            return session.scalar(query) is not None

    def _finish(self, message_id: int, texts: list[str]) -> list[str]:
        with transaction(self._sessions) as session:
            inbound = session.get(Message, message_id)
            for text in texts:
                session.add(
                    Message(
                        contact_id=inbound.contact_id,
                        direction=Message.OUTBOUND,
                        channel=inbound.channel,
                        text_encrypted=self._vault.encrypt(text),
                        reply_to_id=inbound.id,
                        status=Message.SENT,
                    )
                )
            inbound.status = Message.ANSWERED
        return texts

    def _remember_language(self, contact_id: int, form: str) -> None:
        with transaction(self._sessions) as session:
            session.get(Contact, contact_id).language = form

    def _mark_unanswered(self, message_id: int, reason: str) -> None:
        with transaction(self._sessions) as session:
            inbound = session.get(Message, message_id)
            inbound.status = Message.UNANSWERED
            inbound.error = reason[:200]
