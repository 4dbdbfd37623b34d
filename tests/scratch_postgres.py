"""A PostgreSQL database of its own for one test, created and dropped like scripts/with-postgres-db.sh does."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import create_engine, text

SERVER_URL = os.environ.get("POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432")


def _run(statement: str) -> None:
    engine = create_engine(f"{SERVER_URL}/postgres", future=True, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(text(statement))
    finally:
        engine.dispose()


@contextmanager
def scratch_database(purpose: str) -> Iterator[str]:
    """Yield the URL of a new empty database; drop it afterwards, whatever still holds a connection."""
    name = f"safemig_{purpose}_{uuid.uuid4().hex[:12]}"
    _run(f"CREATE DATABASE {name}")
    try:
        yield f"{SERVER_URL}/{name}"
    finally:
        _run(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
