"""The gateway's core: store an inbound message, ask Rasa, store and return the replies; nothing is lost."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import sessionmaker

from bot.danger import danger_signal
from bot.db import transaction
from bot.keywords import HELP, MENU, MORE, START, STOP, keyword, language_choice
from bot.language import choose_form
from bot.models import Contact, Message
from bot.notices import notice
from bot.rasa_client import RasaClient, RasaUnavailableError
from bot.settings import Settings
from bot.sms import paginate
from bot.vault import Vault

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class InboundMessage:
    """A verified message from a channel, before anything is done with it."""

    channel: str
    address: str
    external_id: str
    text: str
    has_media: bool = False


@dataclass(frozen=True)
class StoredInbound:
    """An inbound message once stored, with what the gateway knows of its contact."""

    message_id: int
    contact_id: int
    pseudonym: str
    preference: str | None
    opted_out: bool
    pending_pages: list[str]


@dataclass(frozen=True)
class Outcome:
    """What to send back for one inbound message; a duplicate, or a message from an opted-out person, gets nothing."""

    replies: list[str]


# Keywords that are bot intents: sent to Rasa as intent payloads, so they work in every language form.
INTENT_PAYLOADS = {MENU: "/ask_menu", MORE: "/ask_more"}
REPORT_ABUSE_PAYLOAD = "/report_abuse"
# Channels that pay per segment: their replies are joined and cut into pages within the segment budget.
PAGED_CHANNELS = frozenset({"sms"})


class Conversations:
    """Processes inbound messages for every channel: keywords, language, Rasa, paging, storage."""

    def __init__(self, sessions: sessionmaker, vault: Vault, rasa: RasaClient, settings: Settings) -> None:
        self._sessions = sessions
        self._vault = vault
        self._rasa = rasa
        self._settings = settings

    def handle(self, inbound: InboundMessage) -> Outcome:
        """Store the message once, then answer it; a repeated external id is not answered."""
        stored = self._store_inbound(inbound)
        if stored is None:
            return Outcome(replies=[])
        text = inbound.text.strip()
        word = keyword(text)
        if stored.opted_out and word != START:
            self._set_status(stored.message_id, Message.IGNORED, "opted out")
            return Outcome(replies=[])
        chosen = language_choice(text)
        if chosen:
            self._update_contact(stored.contact_id, language=chosen)
            return self._answer(stored, [notice("language_set", chosen)])
        form = choose_form(text, stored.preference)
        if form.confident and form.form != stored.preference:
            self._update_contact(stored.contact_id, language=form.form)
        return self._answer_text(inbound, stored, text, word, form.form)

    def _answer_text(
        self, inbound: InboundMessage, stored: StoredInbound, text: str, word: str | None, form: str
    ) -> Outcome:
        if word == STOP:
            self._update_contact(stored.contact_id, opted_out=True)
            return self._answer(stored, [notice("stopped", form)])
        if word == START:
            self._update_contact(stored.contact_id, opted_out=False)
            return self._answer(stored, [notice("started", form)])
        if word == HELP:
            numbers = {
                "hotline_number": self._settings.hotline_number,
                "emergency_number": self._settings.emergency_number,
            }
            return self._answer(stored, [notice("help", form, **numbers)])
        if word == MORE and stored.pending_pages:
            return self._answer(stored, stored.pending_pages[:1], pending=stored.pending_pages[1:])
        if not text:
            return self._answer(stored, [notice("media_only" if inbound.has_media else "empty", form)])
        metadata = {"channel": inbound.channel, "language": form}
        message = INTENT_PAYLOADS.get(word, text[: self._settings.max_message_chars])
        if danger_signal(text):
            # The safety net decides, not the model: the person gets the emergency answer and the urgent signal.
            message = REPORT_ABUSE_PAYLOAD
        try:
            replies = [reply.text for reply in self._rasa.send(stored.pseudonym, message, metadata) if reply.text]
        except RasaUnavailableError as error:
            log.warning("rasa unavailable for message %s: %s", stored.message_id, error)
            self._set_status(stored.message_id, Message.UNANSWERED, f"rasa unavailable: {error}")
            return Outcome(replies=[notice("service_down", form)])
        if inbound.channel not in PAGED_CHANNELS or not replies:
            return self._answer(stored, replies)
        pages = paginate("\n".join(replies), self._settings.sms_segment_budget, form)
        return self._answer(stored, pages[:1], pending=pages[1:])

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
            pending = json.loads(contact.pending_pages) if contact.pending_pages else []
            return StoredInbound(message.id, contact.id, pseudonym, contact.language, contact.opted_out, pending)

    def _is_stored(self, inbound: InboundMessage) -> bool:
        with self._sessions() as session:
            query = select(Message.id).where(
                Message.channel == inbound.channel, Message.external_id == inbound.external_id
            )
            return session.scalar(query) is not None

    def _answer(self, stored: StoredInbound, texts: list[str], pending: list[str] | None = None) -> Outcome:
        """Record the replies as sent and the pages still to come (MORE), and mark the message answered."""
        with transaction(self._sessions) as session:
            inbound = session.get(Message, stored.message_id)
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
            session.get(Contact, stored.contact_id).pending_pages = json.dumps(pending) if pending else None
        return Outcome(replies=texts)

    def _update_contact(self, contact_id: int, **values) -> None:
        with transaction(self._sessions) as session:
            contact = session.get(Contact, contact_id)
            for name, value in values.items():
                setattr(contact, name, value)

    def _set_status(self, message_id: int, status: str, reason: str) -> None:
        with transaction(self._sessions) as session:
            inbound = session.get(Message, message_id)
            inbound.status = status
            inbound.error = reason[:200]
