"""Database plumbing shared by every domain: column types, SQLite pragmas, helpers."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Engine

from eventhub.extensions import db

# Set while a ``write_transaction`` is open, so the SQLite ``begin`` hook takes the
# write lock at BEGIN instead of at the first write.
_immediate: ContextVar[bool] = ContextVar("sqlite_immediate", default=False)


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


def _send(driver_connection, sql: str) -> None:
    """Run ``sql`` on SQLite's driver connection, skipping SQLAlchemy's statement
    bookkeeping (which would double the cost of a BEGIN or COMMIT); a failure comes out
    as SQLAlchemy's error, as from ``exec_driver_sql``, so that callers recognise an
    expired busy wait ("database is locked") and try again."""
    try:
        driver_connection.execute(sql)
    except sqlite3.Error as exc:
        raise sa.exc.DBAPIError.instance(sql, None, exc, sqlite3.Error) from exc


@event.listens_for(Engine, "begin")
def _sqlite_begin(conn):
    """Open SQLite transactions ourselves: IMMEDIATE inside ``write_transaction``."""
    if conn.dialect.name == "sqlite":
        _send(conn.connection.driver_connection,
              "BEGIN IMMEDIATE" if _immediate.get() else "BEGIN")


# Set on a connection once its transaction has run anything but a SELECT (ORM flushes
# included, however the statement was sent), cleared when the transaction ends: a
# transaction that only read need not be committed before a write one.
_WROTE = "eventhub_wrote"


@event.listens_for(Engine, "before_execute")
def _note_write(conn, statement, multiparams, params, execution_options):
    if not getattr(statement, "is_select", False):  # DML, DDL, and any text that might write
        conn.info[_WROTE] = True


@event.listens_for(Engine, "commit")
@event.listens_for(Engine, "rollback")
def _note_end(conn):
    conn.info.pop(_WROTE, None)


def _only_read(session) -> bool:
    """Whether the session's transaction holds no write, pending or executed."""
    if session.new or session.dirty or session.deleted:
        return False
    return not session.connection().info.get(_WROTE)


def _restart_immediate(connection: sa.Connection) -> None:
    """End SQLite's read transaction and take the write lock, on the same connection.

    SQLAlchemy's transaction stays open around the two, so the session commits or
    rolls back the IMMEDIATE one as it would have the first. If BEGIN IMMEDIATE times
    out, no transaction is open and the rollback that follows the error does nothing.
    """
    driver = connection.connection.driver_connection
    _send(driver, "COMMIT")
    _send(driver, "BEGIN IMMEDIATE")


@contextmanager
def write_transaction() -> Iterator[None]:
    """A transaction that cannot interleave with another writer's.

    On SQLite it begins IMMEDIATE (the database write lock is taken before anything is
    read); on PostgreSQL the caller still locks the rows it decides on
    (``with_for_update()``) or uses a conditional ``UPDATE … WHERE``. What the session
    wrote before is committed first; the block is committed on success and rolled back
    on any exception. A transaction that has only read keeps its connection instead,
    saving a connection checkout with its pre-ping: on PostgreSQL the transaction goes
    on (READ COMMITTED: each statement sees what others committed, and row locks work
    inside it); on SQLite it ends and an IMMEDIATE one begins on the same connection.
    Its objects are expired as a commit would, so the block reads them afresh.
    """
    session = db.session()
    with _beginning_immediate():
        try:
            if session.in_transaction():
                if not _only_read(session):
                    session.commit()
                else:
                    session.expire_all()
                    if is_sqlite():
                        _restart_immediate(session.connection())
            yield
            db.session.commit()
        except BaseException:
            db.session.rollback()
            raise


@contextmanager
def write_connection() -> Iterator[sa.Connection]:
    """``write_transaction`` on a Core connection of its own, without the ORM session.

    For a hot path of a few prepared statements, where the session's bookkeeping would
    cost more than the statements. It neither sees nor commits what the session holds.
    """
    with _beginning_immediate(), db.engine.begin() as connection:
        yield connection


