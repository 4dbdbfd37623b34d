"""Tables of the service: contacts (by pseudonym), their messages, recruiting agencies, hotline cases and staff."""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import declarative_base, relationship

Base = declarative_base()


def utcnow() -> datetime:
    """Current time in UTC, as stored in every timestamp column."""
    return datetime.now(timezone.utc)


def as_utc(moment: datetime) -> datetime:
    """A stored timestamp as an aware UTC datetime (SQLite returns naive ones, PostgreSQL aware ones)."""
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


class Contact(Base):
    """A person on one channel; the address is encrypted, the pseudonym is what everything else uses."""

    __tablename__ = "contacts"

    id = Column(Integer, primary_key=True)
    channel = Column(String(20), nullable=False)
    pseudonym = Column(String(64), nullable=False, unique=True)
    address_encrypted = Column(Text, nullable=False)
    language = Column(String(10))
    opted_out = Column(Boolean, nullable=False, default=False)
    # The rest of a reply cut into SMS pages, sent one by one when the person writes MORE (JSON list).
    pending_pages = Column(Text)
    # Payloads of the last numbered menu sent by SMS or WhatsApp (JSON list): a digit reply picks one.
    menu_payloads = Column(Text)
    # A question the gateway asked and waits for, e.g. "delete" after DELETE.
    awaiting = Column(String(20))
    # When the person was last told they write too fast (one notice per flood).
    rate_noticed_at = Column(DateTime(timezone=True))
    # A counsellor paused the bot for this person by hand: messages go to staff until resumed.
    bot_paused = Column(Boolean, nullable=False, default=False)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    updated_at = Column(DateTime(timezone=True), nullable=False, default=utcnow, onupdate=utcnow)

    messages = relationship("Message", back_populates="contact", cascade="all, delete-orphan")


class Message(Base):
    """One inbound or outbound message; inbound ones are stored before they are processed."""

    __tablename__ = "messages"
    __table_args__ = (
        UniqueConstraint("channel", "external_id", name="uq_messages_channel_external_id"),
        Index("ix_messages_status_next_attempt_at", "status", "next_attempt_at"),
    )

    INBOUND = "in"
    OUTBOUND = "out"
    RECEIVED = "received"
    ANSWERED = "answered"
    UNANSWERED = "unanswered"
    SENT = "sent"
    IGNORED = "ignored"
    PENDING = "pending"  # inbound: waiting for the bot (retried by the worker)
    QUEUED = "queued"  # outbound: waiting to be sent through the channel's API
    SENDING = "sending"  # outbound: claimed by one sender, so no other sends it again
    FAILED = "failed"  # gave up, with the reason in `error`
    PROCESSING = "processing"  # inbound: claimed by one process that is asking the bot
    FOR_STAFF = "for_staff"  # inbound: a counsellor handles this person, the bot stays silent
    HELD = "held"  # outbound: a counsellor's reply kept until the person writes (outside the WhatsApp window)

    PERSON = "person"
    BOT = "bot"
    STAFF = "staff"
    GATEWAY = "gateway"

    id = Column(Integer, primary_key=True)
    contact_id = Column(Integer, ForeignKey("contacts.id", ondelete="CASCADE"), nullable=False, index=True)
    direction = Column(String(3), nullable=False)
    channel = Column(String(20), nullable=False)
    text_encrypted = Column(Text, nullable=False)
    external_id = Column(String(64))
    reply_to_id = Column(Integer, ForeignKey("messages.id", ondelete="CASCADE"))
    status = Column(String(20), nullable=False)
    error = Column(String(200))
    # Who wrote it: the person, the bot, a counsellor (staff) or the gateway itself (keyword notices).
    sender = Column(String(10), nullable=False, default=PERSON)
    attempts = Column(Integer, nullable=False, default=0)
    next_attempt_at = Column(DateTime(timezone=True))
    # Buttons of an outbound message for channels that show them (JSON list of [title, payload]).
    buttons = Column(Text)
    # An inbound message that came with a picture or voice note; its text may be empty.
    has_media = Column(Boolean, nullable=False, default=False)
    # Outbound: what the channel reports (bot.channels.delivery_status), and its error code or description.
    delivery_status = Column(String(20))
    delivery_error = Column(String(100))
    # Outbound: sent as the channel's approved template (WhatsApp outside its 24-hour window); the text is its words.
    as_template = Column(Boolean, nullable=False, default=False)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow, index=True)
    updated_at = Column(DateTime(timezone=True), nullable=False, default=utcnow, onupdate=utcnow)

    contact = relationship("Contact", back_populates="messages")


