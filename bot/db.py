"""Database engine and sessions (SQLAlchemy 1.4 in 2.0 style), and schema upgrades through Alembic."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import QueuePool

MIGRATIONS_PATH = Path(__file__).resolve().parent / "migrations"


def make_engine(database_url: str) -> Engine:
    """Create an engine; SQLite files get their folder, a busy timeout, foreign keys and a connection pool."""
    if database_url.startswith("sqlite:///"):
        Path(database_url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        # SQLAlchemy 1.4 opens a new SQLite connection per session by default (NullPool); pooling them, as 2.0 does,
        # takes a connection and its pragmas off every request. Pooled connections move between threads.
        engine = create_engine(
            database_url,
            future=True,
            poolclass=QueuePool,
            connect_args={"timeout": 15, "check_same_thread": False},
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(database_url, future=True, pool_pre_ping=True)


def _sqlite_pragmas(connection, _record) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


def make_session_factory(engine: Engine) -> sessionmaker:
    """Return a session factory bound to the engine."""
    return sessionmaker(engine, future=True, expire_on_commit=False)


@contextmanager
def transaction(factory: sessionmaker) -> Iterator[Session]:
    """Yield a session that commits on success and rolls back on any error."""
    with factory() as session, session.begin():
        yield session


def alembic_config(database_url: str):
    """Alembic's configuration for the service's migrations on the given database."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_PATH))
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def upgrade_schema(database_url: str, revision: str = "head") -> None:
    """Bring the database schema to the given Alembic revision (the newest by default)."""
    from alembic import command

    command.upgrade(alembic_config(database_url), revision)


@contextmanager
def command_sessions(database_url: str) -> Iterator[sessionmaker]:
    """For command-line tools: upgrade the schema, yield a session factory, dispose of its engine afterwards."""
    upgrade_schema(database_url)
    engine = make_engine(database_url)
    try:
        yield make_session_factory(engine)
    finally:
        engine.dispose()
