"""Alembic environment: runs migrations against the URL given by bot.db.upgrade_schema."""

from alembic import context
from sqlalchemy import create_engine

from bot.models import Base

config = context.config


def run_migrations_online() -> None:
    """Run every pending migration in one transaction."""
    engine = create_engine(config.get_main_option("sqlalchemy.url"), future=True)
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


run_migrations_online()
