"""The gateway's core: store an inbound message, then decide its answer (keywords, language, hotline, triage, Rasa)."""

from __future__ import annotations

import json
import logging
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import sessionmaker

from bot.channels.base import Outgoing
from bot.db import transaction
from bot.language.danger import danger_signal
from bot.language.forms import DEFAULT_FORM, choose_form, latin_digits
from bot.language.triage import CONFIRM_DANGER, DANGER_NOW, MAYBE, NO, REPORT_TEXT, triage
from bot.messaging.delivery import Answer, Delivery, backoff
from bot.messaging.erasure import Eraser
from bot.messaging.keywords import (
    DELETE,
    HELP,
    MENU,
    MORE,
    START,
    STOP,
    confirms,
    keyword,
    language_choice,
    withdraws,
    yes_or_no,
)
from bot.messaging.notices import notice
from bot.messaging.rasa_client import RasaClient, RasaUnavailableError
from bot.messaging.rendering import render
from bot.models import Contact, Message, as_utc, utcnow
from bot.ops import metrics
from bot.settings import Settings
from bot.topics.destinations import country_in
from bot.topics.registry import best_matches, classify
from bot.vault import Vault

log = logging.getLogger(__name__)

# Keywords that are bot intents: sent to Rasa as intent payloads, so they work in every language form.
INTENT_PAYLOADS = {MENU: "/ask_menu", MORE: "/ask_more"}
REPORT_ABUSE_PAYLOAD = "/report_abuse"
CHECK_AGENCY_PAYLOAD = "/check_agency"
MAX_AGENCY_QUERY_CHARS = 200
# How often the bot is asked about one message before the person is told to call the hotline instead.
MAX_BOT_ATTEMPTS = 8
RATE_WINDOW = timedelta(minutes=1)
AWAITING_DELETE = "delete"
# After a message that may report danger: "Is this happening now? Reply 1 yes, 2 no".
AWAITING_DANGER = "danger"
# Statuses from which a message may be (re)processed.
PROCESSABLE = (Message.RECEIVED, Message.PENDING)


@dataclass(frozen=True)
class InboundMessage:
    """A verified message from a channel, before anything is done with it."""

    channel: str
    address: str
    external_id: str
    text: str
    has_media: bool = False

    def __post_init__(self) -> None:
        # NUL is no character a person types, and PostgreSQL refuses it in text: dropped at the door.
        for name in ("address", "external_id", "text"):
            object.__setattr__(self, name, getattr(self, name).replace("\x00", ""))


class Handoff(Protocol):
    """What the gateway asks of the hotline: is a counsellor handling this person, and open or raise a case."""

    def takes_over(self, contact_id: int) -> bool:
        """True while a counsellor handles the person: the bot stays silent."""

    def escalate(self, contact_id: int, signal: dict, language: str, channel: str) -> None:
        """Open or raise the person's case for an escalation signal of the bot."""

    def withdraw(self, contact_id: int) -> bool:
        """Close the person's untaken automatic case as a false alarm; True when there was one."""


@dataclass
class Turn:
    """One inbound message being processed: what is known of it and its contact, and what was decided."""

    message_id: int
    contact_id: int
    channel: str
    address: str
    pseudonym: str
    text: str
    has_media: bool
    preference: str | None
    opted_out: bool
    pending_pages: list[str]
    menu: list[str]
    awaiting: str | None
    attempts: int
    recent_inbound: int
    rate_noticed_recently: bool
    form: str = DEFAULT_FORM
    replies: list[Outgoing] = field(default_factory=list)
    sender: str = Message.GATEWAY
    status: str = Message.ANSWERED
    reason: str | None = None
    next_attempt_at: datetime | None = None
    contact_changes: dict = field(default_factory=dict)
    escalations: list[dict] = field(default_factory=list)
    erased: bool = False

    def reply(self, *texts: str, sender: str = Message.GATEWAY) -> None:
        """Answer with these texts."""
        self.replies = [Outgoing(text) for text in texts]
        self.sender = sender

    def ignore(self, reason: str) -> None:
        """Store the message as ignored, with the reason, and answer nothing."""
        self.status, self.reason = Message.IGNORED, reason