@contextmanager
def _beginning_immediate() -> Iterator[None]:
    """Within it, the SQLite ``begin`` hook takes the write lock at BEGIN."""
    token = _immediate.set(True)
    try:
        yield
    finally:
        _immediate.reset(token)


def lock_timed_out(exc: sa.exc.OperationalError) -> bool:
    """Whether ``exc`` is SQLite's busy wait expiring (at BEGIN IMMEDIATE, in a write
    transaction: before anything was done)."""
    return "database is locked" in str(exc.orig)


class Prepared:
    """A Core statement compiled once per dialect and run straight on the driver's cursor.

    For the few statements that run at every door scan: SQLAlchemy's work around each
    execution (execution context, events, result wrapping) costs more than SQLite takes
    to run a short statement. Bind values still go through the dialect's types; rows
    come back as the driver's tuples, so result columns must need no conversion. What
    Core would compute at execution (Python-side column defaults, expanding IN lists)
    is refused when compiling. Driver errors come out as SQLAlchemy's, a write is noted
    on the connection as any other, and the connection must be in a transaction (Core's
    autobegin is not there to open one). Engine events do not see these statements; a
    connection the server dropped is found by the pool's pre-ping at its next checkout.
    """

    def __init__(self, statement: sa.Executable):
        self._statement = statement
        self._compiled: dict[tuple[str, str], tuple] = {}

    def _for(self, dialect: sa.Dialect) -> tuple:
        key = (dialect.name, dialect.driver)
        found = self._compiled.get(key)
        if found is None:
            found = self._compiled[key] = self._compile(dialect)
        return found

    def _compile(self, dialect: sa.Dialect) -> tuple:
        compiled = self._statement.compile(dialect=dialect)
        if any(column.type.dialect_impl(dialect).result_processor(dialect, None) is not None
               for column in self._statement.exported_columns):
            raise TypeError("a result column of a prepared statement needs a conversion")
        if compiled.insert_prefetch or compiled.update_prefetch:
            raise TypeError("a prepared statement must give every column with a default")
        by_name = {name: bind for bind, name in compiled.bind_names.items()}
        names = compiled.positiontup if compiled.positional else list(by_name)
        binds = [by_name[name] for name in names]
        if any(bind.expanding for bind in binds):
            raise TypeError("a prepared statement cannot expand an IN list")
        sql = str(compiled)
        return (
            sql, compiled.positional, names,
            [bind.type.dialect_impl(dialect).bind_processor(dialect) for bind in binds],
            [(bind.required, bind.effective_value) for bind in binds],
            # Anything but a plain SELECT may write (a WITH may hold an INSERT).
            not sql.lstrip().upper().startswith("SELECT"),
        )

    def first(self, connection: sa.Connection, params: dict) -> tuple | None:
        """Run on ``connection`` with ``params`` (by bind name); the first row, if any."""
        if not connection.in_transaction():
            raise sa.exc.InvalidRequestError("a prepared statement runs in a transaction")
        sql, positional, names, processors, constants, writes = self._for(connection.dialect)
        values = [params[name] if required else params.get(name, constant)
                  for name, (required, constant) in zip(names, constants, strict=True)]
        values = [process(value) if process else value
                  for process, value in zip(processors, values, strict=True)]
        bound = tuple(values) if positional else dict(zip(names, values, strict=True))
        if writes:
            connection.info[_WROTE] = True
        dbapi = connection.dialect.loaded_dbapi
        cursor = connection.connection.dbapi_connection.cursor()
        try:
            cursor.execute(sql, bound)
            return cursor.fetchone() if cursor.description else None
        except dbapi.Error as exc:
            raise sa.exc.DBAPIError.instance(
                sql, bound, exc, dbapi.Error, dialect=connection.dialect,
                hide_parameters=connection.engine.hide_parameters) from exc
        finally:
            cursor.close()
