"""Prepared statements: the driver's cursor, with SQLAlchemy's types and errors."""

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from eventhub.accounts.models import User
from eventhub.database import Prepared, UTCDateTime, write_connection
from eventhub.extensions import db

users = User.__table__
ADD = Prepared(sa.insert(users).values(
    email=sa.bindparam("email"), name=sa.bindparam("name"), role="door",
    password_hash="x", active=True, session_stamp="s",
    created_at=sa.bindparam("at", type_=UTCDateTime())))
RENAME = Prepared(sa.update(users).where(users.c.email == sa.bindparam("email"))
                  .values(name=sa.bindparam("name")).returning(users.c.id, users.c.name))


def test_values_go_through_the_types_and_constants_are_bound(app):
    at = datetime(2030, 10, 28, 9, 30, tzinfo=UTC)
    with write_connection() as connection:
        ADD.first(connection, {"email": "ana@example.org", "name": "Ana", "at": at})
    user = db.session.scalar(sa.select(User))
    assert (user.email, user.role, user.created_at) == ("ana@example.org", "door", at)


def test_values_are_stored_exactly_as_sqlalchemy_stores_them(app):
    at = datetime(2030, 10, 28, 9, 30, tzinfo=UTC)  # no microseconds: SQLite's own
    with write_connection() as connection:  # adapter would drop their zeros
        ADD.first(connection, {"email": "ana@example.org", "name": "Ana", "at": at})
        connection.execute(sa.insert(users).values(
            email="bob@example.org", name="Bob", role="door", password_hash="x",
            active=True, created_at=at))
    assert db.session.scalar(sa.select(sa.func.count(sa.distinct(users.c.created_at)))) == 1
    assert db.session.scalar(sa.select(sa.func.count()).where(users.c.created_at == at)) == 2


def test_the_first_row_comes_back_and_none_when_nothing_matched(app):
    at = datetime(2030, 1, 1, tzinfo=UTC)
    with write_connection() as connection:
        ADD.first(connection, {"email": "ana@example.org", "name": "Ana", "at": at})
        user_id = connection.scalar(sa.select(users.c.id))
        assert RENAME.first(connection, {"email": "ana@example.org", "name": "Ána"}) == (
            user_id, "Ána")
        assert RENAME.first(connection, {"email": "nobody@example.org", "name": "?"}) is None


def test_a_missing_value_is_refused_before_anything_runs(app):
    with write_connection() as connection, pytest.raises(KeyError):
        ADD.first(connection, {"email": "ana@example.org", "name": "Ana"})
    assert db.session.scalar(sa.select(sa.func.count()).select_from(users)) == 0


def test_driver_errors_come_out_as_sqlalchemy_errors(app):
    at = datetime(2030, 1, 1, tzinfo=UTC)
    with pytest.raises(sa.exc.IntegrityError), write_connection() as connection:
        ADD.first(connection, {"email": "ana@example.org", "name": "Ana", "at": at})
        ADD.first(connection, {"email": "ana@example.org", "name": "Ana", "at": at})
    # The whole transaction was rolled back, the first insert with it.
    assert db.session.scalar(sa.select(sa.func.count()).select_from(users)) == 0


@pytest.mark.parametrize("statement", [
    sa.select(users.c.created_at),  # a result column that needs converting
    sa.insert(users).values(email=sa.bindparam("email"), role="door", password_hash="x"),
    sa.select(users.c.id).where(users.c.role.in_(["door", "admin"])),
], ids=["result conversion", "python-side defaults", "expanding IN"])
def test_what_core_would_compute_at_execution_is_refused(app, statement):
    with write_connection() as connection, pytest.raises(TypeError):
        Prepared(statement).first(connection, {"email": "ana@example.org"})


def test_a_connection_outside_a_transaction_is_refused(app):
    at = datetime(2030, 1, 1, tzinfo=UTC)
    with db.engine.connect() as connection, pytest.raises(sa.exc.InvalidRequestError):
        ADD.first(connection, {"email": "ana@example.org", "name": "Ana", "at": at})


def test_a_write_on_the_sessions_connection_is_noted(app):
    from eventhub.database import _only_read

    db.session.scalar(sa.select(users.c.id))
    assert _only_read(db.session)
    ADD.first(db.session.connection(), {"email": "ana@example.org", "name": "Ana",
                                        "at": datetime(2030, 1, 1, tzinfo=UTC)})
    assert not _only_read(db.session)
    db.session.rollback()