class Conversations:
    """Stores inbound messages of every channel and decides their answers."""

    def __init__(
        self,
        sessions: sessionmaker,
        vault: Vault,
        rasa: RasaClient,
        delivery: Delivery,
        eraser: Eraser,
        settings: Settings,
        handoff: Handoff | None = None,
    ) -> None:
        self._sessions = sessions
        self._vault = vault
        self._rasa = rasa
        self._delivery = delivery
        self._eraser = eraser
        self._settings = settings
        self._handoff = handoff

    def receive(self, inbound: InboundMessage) -> int | None:
        """Store the message and return its id; a repeated external id returns None (answered once only)."""
        pseudonym = self._vault.pseudonym(inbound.channel, inbound.address)
        try:
            return self._insert_inbound(inbound, pseudonym)
        except IntegrityError:
            # Either a channel retry of a stored message, or a race on a new contact.
            if self._is_stored(inbound):
                log.info("duplicate %s message ignored", inbound.channel)
                return None
            return self._insert_inbound(inbound, pseudonym)

    def process(self, message_id: int) -> Answer:
        """Decide and store the answer of a stored message; a message another process holds gets no answer here."""
        turn = self._claim(message_id)
        if turn is None:
            return Answer()
        self._decide(turn)
        if turn.erased:
            return Answer(unstored=turn.replies, channel=turn.channel, address=turn.address)
        ids = self._save(turn)
        for signal in turn.escalations if self._handoff else ():
            self._handoff.escalate(turn.contact_id, signal, turn.form, turn.channel)
        return Answer(outbound_ids=ids)

    def _decide(self, turn: Turn) -> None:
        # Phones send "য়" as one code point or as য + nukta; NFC makes it the single form the data and patterns use.
        # Only the beginning of a long message is read (it is stored whole): no step ever runs over 10 kB of text.
        text = unicodedata.normalize("NFC", turn.text[: self._settings.max_message_chars * 2]).strip()
        word = keyword(text)
        # Someone who sent STOP can still START again, and still erase their data (DELETE, then YES).
        heard_while_stopped = word in (START, DELETE) or turn.awaiting == AWAITING_DELETE
        if turn.opted_out and not heard_while_stopped:
            return turn.ignore("opted out")
        detected = choose_form(text, turn.preference)
        turn.form = detected.form
        if detected.confident and detected.form != turn.preference:
            turn.contact_changes["language"] = detected.form
        if turn.awaiting == AWAITING_DELETE:
            turn.contact_changes["awaiting"] = None
            if confirms(text):
                return self._erase(turn)
        if turn.opted_out and word not in (START, DELETE):
            return turn.ignore("opted out")
        if turn.awaiting == AWAITING_DANGER:
            turn.contact_changes["awaiting"] = None
            happening = yes_or_no(text)
            if happening is True:
                return self._ask_bot(turn, REPORT_ABUSE_PAYLOAD, DANGER_NOW)
            if happening is False:
                return turn.reply(notice("not_urgent", turn.form, **self._numbers()))
        chosen = language_choice(text)
        if chosen:
            turn.form = turn.contact_changes["language"] = chosen
            return turn.reply(notice("language_set", chosen))
        if word == STOP:
            turn.contact_changes.update(opted_out=True, awaiting=None)
            return turn.reply(notice("stopped", turn.form))
        if word == START:
            turn.contact_changes["opted_out"] = False
            return turn.reply(notice("started", turn.form))
        if turn.recent_inbound > self._settings.rate_limit_per_minute:
            return self._slow_down(turn)
        if word == HELP:
            return turn.reply(notice("help", turn.form, **self._numbers()))
        if word == DELETE:
            turn.contact_changes["awaiting"] = AWAITING_DELETE
            return turn.reply(notice("delete_confirm", turn.form))
        if self._handoff and self._handoff.takes_over(turn.contact_id):
            turn.status = Message.FOR_STAFF
            if danger_signal(text):
                # Words of danger during a handoff raise the case to urgent (the hotline tells the person 999).
                turn.escalations.append({"priority": "urgent", "intent": "danger_during_handoff"})
            return None
        if word == MORE and turn.pending_pages:
            turn.contact_changes["pending_pages"] = _as_json(turn.pending_pages[1:])
            return turn.reply(turn.pending_pages[0], sender=Message.BOT)
        if not text:
            return turn.reply(notice("media_only" if turn.has_media else "empty", turn.form))
        payload = self._payload(word, text, turn.menu)
        if payload:
            return self._ask_bot(turn, payload)
        if self._handoff and withdraws(text) and self._handoff.withdraw(turn.contact_id):
            return turn.reply(notice("case_withdrawn", turn.form, **self._numbers()))
        # Triage decides, not the model alone: danger now gets the emergency answer and an urgent case at once.
        level, report_text = triage(text).level, None
        if level == DANGER_NOW:
            # The action reads the words of the report (e.g. unpaid wages: also where to complain).
            message, report_text = REPORT_ABUSE_PAYLOAD, _as_text(text, self._settings.max_message_chars)
        elif level == NO and self._names_listed_agency(text):
            # The registry is surer than the model about a name it never saw ("my son goes with Sharat Wings, they
            # want 4 lakh"): the person is told the agency's status first.
            message = CHECK_AGENCY_PAYLOAD + json.dumps({"agency_name": text[:MAX_AGENCY_QUERY_CHARS]})
        else:
            message = _as_text(text, self._settings.max_message_chars)
        return self._ask_bot(turn, message, level, country_in(text), report_text)

    def _names_listed_agency(self, text: str) -> bool:
        """True when the text surely names one agency of the licence list (by name; RL numbers go to the model)."""
        with self._sessions() as session:
            return classify(best_matches(session, [text[:MAX_AGENCY_QUERY_CHARS]])) == "one"

    @staticmethod
    def _payload(word: str | None, text: str, menu: list[str]) -> str | None:
        """The intent payload of a keyword or of a menu choice ("2" after a numbered menu), else None."""
        if word in INTENT_PAYLOADS:
            return INTENT_PAYLOADS[word]
        choice = latin_digits(text.strip().rstrip("."))
        if menu and choice.isdigit() and 1 <= int(choice) <= len(menu):
            return menu[int(choice) - 1]
        return None

    def _ask_bot(
        self,
        turn: Turn,
        message: str,
        level: str | None = None,
        country: str | None = None,
        report_text: str | None = None,
    ) -> None:
        if message.startswith("/"):
            # Rasa replaces the entities of an intent payload, metadata included: the form travels inside it.
            message = with_entities(message, language=turn.form)
        metadata = {"channel": turn.channel, "language": turn.form}
        metadata |= {"triage": level} if level else {}
        metadata |= {"country": country} if country else {}
        metadata |= {REPORT_TEXT: report_text} if report_text else {}
        try:
            replies = self._rasa.send(turn.pseudonym, message, metadata)
        except RasaUnavailableError as error:
            return self._bot_unavailable(turn, str(error))
        if not any(reply.text for reply in replies):
            # Every message gets an answer; none means a failed action (e.g. the action server is down).
            return self._bot_unavailable(turn, "the bot gave no answer")
        turn.escalations = [reply.custom["escalate"] for reply in replies if "escalate" in (reply.custom or {})]
        rendered = render(turn.channel, replies, turn.form, self._settings.sms_segment_budget)
        turn.replies, turn.sender = rendered.messages, Message.BOT
        if level == MAYBE or any((reply.custom or {}).get(CONFIRM_DANGER) for reply in replies):
            # Answered as a question; the person says whether it is happening now. A message of its own, so that
            # it is never behind MORE.
            turn.replies.append(Outgoing(notice("danger_confirm", turn.form)))
            turn.contact_changes["awaiting"] = AWAITING_DANGER
        turn.contact_changes.update(
            pending_pages=_as_json(rendered.pending_pages), menu_payloads=_as_json(rendered.menu)
        )
        return None

    def _bot_unavailable(self, turn: Turn, error: str) -> None:
        """Keep the message for the retry worker; the person hears once that the answer comes later."""
        attempts = turn.attempts + 1
        log.warning("bot unavailable for message %s (attempt %s): %s", turn.message_id, attempts, error)
        if attempts >= MAX_BOT_ATTEMPTS:
            turn.status, turn.reason = Message.FAILED, f"bot unavailable after {attempts} attempts: {error}"
            turn.reply(notice("gave_up", turn.form, **self._numbers()))
        else:
            turn.status, turn.reason = Message.PENDING, f"bot unavailable: {error}"
            turn.next_attempt_at = utcnow() + backoff(attempts)
            turn.reply(*([notice("service_down", turn.form)] if attempts == 1 else []))
        turn.attempts = attempts

    def _slow_down(self, turn: Turn) -> None:
        turn.ignore("rate limited")
        if not turn.rate_noticed_recently:
            turn.contact_changes["rate_noticed_at"] = utcnow()
            turn.reply(notice("too_fast", turn.form))

    def _erase(self, turn: Turn) -> None:
        """Erase the person's contact, messages and bot history, and confirm without keeping a trace."""
        self._eraser.erase_contact(turn.contact_id, turn.pseudonym)
        turn.erased = True
        turn.reply(notice("deleted", turn.form))

    def _numbers(self) -> dict[str, str]:
        return self._settings.hotline_numbers

    def _insert_inbound(self, inbound: InboundMessage, pseudonym: str) -> int:
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
                has_media=inbound.has_media,
                sender=Message.PERSON,
                status=Message.RECEIVED,
            )
            session.add(message)
            session.flush()
        metrics.INBOUND_MESSAGES.labels(inbound.channel).inc()
        return message.id

    def _is_stored(self, inbound: InboundMessage) -> bool:
        with self._sessions() as session:
            query = select(Message.id).where(
                Message.channel == inbound.channel, Message.external_id == inbound.external_id
            )
            return session.scalar(query) is not None

    def _claim(self, message_id: int) -> Turn | None:
        """Take the message for processing (only one process may) and read what the decision needs."""
        with transaction(self._sessions) as session:
            claimed = session.execute(
                update(Message)
                .where(Message.id == message_id, Message.status.in_(PROCESSABLE))
                .values(status=Message.PROCESSING, updated_at=utcnow())
            )
            if claimed.rowcount != 1:
                return None
            message = session.get(Message, message_id)
            contact = session.get(Contact, message.contact_id)
            recent = session.scalar(
                select(func.count(Message.id)).where(
                    Message.contact_id == contact.id,
                    Message.direction == Message.INBOUND,
                    Message.created_at >= message.created_at - RATE_WINDOW,
                    Message.id <= message.id,
                )
            )
            noticed = contact.rate_noticed_at
            window_start = as_utc(message.created_at) - RATE_WINDOW
            return Turn(
                message_id=message.id,
                contact_id=contact.id,
                channel=message.channel,
                address=self._vault.decrypt(contact.address_encrypted),
                pseudonym=contact.pseudonym,
                text=self._vault.decrypt(message.text_encrypted),
                has_media=message.has_media,
                preference=contact.language,
                opted_out=contact.opted_out,
                pending_pages=json.loads(contact.pending_pages) if contact.pending_pages else [],
                menu=json.loads(contact.menu_payloads) if contact.menu_payloads else [],
                awaiting=contact.awaiting,
                attempts=message.attempts,
                recent_inbound=recent,
                rate_noticed_recently=noticed is not None and as_utc(noticed) >= window_start,
            )

    def _save(self, turn: Turn) -> list[int]:
        """Store the decision in one transaction: the message's status, the contact's changes, the queued replies."""
        with transaction(self._sessions) as session:
            message = session.get(Message, turn.message_id)
            message.status, message.error = turn.status, turn.reason and turn.reason[:200]
            message.attempts, message.next_attempt_at = turn.attempts, turn.next_attempt_at
            contact = session.get(Contact, turn.contact_id)
            for name, value in turn.contact_changes.items():
                setattr(contact, name, value)
            return self._delivery.queue(
                session, turn.contact_id, turn.channel, turn.replies, turn.sender, reply_to_id=turn.message_id
            )


def _as_json(items: list[str] | None) -> str | None:
    return json.dumps(items) if items else None


def _as_text(text: str, max_chars: int) -> str:
    """The person's words as Rasa should read them: never as an intent ("/report_abuse"), at most max_chars."""
    return text.lstrip("/ ").strip()[:max_chars] or "?"


def with_entities(payload: str, **entities: str) -> str:
    """An intent payload ("/ask_menu", '/check_agency{"agency_name": "x"}') with more entities in its JSON."""
    intent, brace, rest = payload.partition("{")
    known = json.loads(brace + rest) if brace else {}
    return intent + json.dumps({**known, **entities})
