"""Check-in API: the answers of DESIGN.md, nonces, records, atomicity, offline sync."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import OperationalError

from eventhub.extensions import db
from eventhub.registration import checkin, services
from eventhub.registration.models import Scan
from tests.registration.conftest import concurrently

URL = "/api/v1/events/rencontres/checkin"


@pytest.fixture(params=["token", "session"])
def door(request, auth):
    """Door staff's headers, for each way a scanner signs in: a bearer token, or none
    when the client holds the session of the scanner page (the doors' short path)."""
    if request.param == "token":
        return auth.token("door")
    auth.login("door")
    return {}


@pytest.fixture
def door_token(auth):
    """A bearer token of door staff, for tests that also ask as someone else."""
    return auth.token("door")


@pytest.fixture
def ticket(open_event):
    event = open_event(capacity=1)
    return services.register(event, "Ana Martin", "ana@example.org", "onsite")


def test_ok_then_already_checked_in_with_the_first_time(client, door, ticket):
    first = client.post(URL, json={"code": ticket.code}, headers=door)
    assert first.status_code == 200
    assert first.json["result"] == "ok"
    assert first.json["attendee"]["name"] == "Ana Martin"
    second = client.post(URL, json={"code": ticket.code}, headers=door).json
    assert second["result"] == "already_checked_in"
    assert second["checked_in_at"] == first.json["checked_in_at"]


def test_every_scan_is_recorded_with_who_and_when(client, auth, ticket):
    headers = auth.token("door", email="porte@example.org")
    for code in (ticket.code, ticket.code, "garbage"):
        client.post(URL, json={"code": code}, headers=headers)
    scans = db.session.scalars(sa.select(Scan).order_by(Scan.id)).all()
    assert [s.result for s in scans] == ["ok", "already_checked_in", "invalid"]
    assert all(s.user_id is not None and s.scanned_at for s in scans)


def test_tampered_unknown_and_foreign_codes(client, door, ticket, open_event):
    other = services.register(open_event(slug="autre"), "Bob", "bob@example.org", "onsite")
    prefix, random_part, mac = ticket.code.split(".")
    tampered = f"{prefix}.{random_part[::-1]}.{mac}"
    assert client.post(URL, json={"code": tampered}, headers=door).json["result"] == "invalid"
    assert client.post(URL, json={"code": "T1.x.y"}, headers=door).json["result"] == "invalid"
    assert client.post(URL, json={"code": other.code}, headers=door).json == {
        "result": "wrong_event"}


def test_cancelled_and_waitlisted_tickets(client, door, ticket):
    waiting = services.register(ticket.event, "Bob", "bob@example.org", "onsite")
    assert client.post(URL, json={"code": waiting.code}, headers=door).json["result"] == \
        "waitlisted"
    third = services.register(ticket.event, "Cléo", "cleo@example.org", "onsite")
    services.cancel(third)
    assert client.post(URL, json={"code": third.code}, headers=door).json["result"] == \
        "cancelled"


def test_a_retry_with_the_same_nonce_answers_as_the_first_call(client, door, ticket):
    first = client.post(URL, json={"code": ticket.code, "nonce": "n-1"}, headers=door).json
    again = client.post(URL, json={"code": ticket.code, "nonce": "n-1"}, headers=door).json
    assert first == again
    assert first["result"] == "ok"
    other = client.post(URL, json={"code": ticket.code, "nonce": "n-2"}, headers=door).json
    assert other["result"] == "already_checked_in"
    assert db.session.scalar(sa.select(sa.func.count(Scan.id))) == 2


@pytest.mark.parametrize(("body", "status"), [
    ("not json", 415), ([1, 2], 400), ({"nonce": "x"}, 400), ({"code": 5}, 400)])
def test_bad_bodies(client, door, ticket, body, status):
    if isinstance(body, str):
        response = client.post(URL, data=body, headers=door)
    else:
        response = client.post(URL, json=body, headers=door)
    assert response.status_code == status
    assert "error" in response.json


def test_door_role_required(client, auth, ticket):
    assert client.post(URL, json={"code": ticket.code}).status_code == 401
    moderator = auth.token("moderator")
    assert client.post(URL, json={"code": ticket.code}, headers=moderator).status_code == 403


def test_door_role_required_by_session(client, auth, ticket):
    auth.login("moderator")
    assert client.post(URL, json={"code": ticket.code}).status_code == 403
    client.post("/logout")
    door = auth.login("door")
    door.active = False  # disabled after signing in: the session still names the account
    db.session.commit()
    assert client.post(URL, json={"code": ticket.code}).status_code == 401
    db.session.refresh(ticket)
    assert ticket.checked_in_at is None
    assert db.session.scalar(sa.select(sa.func.count(Scan.id))) == 0


def test_a_session_that_ended_or_fails_its_protection_checks_nobody_in(app, client, auth,
                                                                        ticket):
    auth.login("door")
    client.post("/logout")
    assert client.post(URL, json={"code": ticket.code}).status_code == 401
    auth.login("door", email="porte@example.org")
    # Strong protection refuses a session cookie sent from another browser.
    app.config["SESSION_PROTECTION"] = "strong"
    stolen = client.post(URL, json={"code": ticket.code}, headers={"User-Agent": "autre"})
    assert stolen.status_code == 401
    db.session.refresh(ticket)
    assert ticket.checked_in_at is None
    auth.login("door", email="accueil@example.org")  # strong protection cleared the session
    assert client.post(URL, json={"code": ticket.code}).json["result"] == "ok"
    assert db.session.scalars(sa.select(Scan.result)).all() == ["ok"]


def test_the_short_path_leaves_every_other_case_to_scan(app, auth, open_event):
    event = open_event(capacity=2, slug="court")
    ana, bob = (services.register(event, name, f"{name}@example.org", "onsite")
                for name in ("ana", "bob"))
    door, moderator = auth.create("door"), auth.create("moderator")
    assert checkin.scan_at_door("court", ana.code, None, moderator.id) is None
    assert checkin.scan_at_door("court", ana.code, None, 10_000) is None  # no such account
    assert checkin.scan_at_door("court", "T1.x.y", None, door.id) is None
    assert checkin.scan_at_door("autre", ana.code, None, door.id) is None
    assert checkin.scan_at_door("court", ana.code, "n-1", door.id).result == "ok"
    assert checkin.scan_at_door("court", ana.code, None, door.id) is None  # already in
    # A nonce seen before, on a ticket that could go in: nothing is kept of the attempt.
    assert checkin.scan_at_door("court", bob.code, "n-1", door.id) is None
    db.session.commit()
    assert db.session.get(type(bob), bob.id).checked_in_at is None
    assert db.session.scalars(sa.select(Scan.result)).all() == ["ok"]


def _write_lock_failing(message):
    """A stand-in for ``write_connection`` whose BEGIN IMMEDIATE fails with ``message``."""

    @contextmanager
    def write_connection():
        raise OperationalError("BEGIN IMMEDIATE", {}, Exception(message))
        yield

    return write_connection


def test_the_short_path_gives_way_when_the_write_lock_stays_busy(app, auth, ticket,
                                                                  monkeypatch):
    door = auth.create("door")
    monkeypatch.setattr(checkin, "write_connection", _write_lock_failing("database is locked"))
    assert checkin.scan_at_door("rencontres", ticket.code, None, door.id) is None
    monkeypatch.setattr(checkin, "write_connection", _write_lock_failing("disk I/O error"))
    with pytest.raises(OperationalError):
        checkin.scan_at_door("rencontres", ticket.code, None, door.id)


def test_the_api_checks_in_by_the_full_path_when_the_short_one_gives_way(client, auth,
                                                                         ticket, monkeypatch):
    auth.login("door")
    monkeypatch.setattr(checkin, "write_connection", _write_lock_failing("database is locked"))
    assert client.post(URL, json={"code": ticket.code}).json["result"] == "ok"
    assert db.session.scalars(sa.select(Scan.result)).all() == ["ok"]


def test_stats_for_door_and_organiser(client, auth, door_token, ticket):
    door = door_token
    services.register(ticket.event, "Bob", "bob@example.org", "onsite")
    services.register(ticket.event, "Cléo", "cleo@example.org", "remote")
    client.post(URL, json={"code": ticket.code}, headers=door)
    stats = client.get("/api/v1/events/rencontres/stats", headers=door).json
    assert stats == {"onsite_capacity": 1, "confirmed_onsite": 1, "confirmed_remote": 1,
                     "waitlisted": 1, "checked_in": 1}
    assert client.get("/api/v1/events/rencontres/stats").status_code == 401


def test_undo_by_an_organiser(client, auth, door_token, ticket):
    door = door_token
    client.post(URL, json={"code": ticket.code}, headers=door)
    undo_url = f"/api/v1/events/rencontres/registrations/{ticket.id}/undo-checkin"
    assert client.post(undo_url, headers=door).status_code == 403
    organiser = auth.token("organiser")
    assert client.post(undo_url, headers=organiser).json == {"undone": True}
    assert client.post(URL, json={"code": ticket.code}, headers=door).json["result"] == "ok"
    results = db.session.scalars(sa.select(Scan.result).order_by(Scan.id)).all()
    assert results == ["ok", "undone", "ok"]


def test_offline_sync_keeps_original_times_and_reports_conflicts(client, door, ticket):
    bob = services.register(ticket.event, "Bob", "bob@example.org", "remote")
    client.post(URL, json={"code": bob.code}, headers=door)  # Bob came in online already
    at = "2030-10-28T08:12:00+00:00"
    response = client.post(URL + "/sync", headers=door, json={"scans": [
        {"code": ticket.code, "nonce": "off-1", "scanned_at": at},
        {"code": bob.code, "nonce": "off-2", "scanned_at": at},
        {"code": ticket.code, "nonce": "off-1", "scanned_at": at},  # sent twice
    ]})
    body = response.json
    assert [r["result"] for r in body["results"]] == ["ok", "already_checked_in", "ok"]
    assert [r["conflict"] for r in body["results"]] == [False, True, False]
    assert body["conflicts"] == 1
    db.session.refresh(ticket)
    assert ticket.checked_in_at == datetime(2030, 10, 28, 8, 12, tzinfo=UTC)


def test_offline_code_list_is_hashed(client, door, ticket):
    import hashlib

    body = client.get(URL + "/codes", headers=door).json
    assert body["hashes"] == [hashlib.sha256(ticket.code.encode()).hexdigest()]
    assert ticket.code not in str(body)


def _fire(app, ticket, user_id, path, count=50):
    slug, code = ticket.event.slug, ticket.code

    def work(i):
        if path == "short":  # as the API does for door staff signed in by session
            answer = checkin.scan_at_door(slug, code, None, user_id)
            if answer is not None:
                return answer.result
        return checkin.scan(slug, code, user_id).result

    return concurrently(app, count, work)


@pytest.mark.parametrize("path", ["full", "short"])
def test_fifty_simultaneous_scans_make_exactly_one_ok(app, auth, ticket, path):
    results = _fire(app, ticket, auth.create("door").id, path)
    assert results.count("ok") == 1
    assert results.count("already_checked_in") == 49
    assert db.session.scalar(sa.select(sa.func.count(Scan.id))) == 50


@pytest.mark.parametrize("path", ["full", "short"])
def test_without_the_guard_the_race_lets_several_in(app, auth, ticket, monkeypatch, path):
    monkeypatch.setattr(checkin, "GUARD", False)
    results = _fire(app, ticket, auth.create("door").id, path)
    assert results.count("ok") > 1
