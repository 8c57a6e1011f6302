"""Check-in throughput next to a bare Flask endpoint doing one UPDATE on the same database.

Both are served over HTTP on 127.0.0.1 by the same threaded server and driven by the
same client threads with keep-alive connections; each check-in goes through the whole
stack (session login, JSON, nonce, conditional UPDATE, scan record, live figures), with
the rate limiter on, as deployed. Both apps use the same connection pool (size and
pre-ping). The door is logged in by session cookie, as the scanner page is.
Runs on a SQLite file, then on PostgreSQL when one answers (``BENCH_DATABASE_URL``).

    .venv/bin/python bench/checkin.py
"""

from __future__ import annotations

import http.client
import json
import logging
import os
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path
from urllib.parse import urlencode

import sqlalchemy as sa
from flask import Flask
from werkzeug.serving import WSGIRequestHandler, make_server

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from eventhub import create_app
from eventhub.extensions import db

TICKETS = int(os.environ.get("BENCH_TICKETS", "1500"))
CLIENTS = 8
# Both apps get the same pool, sized for the server's threads, and the pre-ping eventhub
# is deployed with: otherwise eventhub's default pool (5) would open and close a
# connection on most requests while the baseline kept its connections.
ENGINE_OPTIONS = {"pool_pre_ping": True, "pool_size": CLIENTS + 2}
PG_URL = os.environ.get("BENCH_DATABASE_URL",
                        "postgresql+psycopg://postgres@127.0.0.1:5432/eventhub_bench")


def bench_app(url: str, **config) -> Flask:
    """The eventhub app on ``url`` (plus ``config``), with a fresh schema from the migrations."""
    if url.startswith("postgresql"):
        admin = sa.create_engine(sa.engine.make_url(url).set(database="postgres"),
                                 isolation_level="AUTOCOMMIT")
        name = sa.engine.make_url(url).database
        with admin.connect() as conn:
            if not conn.scalar(sa.text("SELECT 1 FROM pg_database WHERE datname = :n"),
                               {"n": name}):
                conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
        admin.dispose()
        engine = sa.create_engine(url)
        with engine.begin() as conn:
            conn.exec_driver_sql("DROP SCHEMA public CASCADE")
            conn.exec_driver_sql("CREATE SCHEMA public")
        engine.dispose()
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "TESTING": False,
                      "SQLALCHEMY_ENGINE_OPTIONS": ENGINE_OPTIONS,
                      "MAIL_SERVER": None,
                      "WTF_CSRF_ENABLED": False,
                      "PUBLIC_URL": "http://127.0.0.1", "SOCKETIO_MESSAGE_QUEUE": None,
                      **config})
    from eventhub.cli import upgrade_database

    with app.app_context():
        logging.getLogger("alembic").setLevel(logging.WARNING)
        upgrade_database()
    return app


def open_event(app: Flask, capacity: int, slug: str = "bench"):
    """An event taking registrations; returns its id."""
    from eventhub.programme.models import Event
    from eventhub.registration import services

    with app.app_context():
        event = Event(slug=slug, title="Banc d'essai", start_date=date(2030, 1, 1),
                      end_date=date(2030, 1, 1), published=True)
        db.session.add(event)
        db.session.commit()
        services.save_settings(event, capacity, None, None, None)
        return event.id


def serve(app: Flask) -> tuple[int, Callable[[], None]]:
    """Serve ``app`` on a free port with keep-alive; returns the port and a stop function."""
    WSGIRequestHandler.protocol_version = "HTTP/1.1"
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server.server_port, server.shutdown


def fire(port: int, requests: list[tuple[str, dict, dict]]) -> tuple[float, list]:
    """POST every (path, body, headers) from CLIENTS keep-alive connections; seconds, answers."""
    chunks = [requests[i::CLIENTS] for i in range(CLIENTS)]

    def run(chunk):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        answers = []
        for path, body, headers in chunk:
            conn.request("POST", path, json.dumps(body),
                         {"Content-Type": "application/json", **headers})
            response = conn.getresponse()
            answers.append((response.status, response.read()))
        conn.close()
        return answers

    start = time.perf_counter()
    with ThreadPoolExecutor(CLIENTS) as pool:
        answers = [a for chunk in pool.map(run, chunks) for a in chunk]
    return time.perf_counter() - start, answers


