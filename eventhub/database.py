"""Database plumbing shared by every domain: column types, SQLite pragmas, helpers."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Engine

from eventhub.extensions import db

# Set while a ``write_transaction`` is open, so the SQLite ``begin`` hook takes the
# write lock at BEGIN instead of at the first write.
_immediate: ContextVar[bool] = ContextVar("sqlite_immediate", default=False)

T = TypeVar("T")
LOCK_ATTEMPTS = 3


class UTCDateTime(sa.types.TypeDecorator):
    """A timezone-aware datetime stored as UTC.

    SQLite has no timezone type; storing naive UTC and tagging it on the way out keeps
    both backends identical for the code above.
    """

    impl = sa.DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        """Refuse naive datetimes and normalise aware ones to naive UTC."""
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        """Tag the stored value as UTC."""
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


def utcnow() -> datetime:
    """Now, timezone-aware, in UTC."""
    return datetime.now(UTC)


def is_sqlite(engine: Engine | None = None) -> bool:
    """Whether the (default) engine talks to SQLite."""
    return (engine or db.engine).dialect.name == "sqlite"


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record):
    """WAL, busy timeout and foreign keys on every new SQLite connection.

    Done on a cursor: Python 3.11's sqlite3 has no ``autocommit`` attribute, which the
    SQLAlchemy recipe reads.
    """
    module = type(dbapi_connection).__module__
    if not module.startswith("sqlite3"):
        return
    # pysqlite's own BEGIN handling is bypassed so that ``_sqlite_begin`` decides.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    for pragma in (
        # Deleted rows are overwritten, not just unlinked: an erasure erases the bytes.
        "secure_delete=ON",
        "journal_mode=WAL",
        "busy_timeout=5000",
        "foreign_keys=ON",
        "synchronous=NORMAL",
    ):
        cursor.execute(f"PRAGMA {pragma}")
    cursor.close()


def create_private_sqlite_file(url: str) -> None:
    """Create the SQLite file of ``url`` readable by its owner only, if it is missing.

    SQLite would create it with the process's umask (usually readable by all); its
    ``-wal`` and ``-shm`` files take the database file's permissions.
    """
    parsed = sa.engine.make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return
    path = Path(parsed.database)
    if not path.exists():
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))


def checkpoint_erasure() -> None:
    """Copy SQLite's write-ahead log into the database and empty it after an erasure.

    With ``secure_delete`` the database file keeps no erased bytes, but the ``-wal``
    file still holds the pages as they were before the erasure until a checkpoint
    copies the log back and truncates it. Nothing to do on PostgreSQL (see SECURITY.md).
    """
    if not is_sqlite():
        return
    raw = db.engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        cursor.close()
    finally:
        raw.close()


@event.listens_for(Engine, "begin")
def _sqlite_begin(conn):
    """Open SQLite transactions ourselves: IMMEDIATE inside ``write_transaction``."""
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("BEGIN IMMEDIATE" if _immediate.get() else "BEGIN")


@contextmanager
def write_transaction() -> Iterator[None]:
    """A transaction that cannot interleave with another writer's.

    On SQLite it begins IMMEDIATE (the database write lock is taken before anything is
    read); on PostgreSQL the caller still locks the rows it decides on
    (``with_for_update()``) or uses a conditional ``UPDATE … WHERE``. What the session
    held before is committed first, so that it is never tied to the block's fate (and
    the block reads afresh what was read before); the block is committed on success and
    rolled back on any exception.
    """
    db.session.commit()
    token = _immediate.set(True)
    try:
        yield
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    finally:
        _immediate.reset(token)


def serialised(work: Callable[[], T]) -> T:
    """``work()`` inside ``write_transaction``; retried if SQLite's busy timeout expired.

    Under a burst, BEGIN IMMEDIATE can wait longer than the busy timeout; it then fails
    before anything was done, so trying again is safe.
    """
    for attempt in range(1, LOCK_ATTEMPTS + 1):
        try:
            with write_transaction():
                return work()
        except sa.exc.OperationalError as exc:
            # SQLite's busy wait expired at BEGIN IMMEDIATE: nothing was done yet.
            if attempt == LOCK_ATTEMPTS or "database is locked" not in str(exc.orig):
                raise
    raise AssertionError("unreachable")
