"""Alembic migrations build exactly the schema the models describe."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from bot.models import Base


def ours(name, type_, _parent_names) -> bool:
    """Only the service's own tables: on PostgreSQL, Rasa's tracker tables share the database."""
    return type_ != "table" or name in Base.metadata.tables


def test_migrated_schema_matches_the_models(settings, engine):
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"include_name": ours})
        differences = compare_metadata(context, Base.metadata)
    assert differences == []