class Agency(Base):
    """A recruiting agency of the official licence list (BMET), found by its RL number or by its name."""

    __tablename__ = "agencies"
    __table_args__ = (
        CheckConstraint("status IN ('valid', 'expired', 'suspended', 'cancelled')", name="ck_agencies_status"),
    )

    STATUSES = ("valid", "expired", "suspended", "cancelled")

    id = Column(Integer, primary_key=True)
    # Canonical form "RL-1234" (see bot.topics.registry.normalise_license), so every spelling finds the same row.
    license_number = Column(String(20), nullable=False, unique=True, index=True)
    name = Column(String(200), nullable=False)
    name_bn = Column(String(200))
    address = Column(String(300), nullable=False)
    district = Column(String(50), nullable=False)
    phone = Column(String(40))
    status = Column(String(20), nullable=False)
    license_expiry = Column(Date)
    source = Column(String(200), nullable=False)
    name_key = Column(String(200), nullable=False, index=True)
    # The official list is sometimes incomplete, so an agency absent from an import is flagged, never deleted.
    missing_from_last_import = Column(Boolean, nullable=False, default=False)
    # Indexed because the newest updated_at tells the name search whether its in-memory index is still current.
    updated_at = Column(DateTime(timezone=True), nullable=False, default=utcnow, onupdate=utcnow, index=True)


class RegistryImport(Base):
    """One import of the licence list: when, how many rows, and whether it was the sample file."""

    __tablename__ = "registry_imports"

    id = Column(Integer, primary_key=True)
    imported_at = Column(DateTime(timezone=True), nullable=False, default=utcnow, index=True)
    rows = Column(Integer, nullable=False)
    sample = Column(Boolean, nullable=False, default=False)


class LoginFailure(Base):
    """One failed console login: keyed hashes of the address and of the username typed, and when."""

    __tablename__ = "login_failures"

    id = Column(Integer, primary_key=True)
    address_key = Column(String(32), nullable=False, index=True)
    username_key = Column(String(32), nullable=False)
    at = Column(DateTime(timezone=True), nullable=False, index=True)


class StaffUser(Base):
    """A counsellor or admin of the hotline console; the password is stored as a salted scrypt hash."""

    __tablename__ = "staff_users"
    __table_args__ = (CheckConstraint("role IN ('counsellor', 'admin')", name="ck_staff_users_role"),)

    COUNSELLOR = "counsellor"
    ADMIN = "admin"
    ROLES = (COUNSELLOR, ADMIN)

    id = Column(Integer, primary_key=True)
    username = Column(String(64), nullable=False, unique=True)
    password_hash = Column(String(200), nullable=False)
    role = Column(String(20), nullable=False)
    active = Column(Boolean, nullable=False, default=True)
    last_login_at = Column(DateTime(timezone=True))
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)


class Case(Base):
    """A hotline case: one person's escalated conversation, from opening to resolution."""

    __tablename__ = "cases"
    __table_args__ = (
        CheckConstraint("priority IN ('urgent', 'high', 'normal')", name="ck_cases_priority"),
        CheckConstraint("status IN ('open', 'assigned', 'resolved')", name="ck_cases_status"),
        Index("ix_cases_status_opened_at", "status", "opened_at"),
    )

    URGENT = "urgent"
    HIGH = "high"
    NORMAL = "normal"
    PRIORITIES = (URGENT, HIGH, NORMAL)  # most pressing first
    OPEN = "open"
    ASSIGNED = "assigned"
    RESOLVED = "resolved"
    # Outcomes; a resolved case without one was closed without saying how.
    FALSE_ALARM = "false_alarm"
    ERASED = "erased"  # the person erased their data (DELETE): the case keeps only that line
    # Signals the bot raises by itself (not a person asking for a counsellor): the person may withdraw them.
    AUTOMATIC_INTENTS = ("action_report_abuse", "danger_during_handoff", "action_assess_risk")

    id = Column(Integer, primary_key=True)
    contact_id = Column(Integer, ForeignKey("contacts.id", ondelete="CASCADE"), nullable=False, index=True)
    # Equal to contact_id while the case is not resolved, NULL after: the unique constraint allows one open case
    # per person even when two messages escalate at the same moment.
    open_contact_id = Column(Integer, unique=True)
    priority = Column(String(10), nullable=False)
    status = Column(String(10), nullable=False, default=OPEN)
    channel = Column(String(20), nullable=False)
    language = Column(String(10))
    # The action or signal that opened the case (action_report_abuse, action_assess_risk, ...).
    intent = Column(String(64), nullable=False)
    # The person's message that opened the case: the transcript starts there.
    trigger_message_id = Column(Integer, ForeignKey("messages.id", ondelete="SET NULL"))
    # Extracted facts (country, agency, self-check flags) as encrypted JSON.
    facts_encrypted = Column(Text)
    assigned_to_id = Column(Integer, ForeignKey("staff_users.id", ondelete="SET NULL"))
    opened_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    first_reply_at = Column(DateTime(timezone=True))
    resolved_at = Column(DateTime(timezone=True))
    outcome = Column(String(20))
    # When a counsellor saved the case's types and indicators; until then the page proposes them (case_types.py).
    classified_at = Column(DateTime(timezone=True))
    # Contact the person again then: from that time the case is at the top of the queue, resolved or not.
    follow_up_at = Column(DateTime(timezone=True), index=True)

    contact = relationship("Contact")
    assigned_to = relationship("StaffUser")

    def close(self, outcome: str | None = None) -> None:
        """Resolve the case now, with its outcome; the person may have a new case from then on."""
        self.status, self.resolved_at, self.outcome, self.open_contact_id = self.RESOLVED, utcnow(), outcome, None


