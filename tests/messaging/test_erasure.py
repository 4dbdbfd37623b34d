"""Erasure (DELETE, then YES): both stores end clean, a failure can be retried, a counsellor sees the case closed."""

from __future__ import annotations

import asyncio
import uuid
from datetime import date

import pytest
from sqlalchemy import func, select

from bot.db import make_session_factory, transaction
from bot.hotline.referrals import Referrals
from bot.messaging.erasure import ERASED_NOTE, Eraser
from bot.models import Case, CaseNote, Contact, Message, Referral, ReferralPartner, StaffUser
from tests.conftest import tracker_query
from tests.console_client import add_staff
from tests.rasa_addons.test_tracker_store import conversation, store  # noqa: F401 (a fixture)


@pytest.fixture
def eraser(engine, vault, settings) -> Eraser:
    return Eraser(make_session_factory(engine), vault, settings.tracker_database_url)


def person_with(engine, vault, store, open_case: bool) -> tuple[int, str]:  # noqa: F811
    """A contact with two messages, Rasa events and (optionally) an open urgent case with a note; returns its ids."""
    pseudonym = f"erase-{uuid.uuid4().hex[:10]}"
    with transaction(make_session_factory(engine)) as session:
        contact = Contact(channel="sms", pseudonym=pseudonym, address_encrypted=vault.encrypt("+8801711999999"))
        session.add(contact)
        session.flush()
        for words in ("they took my passport", "help"):
            session.add(Message(contact_id=contact.id, direction="in", channel="sms", status="answered",
                                text_encrypted=vault.encrypt(words)))  # fmt: skip
        if open_case:
            facts = vault.encrypt('{"country": "saudi_arabia"}')
            case = Case(contact_id=contact.id, open_contact_id=contact.id, priority=Case.URGENT, channel="sms",
                        intent="action_report_abuse", facts_encrypted=facts)  # fmt: skip
            session.add(case)
            session.flush()
            session.add(CaseNote(case_id=case.id, text_encrypted=vault.encrypt("called her brother")))
        contact_id = contact.id
    asyncio.run(store.save(conversation(pseudonym)))
    return contact_id, pseudonym


def events_of(settings, pseudonym: str) -> int:
    return tracker_query(settings, "SELECT count(*) FROM events WHERE sender_id = :s", s=pseudonym)[0][0]


def test_a_person_without_cases_is_gone_from_both_stores(eraser, engine, vault, store, settings):  # noqa: F811
    contact_id, pseudonym = person_with(engine, vault, store, open_case=False)
    eraser.erase_contact(contact_id, pseudonym)
    with make_session_factory(engine)() as session:
        assert session.get(Contact, contact_id) is None
        assert session.scalar(select(func.count(Message.id)).where(Message.contact_id == contact_id)) == 0
    assert events_of(settings, pseudonym) == 0


def test_an_open_case_is_closed_with_a_line_for_the_counsellor_and_keeps_nothing_of_the_person(
    eraser,
    engine,
    vault,
    store,  # noqa: F811
    settings,
):
    contact_id, pseudonym = person_with(engine, vault, store, open_case=True)
    eraser.erase_contact(contact_id, pseudonym)
    with make_session_factory(engine)() as session:
        case = session.scalar(select(Case).where(Case.contact_id == contact_id))
        assert case.status == Case.RESOLVED and case.outcome == Case.ERASED and case.open_contact_id is None
        assert case.facts_encrypted is None
        notes = [vault.decrypt(note.text_encrypted) for note in session.scalars(select(CaseNote))]
        assert notes == [ERASED_NOTE]
        contact = session.get(Contact, contact_id)
        assert contact.pseudonym != pseudonym and vault.decrypt(contact.address_encrypted) == ""
        assert session.scalar(select(func.count(Message.id)).where(Message.contact_id == contact_id)) == 0
    assert events_of(settings, pseudonym) == 0


def test_referrals_keep_their_partner_status_and_date_but_lose_their_notes(
    eraser,
    engine,
    vault,
    store,  # noqa: F811
    settings,
):
    contact_id, pseudonym = person_with(engine, vault, store, open_case=True)
    add_staff(engine, "rina", "counsellor")
    sessions = make_session_factory(engine)
    with transaction(sessions) as session:
        staff_id = session.scalar(select(StaffUser.id).where(StaffUser.username == "rina"))
        case_id = session.scalar(select(Case.id).where(Case.contact_id == contact_id))
        partner = ReferralPartner(name="Legal aid", active=True)
        session.add(partner)
        session.flush()
        partner_id = partner.id
    referrals = Referrals(sessions, vault)
    referrals.refer(case_id, staff_id, partner_id, Referral.ACCEPTED, date(2026, 11, 3), "her sister Amina in Riyadh")
    referrals.refer(case_id, staff_id, partner_id, Referral.MADE, date(2026, 11, 4), "")
    eraser.erase_contact(contact_id, pseudonym)
    with sessions() as session:
        kept = session.execute(
            select(Referral.partner_id, Referral.status, Referral.referred_on, Referral.staff_id, Referral.note_id)
            .where(Referral.case_id == case_id)
            .order_by(Referral.id)
        ).all()
        notes = [vault.decrypt(note.text_encrypted) for note in session.scalars(select(CaseNote))]
    assert [tuple(row) for row in kept] == [
        (partner_id, Referral.ACCEPTED, date(2026, 11, 3), staff_id, None),
        (partner_id, Referral.MADE, date(2026, 11, 4), staff_id, None),
    ]
    assert notes == [ERASED_NOTE]


def test_a_failure_half_way_leaves_a_request_that_a_retry_completes(
    eraser,
    engine,
    vault,
    store,  # noqa: F811
    settings,
    monkeypatch,
):
    contact_id, pseudonym = person_with(engine, vault, store, open_case=True)

    def database_gone(*_args):
        raise ConnectionError("database went away")

    monkeypatch.setattr(Eraser, "_leave_cases_without_the_person", database_gone)
    with pytest.raises(ConnectionError):
        eraser.erase_contact(contact_id, pseudonym)
    with make_session_factory(engine)() as session:
        # Nothing of the application's part happened: the person's words are still where a retry will find them.
        assert session.scalar(select(func.count(Message.id)).where(Message.contact_id == contact_id)) == 2
    if settings.database_url == settings.tracker_database_url:
        assert events_of(settings, pseudonym) > 0  # one transaction on PostgreSQL: the events came back too
    monkeypatch.undo()
    eraser.erase_contact(contact_id, pseudonym)
    assert events_of(settings, pseudonym) == 0
    with make_session_factory(engine)() as session:
        assert session.scalar(select(Case.outcome).where(Case.contact_id == contact_id)) == Case.ERASED
