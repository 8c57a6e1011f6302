"""Shared fixtures: one migrated database per run, a fresh app and client per test.

The suite runs on SQLite by default and on PostgreSQL when ``TEST_DATABASE_URL`` is set.
The schema is built through the migrations, once; each test then starts from empty
tables.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa
from flask import has_app_context
from flask.testing import FlaskClient

from eventhub import create_app, outbox
from eventhub.extensions import db

PASSWORD = "correct horse battery"


def _ensure_postgres_database(url: str) -> None:
    """Create the test database named in ``url`` if the server lacks it."""
    target = sa.engine.make_url(url)
    admin = sa.create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        exists = conn.scalar(
            sa.text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": target.database}
        )
        if not exists:
            conn.exec_driver_sql(f'CREATE DATABASE "{target.database}"')
    admin.dispose()


def _reset_postgres_schema(url: str) -> None:
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql("DROP SCHEMA public CASCADE")
        conn.exec_driver_sql("CREATE SCHEMA public")
    engine.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    """The URL of this run's database: PostgreSQL from the environment, else a SQLite file."""
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        url = url.replace("postgresql://", "postgresql+psycopg://", 1)
        _ensure_postgres_database(url)
        _reset_postgres_schema(url)
        return url
    return "sqlite:///" + str(tmp_path_factory.mktemp("db") / "test.db")


@pytest.fixture(scope="session")
def test_config(database_url, tmp_path_factory) -> dict:
    """Configuration every test app starts from."""
    return {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SECRET_KEY": "test-secret-key",
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "RATELIMIT_STORAGE_URI": "memory://",
        "SOCKETIO_MESSAGE_QUEUE": None,
        "REDIS_URL": None,
        "MAIL_SERVER": None,
        "MAIL_SENDER_THREAD": False,
        "PUBLIC_URL": "http://localhost",
        "SERVER_NAME": None,
        # Live figures sent at once, so that no sending task outlives a test.
        "REGISTRATION_LIVE_INTERVAL": 0,
        "LIVE_TICK_SECONDS": 0,
        # Viewers of the live tests act as soon as their cookie is signed; the attack
        # tests restore a waiting time.
        "LIVE_VIEWER_MIN_AGE": 0,
    }


@pytest.fixture(scope="session")
def _migrated(test_config) -> None:
    """Build the schema through the migrations once per run."""
    from eventhub.cli import upgrade_database
    from eventhub.i18n import compile_catalogs

    app = create_app(test_config)
    with app.app_context():
        compile_catalogs(app)
        upgrade_database()
        db.engine.dispose()


@contextmanager
def recorded_statements(kind: str = "") -> Iterator[list[str]]:
    """Record the SQL statements sent inside the block (only those starting with ``kind``)."""
    statements: list[str] = []

    def record(conn, cursor, statement, *args):
        if statement.lstrip().upper().startswith(kind.upper()):
            statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", record)


def _empty_tables() -> None:
    for table in reversed(db.metadata.sorted_tables):
        db.session.execute(table.delete())
    db.session.commit()


@pytest.fixture
def make_app(test_config, _migrated):
    """Build an app with extra configuration; tables are emptied after the test."""
    built = []

    def factory(**overrides):
        app = create_app({**test_config, **overrides})
        app.test_client_class = IsolatedClient
        built.append(app)
        return app

    yield factory
    for app in built:
        outbox.stop_sender(app)
        with app.app_context():
            db.session.remove()
    if built:
        with built[0].app_context():
            _empty_tables()
    for app in built:
        with app.app_context():
            db.engine.dispose()


@pytest.fixture(autouse=True)
def _live_sendings_drained(make_app):
    """After each test, before its apps' tables and engines go, let the coalesced live
    sendings finish: a sending that outlived its test would open a connection on a
    disposed engine, left for the garbage collector to find in a later test."""
    yield
    from eventhub.live.publish import viewer_counts, vote_counts

    assert vote_counts.wait_idle() and viewer_counts.wait_idle(), "live counts still sending"


