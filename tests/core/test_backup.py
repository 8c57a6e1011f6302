"""flask backup / flask restore: a backup taken while registrations arrive holds every
registration committed before it, and restores into a fresh instance."""

from __future__ import annotations

import threading
import time

import pytest
import sqlalchemy as sa

from eventhub import create_app
from eventhub.cli import upgrade_database
from eventhub.extensions import db
from eventhub.registration import services
from eventhub.registration.models import Registration


@pytest.fixture
def fresh_url(database_url, tmp_path):
    """The URL of an empty database for the restored instance."""
    if not database_url.startswith("postgresql"):
        yield "sqlite:///" + str(tmp_path / "restored.db")
        return
    url = sa.engine.make_url(database_url)
    restored = url.set(database=url.database + "_restore")
    admin = sa.create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT",
                             poolclass=sa.pool.NullPool)
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{restored.database}"')
        conn.exec_driver_sql(f'CREATE DATABASE "{restored.database}"')
    yield restored.render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{restored.database}" WITH (FORCE)')


def _registering(app, event_id: int, stop: threading.Event, committed: list, worker: int):
    """Register people one after another until ``stop``; note each once committed."""
    from eventhub.programme.models import Event

    n = 0
    with app.app_context():
        while not stop.is_set():
            event = db.session.get(Event, event_id)
            email = f"w{worker}-{n}@example.org"
            services.register(event, f"Personne {worker}-{n}", email, "onsite")
            committed.append((time.monotonic(), email))
            n += 1
        db.session.remove()


def test_a_backup_taken_while_registering_restores_every_earlier_registration(
        app, runner, make_event, tmp_path, test_config, fresh_url):
    event = make_event()
    services.save_settings(event, 10_000, None, None, None)
    stop, committed = threading.Event(), []
    workers = [threading.Thread(target=_registering, args=(app, event.id, stop, committed, w))
               for w in range(3)]
    for worker in workers:
        worker.start()
    while len(committed) < 30:
        time.sleep(0.01)
    before_backup = time.monotonic()
    expected = {email for moment, email in list(committed) if moment < before_backup}
    result = runner.invoke(args=["backup", str(tmp_path / "eventhub.backup")])
    time.sleep(0.2)  # registrations go on after the backup
    stop.set()
    for worker in workers:
        worker.join()
    assert result.exit_code == 0, result.output
    assert len(committed) > len(expected) >= 30

    restored = create_app({**test_config, "SQLALCHEMY_DATABASE_URI": fresh_url})
    with restored.app_context():  # the command runs in the current app's context
        result = restored.test_cli_runner().invoke(
            args=["restore", "--yes", str(tmp_path / "eventhub.backup")])
        assert result.exit_code == 0, result.output
        emails = set(db.session.scalars(sa.select(Registration.email)))
        upgrade_database()  # the restored schema is at the migrations' heads already
        client = restored.test_client()
        assert client.get("/readyz").get_json()["checks"]["migrations"] == "ok"
        db.session.remove()
        db.engine.dispose()
    assert expected <= emails
    assert emails <= {email for _, email in committed}


def test_backup_refuses_to_overwrite_a_file(runner, tmp_path):
    (tmp_path / "taken").write_text("keep me")
    result = runner.invoke(args=["backup", str(tmp_path / "taken")])
    assert result.exit_code == 1 and "already exists" in result.output
    assert (tmp_path / "taken").read_text() == "keep me"


def test_restore_refuses_what_is_not_a_backup(runner, tmp_path, app, make_event):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("pg_restore checks PostgreSQL archives itself")
    make_event()
    (tmp_path / "junk").write_text("not a database")
    result = runner.invoke(args=["restore", "--yes", str(tmp_path / "junk")])
    assert result.exit_code == 1 and "not an eventhub SQLite backup" in result.output
    from eventhub.programme.models import Event

    assert db.session.scalar(sa.select(sa.func.count()).select_from(Event)) == 1