def login(port: int, email: str, password: str) -> str:
    """Log in through the login form, as the door scanner page does; the session cookie."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("POST", "/login", urlencode({"email": email, "password": password}),
                 {"Content-Type": "application/x-www-form-urlencoded"})
    response = conn.getresponse()
    response.read()
    conn.close()
    assert response.status == 302, response.status
    return response.getheader("Set-Cookie").split(";", 1)[0]


def add_stack_baseline(app: Flask) -> None:
    """A door-only endpoint doing the bare UPDATE inside eventhub: the cost of the stack."""
    from flask import request

    from eventhub.accounts.auth import role_required
    from eventhub.database import write_transaction
    from eventhub.extensions import csrf

    statement = sa.text("UPDATE registration SET checked_in_at = CURRENT_TIMESTAMP "
                        "WHERE code = :code")

    @role_required("door")
    def stack_update():
        # In a write transaction, as any correct write is here: on SQLite a plain one
        # that read the user first fails with "database is locked" under concurrency.
        with write_transaction():
            db.session.execute(statement, {"code": request.get_json()["code"]})
        return {"result": "ok"}

    app.add_url_rule("/bench/stack-update", view_func=stack_update, methods=["POST"])
    csrf.exempt(stack_update)


def bare_app(url: str) -> Flask:
    """The baseline: a bare Flask endpoint doing one UPDATE on the same table."""
    engine = sa.create_engine(url, **ENGINE_OPTIONS)
    bare = Flask("bare")
    statement = sa.text("UPDATE registration SET checked_in_at = CURRENT_TIMESTAMP "
                        "WHERE code = :code")

    @bare.post("/bump")
    def bump():
        from flask import request

        with engine.begin() as conn:
            conn.execute(statement, {"code": request.get_json()["code"]})
        return {"result": "ok"}

    return bare


def run(url: str, label: str) -> None:
    """Measure both on ``url`` and print the figures and the ratio."""
    from eventhub.accounts.services import create_user
    from eventhub.registration import services
    from eventhub.registration.models import Registration

    app = bench_app(url)
    event_id = open_event(app, TICKETS)
    with app.app_context():
        from eventhub.programme.models import Event

        event = db.session.get(Event, event_id)
        for i in range(TICKETS):
            services.register(event, f"P{i}", f"p{i}@example.org", "onsite")
        codes = db.session.scalars(sa.select(Registration.code)).all()
        create_user("door@example.org", "bench password", "door")

    add_stack_baseline(app)
    port, stop = serve(app)
    headers = {"Cookie": login(port, "door@example.org", "bench password")}
    checkin_requests = [("/api/v1/events/bench/checkin", {"code": c, "nonce": f"n{i}"},
                         headers) for i, c in enumerate(codes)]
    seconds, answers = fire(port, checkin_requests)
    oks = sum(1 for status, body in answers if status == 200 and json.loads(body)["result"] == "ok")
    errors = [body for status, body in answers if status != 200]
    if errors:
        print(f"  {len(errors)} errors, e.g. {errors[0][:200]!r}")
    eventhub_rate = len(answers) / seconds
    with app.app_context():
        db.session.execute(sa.update(Registration).values(checked_in_at=None))
        db.session.commit()
    seconds, stack_answers = fire(port, [("/bench/stack-update", {"code": c}, headers)
                                         for c in codes])
    assert all(status == 200 for status, _body in stack_answers)
    stack_rate = len(codes) / seconds
    stop()

    engine_url = app.config["SQLALCHEMY_DATABASE_URI"]
    with app.app_context():
        db.session.execute(sa.update(Registration).values(checked_in_at=None))
        db.session.commit()
        db.engine.dispose()
    port, stop = serve(bare_app(engine_url))
    seconds, bare_answers = fire(port, [("/bump", {"code": c}, {}) for c in codes])
    stop()
    bare_rate = len(bare_answers) / seconds
    print(f"{label:<11} check-in API: {eventhub_rate:7.0f} req/s ({oks}/{len(answers)} ok)   "
          f"bare UPDATE endpoint: {bare_rate:7.0f} req/s   ratio {eventhub_rate / bare_rate:.2f} "
          f"(goal >= 0.70)")
    print(f"{'':<11} for reference, one UPDATE behind eventhub's own stack (login, headers, "
          f"middleware): {stack_rate:7.0f} req/s, ratio {stack_rate / bare_rate:.2f}")


def postgres_available(url: str) -> bool:
    """Whether a PostgreSQL server answers at ``url``."""
    try:
        engine = sa.create_engine(sa.engine.make_url(url).set(database="postgres"))
        with engine.connect():
            pass
        engine.dispose()
        return True
    except sa.exc.OperationalError:
        return False


def main() -> None:
    """SQLite, then PostgreSQL if available."""
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    print(f"{TICKETS} distinct tickets, {CLIENTS} client threads, HTTP keep-alive on 127.0.0.1")
    with tempfile.TemporaryDirectory() as folder:
        run("sqlite:///" + os.path.join(folder, "bench.db"), "SQLite")
    if postgres_available(PG_URL):
        run(PG_URL, "PostgreSQL")
    else:
        print("PostgreSQL: no server at", PG_URL, "(skipped)")


if __name__ == "__main__":
    main()