class IsolatedClient(FlaskClient):
    """A test client whose every request runs in its own app context, as in production.

    Each request, and each redirect it is followed to, gets a fresh app context, so its
    own database session and ``g`` (where Flask-Login and Flask-Babel cache the user and
    the locale); popping the context removes the session, rolling back whatever the view
    left uncommitted. Nothing is committed on a view's behalf: a view that forgets to
    commit fails its test. Around each request the session of the enclosing context (the
    test's, or the request being redirected) is rolled back rather than committed: the
    test must commit what the request should see, and it then reads the request's writes
    from a fresh transaction, as another process would.
    """

    def open(self, *args, **kwargs):
        """Run the request in a fresh app context."""
        _end_enclosing_transaction()
        with self.application.app_context():
            response = super().open(*args, **kwargs)
        _end_enclosing_transaction()
        return response


def _end_enclosing_transaction() -> None:
    if has_app_context():
        db.session.rollback()


@pytest.fixture
def app(make_app):
    """The application under test, inside an app context."""
    application = make_app()
    with application.app_context():
        yield application


@pytest.fixture
def client(app):
    """A test client of ``app``."""
    return app.test_client()


@pytest.fixture
def runner(app):
    """A CLI runner of ``app``."""
    return app.test_cli_runner()


class AuthActions:
    """Create accounts and log in through the real login form."""

    def __init__(self, client):
        self._client = client

    def create(self, role: str = "organiser", email: str | None = None):
        """Create a user of ``role`` and return it."""
        from eventhub.accounts.services import create_user

        return create_user(email or f"{role}@example.org", PASSWORD, role, name=role.title())

    def login(self, role: str = "organiser", email: str | None = None):
        """Create a user of ``role``, log in as them and return the user."""
        user = self.create(role, email)
        response = self._client.post(
            "/login", data={"email": user.email, "password": PASSWORD}
        )
        assert response.status_code == 302, response.get_data(as_text=True)
        return user

    def token(self, role: str = "organiser", email: str | None = None) -> dict:
        """Create a user of ``role`` and return an Authorization header for a new token."""
        from eventhub.accounts.services import issue_token

        user = self.create(role, email)
        return {"Authorization": f"Bearer {issue_token(user, 'test')}"}


@pytest.fixture
def auth(client) -> AuthActions:
    """Account helpers bound to ``client``."""
    return AuthActions(client)


def paris(day: date, hhmm: str) -> datetime:
    """A Europe/Paris wall-clock time on ``day``, as an aware UTC datetime."""
    from zoneinfo import ZoneInfo

    hour, minute = (int(part) for part in hhmm.split(":"))
    return datetime(day.year, day.month, day.day, hour, minute,
                    tzinfo=ZoneInfo("Europe/Paris")).astimezone(UTC)


@pytest.fixture
def make_event(app) -> Iterator:
    """Create a published event with rooms and slots: ``make_event(slug=…, slots=[…])``.

    Each slot is a dict with ``start``/``end`` ("HH:MM", Europe/Paris), ``title`` and
    optionally ``kind``, ``room`` (a room name), ``rotation``, ``capacity``.
    """
    from eventhub.programme.models import Event, Room, Slot

    def factory(slug: str = "rencontres", day: date = date(2030, 10, 28), slots=(),
                published: bool = True, **fields) -> Event:
        event = Event(slug=slug, title=fields.pop("title", "Les Rencontres du télétravail"),
                      start_date=day, end_date=fields.pop("end_date", day),
                      published=published, venue_name=fields.pop("venue_name", "Aumont-Aubrac"),
                      **fields)
        db.session.add(event)
        rooms: dict[str, Room] = {}
        for spec in slots:
            room = None
            if spec.get("room"):
                room = rooms.get(spec["room"])
                if room is None:
                    room = rooms[spec["room"]] = Room(event=event, name=spec["room"],
                                                      position=len(rooms))
            db.session.add(Slot(
                event=event, room=room, title=spec["title"], kind=spec.get("kind", "conference"),
                starts_at=paris(day, spec["start"]), ends_at=paris(day, spec["end"]),
                rotation=spec.get("rotation"), capacity=spec.get("capacity"),
            ))
        db.session.commit()
        return event

    yield factory


