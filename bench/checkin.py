"""Check-in throughput next to a bare Flask endpoint doing one UPDATE on the same database.

A regression guard, not a figure to chase: a rural door sees a few scans a second at its
peak. It prints the check-ins per second and their ratio to the bare endpoint, and fails
below a floor of 0.5.

Both are served over HTTP on 127.0.0.1 by the same threaded server (werkzeug's, which
closes the connection after each answer: every request of both pays a new connection)
and driven by the same client threads. Each check-in goes through the whole stack
(signed session cookie, the door account loaded, JSON, nonce, the conditional UPDATE,
scan record, live figures), with the rate limiter on, as deployed. Both apps use the
same connection pool (size and pre-ping). The door is logged in by session cookie, as
the scanner page is. The endpoints take turns in nine rounds, and the ratio is the
median of the rounds' ratios: a round's endpoints run back to back, so a busier moment
of the machine weighs on all of them alike. Runs on a SQLite file, then on PostgreSQL
when one answers (``BENCH_DATABASE_URL``).

    .venv/bin/python bench/checkin.py
"""

from __future__ import annotations

import http.client
import json
import logging
import os
import statistics
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

TICKETS = int(os.environ.get("BENCH_TICKETS", "2000"))
# The three endpoints take turns in this many rounds (see the docstring).
ROUNDS = 9
# Below this ratio to the bare endpoint, the check-in has regressed.
FLOOR = 0.5
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "8"))
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
    """POST every (path, body, headers) from CLIENTS connections; seconds, answers."""
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
    """A door-only endpoint doing the bare UPDATE as most of eventhub's views would: the
    account loaded first (``role_required``), the ORM session's write transaction."""
    from flask import request

    from eventhub.accounts.auth import role_required
    from eventhub.accounts.roles import Role
    from eventhub.database import write_transaction
    from eventhub.extensions import csrf

    statement = sa.text("UPDATE registration SET checked_in_at = CURRENT_TIMESTAMP "
                        "WHERE code = :code")

    @role_required(Role.DOOR)
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


def rates(port: int, jobs: dict[str, tuple[int, list]]) -> dict[str, list[float]]:
    """Fire each job's requests (its server port, its requests) in ROUNDS slices, taking
    turns and changing who goes first each round; each job's rate (req/s) per round."""
    found: dict[str, list[float]] = {label: [] for label in jobs}
    labels = list(jobs)
    for index in range(ROUNDS):
        for label in labels[index % len(labels):] + labels[:index % len(labels)]:
            job_port, requests = jobs[label]
            part = requests[index::ROUNDS]
            seconds, answers = fire(job_port, part)
            bad = [body for status, body in answers if status != 200]
            if bad:
                raise SystemExit(f"{label}: {len(bad)} errors, e.g. {bad[0][:200]!r}")
            found[label].append(len(part) / seconds)
    return found


def run(url: str, label: str) -> float:
    """Measure the endpoints on ``url``, print the figures; the check-in's ratio."""
    from eventhub.accounts.services import create_user
    from eventhub.registration import services
    from eventhub.registration.models import Registration, Scan, ScanResult

    app = bench_app(url)
    event_id = open_event(app, 2 * TICKETS)
    with app.app_context():
        from eventhub.programme.models import Event

        event = db.session.get(Event, event_id)
        for i in range(2 * TICKETS):
            services.register(event, f"P{i}", f"p{i}@example.org", "onsite")
        every_code = db.session.scalars(sa.select(Registration.code)).all()
        # The baselines' UPDATEs go to other tickets than the check-ins, which they
        # would otherwise answer "already checked in".
        codes, others = every_code[:TICKETS], every_code[TICKETS:]
        create_user("door@example.org", "bench password", "door")
        engine_url = app.config["SQLALCHEMY_DATABASE_URI"]

    add_stack_baseline(app)
    port, stop = serve(app)
    bare_port, stop_bare = serve(bare_app(engine_url))
    headers = {"Cookie": login(port, "door@example.org", "bench password")}
    found = rates(port, {
        "check-in": (port, [("/api/v1/events/bench/checkin", {"code": c, "nonce": f"n{i}"},
                             headers) for i, c in enumerate(codes)]),
        "bare": (bare_port, [("/bump", {"code": c}, {}) for c in others]),
        "stack": (port, [("/bench/stack-update", {"code": c}, headers) for c in others]),
    })
    stop()
    stop_bare()
    with app.app_context():
        checked_in = db.session.scalar(sa.select(sa.func.count()).where(
            Registration.code.in_(codes), Registration.checked_in_at.is_not(None)))
        oks = db.session.scalar(sa.select(sa.func.count(Scan.id)).where(
            Scan.result == ScanResult.OK))
        db.engine.dispose()
    assert oks == len(codes), f"{oks} scans answered ok, {len(codes)} expected"
    assert checked_in == len(codes)
    median = {name: statistics.median(values) for name, values in found.items()}

    def ratio(name: str) -> float:
        return statistics.median(ours / theirs for ours, theirs in
                                 zip(found[name], found["bare"], strict=True))

    print(f"{label:<11} check-in API: {median['check-in']:7.0f} req/s ({oks}/{len(codes)} ok)   "
          f"bare UPDATE endpoint: {median['bare']:7.0f} req/s   "
          f"ratio {ratio('check-in'):.2f} (floor {FLOOR:.2f})")
    print(f"{'':<11} for reference, one UPDATE in a view of eventhub's usual kind (account "
          f"loaded by Flask-Login, ORM session, headers, middleware): "
          f"{median['stack']:7.0f} req/s, ratio {ratio('stack'):.2f}")
    print(f"{'':<11} rounds' ratios, check-in / bare: " + ", ".join(
        f"{ours / theirs:.2f}" for ours, theirs in zip(found["check-in"], found["bare"],
                                                        strict=True)))
    return ratio("check-in")


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
    """SQLite, then PostgreSQL if available; exits 1 if a ratio is below the floor."""
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    print(f"{TICKETS} distinct tickets, {CLIENTS} client threads, HTTP on 127.0.0.1")
    with tempfile.TemporaryDirectory() as folder:
        ratios = {"SQLite": run("sqlite:///" + os.path.join(folder, "bench.db"), "SQLite")}
    if postgres_available(PG_URL):
        ratios["PostgreSQL"] = run(PG_URL, "PostgreSQL")
    else:
        print("PostgreSQL: no server at", PG_URL, "(skipped)")
    below = [name for name, value in ratios.items() if value < FLOOR]
    if below:
        raise SystemExit(f"check-in below the floor of {FLOOR} on {', '.join(below)}")


if __name__ == "__main__":
    main()
