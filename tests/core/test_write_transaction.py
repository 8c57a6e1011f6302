"""write_transaction: earlier writes are never tied to the block's fate."""

import pytest
import sqlalchemy as sa

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
