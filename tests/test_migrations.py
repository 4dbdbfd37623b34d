"""Alembic migrations build exactly the schema the models describe, on an empty database and from the last release."""

from datetime import datetime, timezone

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import select, text

from bot.db import alembic_config, make_engine, make_session_factory, upgrade_schema
from bot.models import Agency, Base, Contact, Message, ReferralPartner, RegistryImport
from tests.scratch_postgres import scratch_database

# The schema of the previous release; its databases must upgrade to head with their rows intact.
PREVIOUS_RELEASE = "0003"
NOW = datetime(2026, 11, 1, 12, 0, tzinfo=timezone.utc)


def ours(name, type_, _parent_names) -> bool:
    """Only the service's own tables: on PostgreSQL, Rasa's tracker tables share the database."""
    return type_ != "table" or name in Base.metadata.tables


def test_migrated_schema_matches_the_models(settings, engine):
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"include_name": ours})
        differences = compare_metadata(context, Base.metadata)
    assert differences == []


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database_url(request, tmp_path):
    """The URL of an empty database of each kind the service runs on."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        return
    with scratch_database("migrations") as url:
        yield url


def test_migrations_run_forward_on_an_empty_database(empty_database_url):
    upgrade_schema(empty_database_url)
    engine = make_engine(empty_database_url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection)
            assert (
                context.get_current_revision()
                == ScriptDirectory.from_config(alembic_config(empty_database_url)).get_current_head()
            )
            assert compare_metadata(context, Base.metadata) == []
        with make_session_factory(engine)() as session:
            partners = session.scalars(select(ReferralPartner.name).where(ReferralPartner.active.is_(True))).all()
        assert len(partners) == 6 and "BMET" in partners
    finally:
        engine.dispose()


def test_a_database_of_the_previous_release_keeps_its_data(empty_database_url):
    upgrade_schema(empty_database_url, PREVIOUS_RELEASE)
    engine = make_engine(empty_database_url)
    try:
        with engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO contacts (id, channel, pseudonym, address_encrypted, language, opted_out,"
                    " pending_pages, created_at, updated_at) VALUES"
                    " (1, 'sms', 'p-old', 'encrypted-address', 'bn', false, '[\"page 2\"]', :now, :now)"
                ),
                {"now": NOW},
            )
            connection.execute(
                text(
                    "INSERT INTO messages (id, contact_id, direction, channel, text_encrypted, external_id, status,"
                    " created_at, updated_at) VALUES"
                    " (1, 1, 'in', 'sms', 'encrypted-question', 'SM1', 'answered', :now, :now),"
                    " (2, 1, 'out', 'sms', 'encrypted-answer', NULL, 'sent', :now, :now)"
                ),
                {"now": NOW},
            )
            connection.execute(
                text(
                    "INSERT INTO agencies (license_number, name, address, district, status, source, name_key,"
                    " missing_from_last_import, updated_at) VALUES"
                    " ('RL-1234', 'Al Noor Overseas', 'Naya Paltan', 'Dhaka', 'valid', 'BMET', 'al noor', false, :now)"
                ),
                {"now": NOW},
            )
        upgrade_schema(empty_database_url)
        with make_session_factory(engine)() as session:
            contact = session.get(Contact, 1)
            assert (contact.pseudonym, contact.language, contact.pending_pages) == ("p-old", "bn", '["page 2"]')
            assert contact.menu_payloads is None and contact.awaiting is None
            messages = session.scalars(select(Message).order_by(Message.id)).all()
            assert [(m.text_encrypted, m.status, m.sender, m.attempts) for m in messages] == [
                ("encrypted-question", "answered", "person", 0),
                ("encrypted-answer", "sent", "person", 0),
            ]
            assert session.scalar(select(Agency.name).where(Agency.license_number == "RL-1234")) == "Al Noor Overseas"
            [listed] = session.scalars(select(RegistryImport)).all()
            assert (listed.imported_at.replace(tzinfo=timezone.utc), listed.rows, listed.sample) == (NOW, 1, False)
    finally:
        engine.dispose()