# --- Browser tests (Playwright driving Debian's Chromium) ---------------------------

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def pytest_collection_modifyitems(config, items):
    """Tests that use a Playwright browser (through ``page`` or a page of their own) are
    browser tests (``-m browser``)."""
    for item in items:
        if "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Launch Debian's Chromium; Playwright cannot download its own browser here."""
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"Chromium not found at {CHROMIUM} (make test installs Debian's chromium)")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


def browser_login(page, base_url: str, user) -> None:
    """Log ``user`` (created with ``auth.create``) in through the login form of ``page``."""
    page.goto(base_url + "/login")
    page.get_by_label("E-mail").fill(user.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(lambda url: "/login" not in url)


def _read_whole(file, buffer_size: int = 8192) -> list[bytes]:
    """A ``wsgi.file_wrapper`` that reads the file and closes it at once."""
    with file:
        return [file.read()]


def _files_read_whole(app):
    """``app`` with its files (static ones) read whole before they are sent.

    werkzeug's development server skips a response's ``close()`` when a browser hangs
    up in mid-file (its own cleanup raises first): the file stays open until garbage
    collection, and its ResourceWarning fails whichever test runs then.
    """
    def wsgi(environ, start_response):
        environ["wsgi.file_wrapper"] = _read_whole
        return app(environ, start_response)
    return wsgi


@pytest.fixture
def live_server(app):
    """Serve ``app`` on a free local port in a thread; yields its base URL."""
    import threading

    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, _files_read_whole(app), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_port}"
    # Served, the app's public address is where it is served: its absolute links lead
    # back to it, as they do in production.
    app.config["PUBLIC_URL"] = base
    yield base
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    """Browse as a French reader in Paris, the primary audience."""
    return {**browser_context_args, "locale": "fr-FR", "timezone_id": "Europe/Paris"}


# --- Mail: a real local SMTP server --------------------------------------------------


class _Receiver:
    """The aiosmtpd handler filling a mailbox (which aiosmtpd must not inspect)."""

    def __init__(self, mailbox: Mailbox):
        self.received = mailbox.received
        self.mailbox = mailbox

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        """aiosmtpd hook: count the SMTP sessions."""
        session.host_name = hostname
        self.mailbox.sessions += 1
        return responses

    async def handle_DATA(self, server, session, envelope):
        """aiosmtpd hook: keep the message."""
        import email
        from email import policy

        self.received.append(email.message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepted for delivery"


class Mailbox:
    """Messages received by the test SMTP server, parsed.

    Reading them first delivers the app's outbox in the test's own thread (the test
    config runs no sender thread), so that a test sees every mail the app has sent.
    """

    def __init__(self, deliver=None):
        self.received = []
        self.sessions = 0
        self._deliver = deliver

    @property
    def messages(self) -> list:
        """The messages received, after delivering what waits in the outbox."""
        if self._deliver is not None:
            self._deliver()
        return self.received

    def wait_for(self, count: int = 1, timeout: float = 5.0) -> list:
        """Wait until ``count`` messages arrived; return them all."""
        import time

        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        assert len(self.received) >= count, f"expected {count} mail(s), got {len(self.received)}"
        return self.received


def free_port() -> int:
    """A local TCP port nothing listens on (at the time of asking)."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def smtp_listening(port: int, deliver=None) -> Iterator[Mailbox]:
    """An aiosmtpd server on ``port`` while the block runs."""
    from aiosmtpd.controller import Controller

    mailbox = Mailbox(deliver)
    controller = Controller(_Receiver(mailbox), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield mailbox
    finally:
        controller.stop()


@pytest.fixture
def smtp_server(app):
    """Start an aiosmtpd server on a free port and point ``app``'s mail settings at it."""
    port = free_port()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
    with smtp_listening(port, deliver=lambda: outbox.deliver(due_only=False)) as mailbox:
        yield mailbox
