"""Check-in API: its answers, nonces, records, atomicity, offline sync."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from eventhub.extensions import db
from eventhub.registration import checkin, services
from eventhub.registration.models import Registration, Scan, ScanResult
from tests.registration.conftest import concurrently

URL = "/api/v1/events/rencontres/checkin"


@pytest.fixture(params=["token", "session"])
def door(request, auth):
    """Door staff's headers, for each way a scanner signs in: a bearer token, or none
    when the client holds the session of the scanner page."""
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


def test_a_remote_ticket_is_refused_named_and_recorded(client, door, ticket):
    bob = services.register(ticket.event, "Bob Vidal", "bob@example.org", "remote")
    answer = client.post(URL, json={"code": bob.code}, headers=door).json
    assert answer == {"result": "remote", "attendee": {
        "name": "Bob Vidal", "organisation": "", "attendance": "remote"}}
    again = client.post(URL, json={"code": bob.code}, headers=door).json
    assert again["result"] == "remote"
    db.session.refresh(bob)
    assert bob.checked_in_at is None
    assert db.session.scalars(sa.select(Scan.result)).all() == ["remote", "remote"]
    stats = client.get("/api/v1/events/rencontres/stats", headers=door).json
    assert (stats["confirmed_remote"], stats["checked_in"]) == (1, 0)


def test_a_cancelled_remote_ticket_reads_cancelled(client, door, ticket):
    bob = services.register(ticket.event, "Bob Vidal", "bob@example.org", "remote")
    services.cancel(bob)
    assert client.post(URL, json={"code": bob.code}, headers=door).json["result"] == \
        "cancelled"


def test_a_retry_with_the_same_nonce_answers_as_the_first_call(client, door, ticket):
    first = client.post(URL, json={"code": ticket.code, "nonce": "n-1"}, headers=door).json
    again = client.post(URL, json={"code": ticket.code, "nonce": "n-1"}, headers=door).json
    assert first == again
    assert first["result"] == "ok"
    other = client.post(URL, json={"code": ticket.code, "nonce": "n-2"}, headers=door).json
    assert other["result"] == "already_checked_in"
    assert db.session.scalar(sa.select(sa.func.count(Scan.id))) == 2


def test_a_nonce_seen_before_checks_no_other_ticket_in(client, door, ticket):
    bob = services.register(ticket.event, "Bob", "bob@example.org", "remote")
    first = client.post(URL, json={"code": ticket.code, "nonce": "n-1"}, headers=door).json
    reused = client.post(URL, json={"code": bob.code, "nonce": "n-1"}, headers=door).json
    assert first["result"] == "ok"
    assert reused == {"result": "invalid"}  # and never the first scan's attendee
    db.session.refresh(bob)
    assert bob.checked_in_at is None
    assert db.session.scalars(sa.select(Scan.result)).all() == ["ok"]


@pytest.mark.parametrize("role", ["organiser", "admin"])
def test_the_roles_that_grant_the_door_check_in_too(client, auth, ticket, role):
    auth.login(role)
    assert client.post(URL, json={"code": ticket.code}).json["result"] == "ok"


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


def test_an_unknown_event_is_a_404_and_records_nothing(client, door, ticket):
    response = client.post("/api/v1/events/nulle-part/checkin", json={"code": ticket.code},
                           headers=door)
    assert (response.status_code, response.json["error"]) == (404, "not_found")
    db.session.refresh(ticket)
    assert ticket.checked_in_at is None
    assert db.session.scalar(sa.select(sa.func.count(Scan.id))) == 0


def test_stats_for_door_and_organiser(client, door_token, crowd):
    stats = client.get("/api/v1/events/rencontres/stats", headers=door_token).json
    assert stats == {"onsite_capacity": 6, "confirmed_onsite": 4, "confirmed_remote": 2,
                     "waitlisted": 1, "checked_in": 3}
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
    services.save_settings(ticket.event, 2, None, None, None)
    bob = services.register(ticket.event, "Bob", "bob@example.org", "onsite")
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

    services.register(ticket.event, "Bob", "bob@example.org", "remote")  # may not come in
    body = client.get(URL + "/codes", headers=door).json
    assert body["hashes"] == sorted(hashlib.sha256(code.encode()).hexdigest()
                                    for code in (ticket.code, ticket.short_code))
    assert ticket.code not in str(body)
    assert ticket.short_code not in str(body)


def test_a_short_code_checks_in_at_its_own_event_only(client, door, ticket, open_event):
    other = services.register(open_event(slug="autre"), "Bob", "bob@example.org", "onsite")
    assert client.post(URL, json={"code": other.short_code}, headers=door).json == {
        "result": "invalid"}
    answer = client.post(URL, json={"code": ticket.short_code}, headers=door).json
    assert answer["result"] == "ok"
    assert answer["attendee"]["name"] == "Ana Martin"
    db.session.refresh(other)
    assert other.checked_in_at is None


def test_a_short_code_typed_in_lower_case_with_a_dash(client, door, ticket):
    typed = f" {ticket.short_code[:4].lower()}-{ticket.short_code[4:].lower()} "
    assert client.post(URL, json={"code": typed}, headers=door).json["result"] == "ok"
    assert client.post(URL, json={"code": ticket.short_code}, headers=door).json[
        "result"] == "already_checked_in"


def _fire(app, ticket, user_id, count=50):
    slug, code = ticket.event.slug, ticket.code
    return concurrently(app, count, lambda i: checkin.scan(slug, code, user_id).result)


def test_fifty_simultaneous_scans_make_exactly_one_ok(app, auth, ticket):
    results = _fire(app, ticket, auth.create("door").id)
    assert results.count("ok") == 1
    assert results.count("already_checked_in") == 49
    assert db.session.scalar(sa.select(sa.func.count(Scan.id))) == 50


def _naive_check_in(slug, code, at):
    """The read-then-write that the conditional UPDATE replaces, as client-side or unlocked
    code does it: the read and the write run in two transactions, so another scan can
    read the same "not yet checked in" between them."""
    registration = db.session.scalar(sa.select(Registration).where(Registration.code == code))
    if registration.checked_in_at is not None:
        return None
    db.session.commit()
    time.sleep(0.02)  # the time a slow request takes between its read and its write
    db.session.execute(sa.update(Registration).where(Registration.id == registration.id)
                       .values(checked_in_at=at).execution_options(synchronize_session=False))
    return registration.event_id, checkin.Answer(ScanResult.OK, registration.id,
                                                 checked_in_at=at)


def test_the_concurrency_check_detects_a_naive_check_in(app, auth, ticket, monkeypatch):
    monkeypatch.setattr(checkin, "_check_in", _naive_check_in)
    results = _fire(app, ticket, auth.create("door").id)
    assert results.count("ok") > 1


def test_the_door_name_list_holds_confirmed_on_site_attendees_only(client, auth, door,
                                                                  ticket, open_event):
    services.save_settings(ticket.event, 3, 1, None, None)
    zoe = services.register(ticket.event, "Zoé Arnaud", "zoe@example.org", "onsite", "MDECS")
    services.register(ticket.event, "Rémi Distant", "remi@example.org", "remote")
    services.cancel(services.register(ticket.event, "Paul Roux", "paul@example.org", "onsite"))
    services.register(ticket.event, "Léa Pleine", "lea@example.org", "onsite")
    services.register(ticket.event, "Wanda Attente", "wanda@example.org", "onsite")  # waits
    services.register(open_event(slug="autre"), "Bob Ailleurs", "bob@example.org", "onsite")
    client.post(URL, json={"code": ticket.code}, headers=door)  # arrived: still listed

    response = client.get(URL + "/names", headers=door)
    assert response.status_code == 200
    assert response.json == {"attendees": [
        {"name": "Ana Martin", "organisation": "",
         "short_code": f"{ticket.short_code[:4]}-{ticket.short_code[4:]}"},
        {"name": "Léa Pleine", "organisation": "", "short_code": services.find_by_email(
            ticket.event, "lea@example.org").printed_short_code},
        {"name": "Zoé Arnaud", "organisation": "MDECS", "short_code": zoe.printed_short_code},
    ]}
    assert "@" not in response.get_data(as_text=True)


def test_the_door_name_list_is_for_door_staff(client, auth, ticket):
    assert client.get(URL + "/names").status_code == 401
    assert client.get(URL + "/names", headers=auth.token("moderator")).status_code == 403
    assert client.get("/api/v1/events/nulle-part/checkin/names",
                      headers=auth.token("door")).status_code == 404
