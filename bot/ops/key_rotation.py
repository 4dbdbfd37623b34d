"""`python -m bot keys rotate`: re-encrypt every stored secret under the newest key, in batches, resumable.

The service's encrypted columns are re-encrypted with ENCRYPTION_KEYS, Rasa's tracker events with
TRACKER_ENCRYPTION_KEYS (events stored in clear before the encrypting tracker store are encrypted). Each batch is
committed on its own and rows already under the newest key are skipped, so a rotation that was stopped resumes
where it was when started again. docs/keys.md says when to drop the old key.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cached_property

import sqlalchemy as sa
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from sqlalchemy.engine import Engine

from bot.db import make_engine
from bot.settings import Settings
from bot.vault import is_plain_json, multi_fernet

BATCH_SIZE = 500
# (table, encrypted column) of the application database; Rasa's events are handled apart (another database on SQLite).
SERVICE_COLUMNS = (
    ("contacts", "address_encrypted"),
    ("messages", "text_encrypted"),
    ("cases", "facts_encrypted"),
    ("case_notes", "text_encrypted"),
)
TRACKER_COLUMN = ("events", "data")


@dataclass(frozen=True)
class KeyRing:
    """Fernet keys, newest first: re-encrypts a stored value under the newest one."""

    keys: tuple[str, ...]

    @cached_property
    def _every_key(self) -> MultiFernet:
        return multi_fernet(self.keys, "the keys")

    @cached_property
    def _newest(self) -> Fernet:
        return Fernet(self.keys[0].strip().encode())

    def rekeyed(self, stored: str) -> str | None:
        """The value under the newest key, or None when it already is; values in clear ("{...}") get encrypted."""
        if is_plain_json(stored):
            return self._newest.encrypt(stored.encode("utf-8")).decode("ascii")
        try:
            self._newest.decrypt(stored.encode("ascii"))
            return None
        except InvalidToken:
            return self._every_key.rotate(stored.encode("ascii")).decode("ascii")


def batches(engine: Engine, table: str, column: str, size: int) -> Iterator[list[tuple[int, str]]]:
    """The (id, value) rows of a column in id order, `size` at a time; NULLs skipped."""
    rows = sa.table(table, sa.column("id"), sa.column(column))
    last_id = 0
    while True:
        query = (
            sa.select(rows.c.id, rows.c[column])
            .where(rows.c.id > last_id, rows.c[column].is_not(None))
            .order_by(rows.c.id)
            .limit(size)
        )
        with engine.connect() as connection:
            batch = [(row[0], row[1]) for row in connection.execute(query)]
        if not batch:
            return
        yield batch
        last_id = batch[-1][0]


def rekey_column(engine: Engine, table: str, column: str, ring: KeyRing, size: int = BATCH_SIZE) -> int:
    """Re-encrypt one column batch by batch (one transaction each); returns how many rows changed."""
    if not sa.inspect(engine).has_table(table):
        return 0
    rows = sa.table(table, sa.column("id"), sa.column(column))
    changed = 0
    for batch in batches(engine, table, column, size):
        updates = [{"row_id": row_id, "value": new} for row_id, value in batch if (new := ring.rekeyed(value))]
        if updates:
            statement = (
                sa.update(rows).where(rows.c.id == sa.bindparam("row_id")).values({column: sa.bindparam("value")})
            )
            with engine.begin() as connection:
                connection.execute(statement, updates)
        changed += len(updates)
    return changed


def rotate_all(settings: Settings, report: Callable[[str], None], size: int = BATCH_SIZE) -> int:
    """Rotate the service's columns and Rasa's events; returns the number of rows re-encrypted."""
    service, tracker = make_engine(settings.database_url), make_engine(settings.tracker_database_url)
    total = 0
    try:
        for table, column in SERVICE_COLUMNS:
            count = rekey_column(service, table, column, KeyRing(settings.encryption_keys), size)
            report(f"{table}.{column}: {count} rows re-encrypted")
            total += count
        count = rekey_column(tracker, *TRACKER_COLUMN, KeyRing(settings.tracker_encryption_keys), size)
        report(f"Rasa tracker events: {count} rows re-encrypted")
        return total + count
    finally:
        service.dispose()
        tracker.dispose()


def add_parser(commands: argparse._SubParsersAction) -> None:
    """Register the `keys` command and its `rotate` subcommand."""
    keys = commands.add_parser("keys", help="encryption keys")
    actions = keys.add_subparsers(dest="keys_command", required=True)
    rotate = actions.add_parser("rotate", help="re-encrypt every stored secret under the newest key (resumable)")
    rotate.add_argument("--batch-size", type=int, default=BATCH_SIZE)


def run(settings: Settings, args: argparse.Namespace) -> int:
    """Rotate and print what changed; a wrong key stops with a message, having committed the batches before it."""
    try:
        total = rotate_all(settings, print, args.batch_size)
    except (InvalidToken, ValueError) as error:
        print(f"error: a stored value could not be decrypted with any configured key ({error!r})", file=sys.stderr)
        return 1
    print(f"done: {total} rows re-encrypted under the newest key")
    return 0
