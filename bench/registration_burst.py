"""1,000 concurrent registrations for 100 places: confirmed / waitlisted / errors.

The registrations are POSTed to ``/api/v1/events/<slug>/registrations`` over HTTP on
127.0.0.1 from 100 client threads, each request from its own address behind the proxy;
the goal is exactly 100 / 900 / 0. Runs on a SQLite
file, then on PostgreSQL when one answers (``BENCH_DATABASE_URL``). Confirmation mails
go to the console fallback, which is silenced here.

    .venv/bin/python bench/registration_burst.py
"""

from __future__ import annotations

import contextlib
import io
import json
import logging
import os
import tempfile

import checkin as common  # bench/checkin.py: app, event, server and client helpers

REGISTRATIONS = 1000
PLACES = 100
common.CLIENTS = 100


def run(url: str, label: str) -> None:
    """Fire the burst at a fresh database and print the outcome."""
    # As deployed behind a proxy: the rate limit stays on and counts per client address,
    # and the 1,000 people come from 1,000 addresses.
    app = common.bench_app(url, PROXY_FIX=1)
    common.open_event(app, PLACES)
    port, stop = common.serve(app)
    requests = [("/api/v1/events/bench/registrations",
                 {"name": f"Personne {i}", "email": f"p{i}@example.org", "attendance": "onsite"},
                 {"X-Forwarded-For": f"10.0.{i // 256}.{i % 256}"}) for i in range(REGISTRATIONS)]
    with contextlib.redirect_stdout(io.StringIO()):
        seconds, answers = common.fire(port, requests)
    stop()
    statuses = [json.loads(body).get("status") if status == 201 else None
                for status, body in answers]
    errors = statuses.count(None)
    if errors:
        sample = next(body for status, body in answers if status != 201)
        print(f"  {errors} errors, e.g. {sample[:200]!r}")
    print(f"{label:<11} {REGISTRATIONS} registrations for {PLACES} places in {seconds:5.1f} s: "
          f"confirmed {statuses.count('confirmed')} / waitlisted {statuses.count('waitlisted')} "
          f"/ errors {errors}   (goal {PLACES} / {REGISTRATIONS - PLACES} / 0)")


def main() -> None:
    """SQLite, then PostgreSQL if available."""
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    with tempfile.TemporaryDirectory() as folder:
        run("sqlite:///" + os.path.join(folder, "burst.db"), "SQLite")
    if common.postgres_available(common.PG_URL):
        run(common.PG_URL, "PostgreSQL")
    else:
        print("PostgreSQL: no server at", common.PG_URL, "(skipped)")


if __name__ == "__main__":
    main()
