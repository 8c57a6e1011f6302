"""write_transaction: earlier writes are never tied to the block's fate; serialised
retries only a busy wait that expired."""

import sqlite3

import pytest
import sqlalchemy as sa

from eventhub import database
from eventhub.database import write_transaction
from eventhub.extensions import db
from eventhub.programme.models import Organisation


def _names() -> set[str]:
    db.session.rollback()
    return set(db.session.scalars(sa.select(Organisation.name)))


def test_a_flushed_write_before_the_block_survives_its_rollback(app):
    db.session.add(Organisation(name="Écrite avant"))
    db.session.flush()
    with pytest.raises(RuntimeError), write_transaction():
        db.session.add(Organisation(name="Dans le bloc"))
        db.session.flush()
        raise RuntimeError("the block fails")
    assert _names() == {"Écrite avant"}


def test_an_executed_statement_before_the_block_survives_its_rollback(app):
    db.session.execute(sa.insert(Organisation).values(name="Insérée avant", short_name="",
                                                      url="", description=""))
    with pytest.raises(RuntimeError), write_transaction():
        raise RuntimeError("the block fails")
    assert _names() == {"Insérée avant"}


def test_after_a_read_the_block_sees_and_commits_fresh_data(app):
    db.session.add(Organisation(name="Lue"))
    db.session.commit()
    read = db.session.scalar(sa.select(Organisation))  # the transaction stays open, read-only
    with db.engine.begin() as elsewhere:  # another request changes the row meanwhile
        elsewhere.execute(sa.update(Organisation).values(short_name="autre"))
    with write_transaction():
        assert read.short_name == "autre"  # expired, so reloaded inside the block
        read.description = "modifiée"
    assert _names() == {"Lue"}
    assert db.session.scalar(sa.select(Organisation.description)) == "modifiée"


def test_a_write_after_a_read_sees_a_statement_sent_on_the_connection(app):
    db.session.scalar(sa.select(Organisation.id))
    db.session.connection().execute(sa.insert(Organisation).values(
        name="Par la connexion", short_name="", url="", description=""))
    with pytest.raises(RuntimeError), write_transaction():
        raise RuntimeError("the block fails")
    assert _names() == {"Par la connexion"}


def test_a_busy_wait_expired_at_the_write_lock_is_tried_again(app, monkeypatch):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's write lock")
    db.session.scalar(sa.select(Organisation.id))  # the lock is then taken on this connection
    driver = db.session.connection().connection.driver_connection
    driver.execute("PRAGMA busy_timeout = 50")
    holder = sqlite3.connect(db.engine.url.database, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another writer, holding the lock past the wait
    attempts = []

    def counted():
        attempts.append(1)
        if len(attempts) == 2:
            holder.rollback()  # the other writer is done before the second attempt
        return write_transaction()

    monkeypatch.setattr(database, "write_transaction", counted)
    try:
        database.serialised(lambda: db.session.add(Organisation(name="Après l'attente")))
    finally:
        holder.close()
        driver.execute("PRAGMA busy_timeout = 5000")
    assert len(attempts) == 2  # the first gave up after 50 ms and was tried again
    assert _names() == {"Après l'attente"}


def test_serialised_retries_only_an_expired_busy_wait(app):
    from sqlalchemy.exc import OperationalError

    calls = []

    def flaky():
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("BEGIN IMMEDIATE", {}, Exception("database is locked"))
        return "done"

    assert database.serialised(flaky) == "done"
    assert len(calls) == 2

    def broken():
        raise OperationalError("SELECT", {}, Exception("no such table: x"))

    with pytest.raises(OperationalError):
        database.serialised(broken)