class CaseNote(Base):
    """A counsellor's private note on a case, encrypted like everything people said."""

    __tablename__ = "case_notes"

    id = Column(Integer, primary_key=True)
    case_id = Column(Integer, ForeignKey("cases.id", ondelete="CASCADE"), nullable=False, index=True)
    staff_id = Column(Integer, ForeignKey("staff_users.id", ondelete="SET NULL"))
    text_encrypted = Column(Text, nullable=False)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)

    staff = relationship("StaffUser")


class CaseLabel(Base):
    """A type of a case (wage theft, ...) or an ILO forced-labour indicator a counsellor saw in it."""

    __tablename__ = "case_labels"
    __table_args__ = (CheckConstraint("kind IN ('type', 'indicator')", name="ck_case_labels_kind"),)

    TYPE = "type"
    INDICATOR = "indicator"

    case_id = Column(Integer, ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True)
    kind = Column(String(10), primary_key=True)
    code = Column(String(40), primary_key=True)


class ReferralPartner(Base):
    """An organisation counsellors refer people to (BMET, a shelter...); admins edit the list, never delete."""

    __tablename__ = "referral_partners"

    id = Column(Integer, primary_key=True)
    name = Column(String(80), nullable=False, unique=True)
    active = Column(Boolean, nullable=False, default=True)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)


class Referral(Base):
    """A referral of a case's person to a partner; its note is a case note, so erasure removes it with the notes."""

    __tablename__ = "referrals"
    __table_args__ = (CheckConstraint("status IN ('made', 'accepted', 'closed')", name="ck_referrals_status"),)

    MADE = "made"
    ACCEPTED = "accepted"
    CLOSED = "closed"
    STATUSES = (MADE, ACCEPTED, CLOSED)

    id = Column(Integer, primary_key=True)
    case_id = Column(Integer, ForeignKey("cases.id", ondelete="CASCADE"), nullable=False, index=True)
    partner_id = Column(Integer, ForeignKey("referral_partners.id"), nullable=False)
    status = Column(String(10), nullable=False, default=MADE)
    referred_on = Column(Date, nullable=False)
    note_id = Column(Integer, ForeignKey("case_notes.id", ondelete="SET NULL"))
    staff_id = Column(Integer, ForeignKey("staff_users.id", ondelete="SET NULL"))
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    updated_at = Column(DateTime(timezone=True), nullable=False, default=utcnow, onupdate=utcnow)

    partner = relationship("ReferralPartner")
    note = relationship("CaseNote")


class AuditEntry(Base):
    """One thing a staff member did or tried in the console (views, reveals, replies, logins...)."""

    __tablename__ = "audit_log"
    # The queue's unread marker: the latest view of each case (bot.hotline.casefile).
    __table_args__ = (Index("ix_audit_log_case_id_action_created_at", "case_id", "action", "created_at"),)

    id = Column(Integer, primary_key=True)
    staff_id = Column(Integer, ForeignKey("staff_users.id", ondelete="SET NULL"), index=True)
    action = Column(String(30), nullable=False)
    case_id = Column(Integer, ForeignKey("cases.id", ondelete="SET NULL"))
    detail = Column(String(200))
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow, index=True)

    staff = relationship("StaffUser")
