"""Issue 12, items 7 to 15: the low-severity holes, each attacked once."""

from __future__ import annotations

import csv
import io
import json
import os
import stat

import pytest
import sqlalchemy as sa

from eventhub.errors import Refused
from eventhub.extensions import db, socketio
from eventhub.live import services as live_services
from eventhub.registration import checkin
from eventhub.registration import services as registration_services
from eventhub.registration.models import Registration
from tests.conftest import AuthActions
from tests.live.helpers import live_event

FORMULA_STARTS = tuple("=+-@\t\r")


# --- 7. CSV read with ";" as the separator (French spreadsheets) ----------------------


def test_csv_export_is_safe_when_read_with_semicolons(client, auth, open_event):
    event = open_event()
    registration_services.register(event, "Y;=1+1;Z", "ana@example.org", "onsite",
                                   organisation="Coop; @SUM(A1)")
    auth.login("organiser")
    text = client.get("/manage/events/rencontres/attendees.csv").get_data(as_text=True)
    for delimiter in (",", ";"):
        rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=delimiter))
        cells = [cell.lstrip(" ") for row in rows[1:] for cell in row]
        assert not [cell for cell in cells if cell.startswith(FORMULA_STARTS)], delimiter
    assert "=1+1" in text  # the text is kept, only neutralised


# --- 8. Cookie-authenticated API writes need a CSRF token or JSON from our origin -------


@pytest.fixture
def csrf_app(app):
    app.config["WTF_CSRF_ENABLED"] = True  # read on each request
    return app


def _checked_in(app, open_event):
    event = open_event()
    ana = registration_services.register(event, "Ana Martin", "ana@example.org", "onsite")
    checkin.scan(event.slug, ana.code, None)
    organiser = AuthActions(app.test_client()).create("organiser")
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = organiser.get_id()
    return client, f"/api/v1/events/{event.slug}/registrations/{ana.id}/undo-checkin", ana


def _still_checked_in(ana) -> bool:
    db.session.refresh(ana)
    return ana.checked_in_at is not None


def test_cookie_api_write_without_csrf_token_is_refused(csrf_app, open_event):
    client, url, ana = _checked_in(csrf_app, open_event)
    forged = client.post(url, data={"x": "1"})
    assert forged.status_code == 400 and forged.get_json()["error"] == "csrf_failed"
    assert _still_checked_in(ana)
    cross_site = client.post(url, json={}, headers={"Origin": "https://evil.example"})
    assert cross_site.status_code == 400 and _still_checked_in(ana)


def test_cookie_api_write_with_json_from_our_origin_works(csrf_app, open_event):
    client, url, ana = _checked_in(csrf_app, open_event)
    response = client.post(url, json={}, headers={"Origin": "http://localhost"})
    assert response.status_code == 200 and not _still_checked_in(ana)


def test_bearer_api_write_needs_no_csrf_token(csrf_app, open_event):
    event = open_event()
    ana = registration_services.register(event, "Ana Martin", "ana@example.org", "onsite")
    checkin.scan(event.slug, ana.code, None)
    client = csrf_app.test_client()
    headers = AuthActions(client).token("organiser")
    url = f"/api/v1/events/{event.slug}/registrations/{ana.id}/undo-checkin"
    assert client.post(url, headers=headers).status_code == 200


# --- 9. Contact relay: the sender's name cannot add an address ------------------------


def test_contact_sender_name_cannot_add_a_reply_to_address(make_teleworker, smtp_server):
    from eventhub.directory import services

    person, _ = make_teleworker()
    smtp_server.messages.clear()
    services.send_contact(person, 'Eve <boss@corp.example>, "x"', "eve@example.net",
                          "Bonjour")
    message = smtp_server.wait_for(1)[0]
    addresses = message["Reply-To"].addresses
    assert [address.addr_spec for address in addresses] == ["eve@example.net"]


# --- 10. Live ask: the size is checked before cleaning; Socket.IO's buffer is capped ----


def test_oversized_ask_is_refused_before_its_text_is_cleaned(app, monkeypatch):
    event = live_event(premoderation=False)
    cleaned = []
    clean = live_services.clean_text
    monkeypatch.setattr(live_services, "clean_text",
                        lambda text, limit: cleaned.append(len(text)) or clean(text, limit))
    with pytest.raises(Refused) as refused:
        live_services.ask(event, "viewer", "x" * 950_000)
    assert refused.value.code == "question_too_long"
    assert all(length < 10_000 for length in cleaned)


def test_socketio_buffer_is_capped(app):
    assert socketio.server.eio.max_http_buffer_size == app.config["SOCKETIO_MAX_BUFFER"]
    assert app.config["SOCKETIO_MAX_BUFFER"] <= 64 * 1024


# --- 11. Hostile JSON answers 400 -----------------------------------------------------


@pytest.mark.parametrize("body", [
    "[" * 100_000 + "]" * 100_000,
    '{"name": "\\ud800", "email": "ana@example.org", "attendance": "onsite"}',
    '{"name": "Ana", "email": "ana@example.org", "attendance": "onsite", "x": ["\\udfff"]}',
])
def test_hostile_json_is_a_400(client, open_event, body):
    open_event()
    response = client.post("/api/v1/events/rencontres/registrations", data=body,
                           content_type="application/json")
    assert response.status_code == 400
    assert response.get_json()["error"] == "bad_request"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Registration)) == 0


def test_json_with_a_real_surrogate_pair_is_accepted(client, open_event):
    open_event()
    body = json.dumps({"name": "Ana \U0001F600", "email": "ana@example.org",
                       "attendance": "onsite", "consent": True})
    response = client.post("/api/v1/events/rencontres/registrations", data=body,
                           content_type="application/json")
    assert response.status_code == 201


# --- 12. Duplicate registration: the answer is kept, bounded by the rate limit ---------


def test_duplicate_probes_are_bounded_by_the_rate_limit(make_app):
    from datetime import date

    from eventhub.programme.models import Event

    app = make_app(RATELIMIT_ENABLED=True)
    with app.app_context():
        event = Event(slug="rencontres", title="Rencontres", start_date=date(2030, 10, 28),
                      end_date=date(2030, 10, 28), published=True)
        db.session.add(event)
        db.session.commit()
        registration_services.save_settings(event, 50, None, None, None)
        registration_services.register(event, "Ana", "ana@example.org", "onsite")
        client = app.test_client()
        statuses = [client.post("/api/v1/events/rencontres/registrations", json={
            "name": "X", "email": f"probe{i}@example.org" if i else "ana@example.org",
            "attendance": "onsite", "consent": True}).status_code for i in range(35)]
    assert statuses[0] == 409
    assert statuses[-1] == 429


# --- 13. A nonce answers only for its own code ----------------------------------------


def test_reusing_another_scans_nonce_reveals_no_name(client, auth, open_event):
    event = open_event()
    ana = registration_services.register(event, "Ana Martin", "ana@example.org", "onsite")
    headers = auth.token("door")
    url = f"/api/v1/events/{event.slug}/checkin"
    first = client.post(url, json={"code": ana.code, "nonce": "n-1"}, headers=headers)
    assert first.get_json()["attendee"]["name"] == "Ana Martin"
    replay = client.post(url, json={"code": ana.code, "nonce": "n-1"}, headers=headers)
    assert replay.get_json()["attendee"]["name"] == "Ana Martin"  # a retry of the same scan
    probe = client.post(url, json={"code": "T1.forged.code", "nonce": "n-1"},
                        headers=headers).get_json()
    assert "Ana" not in json.dumps(probe) and probe["result"] != "ok"


# --- 14. HSTS when the site is served over https ---------------------------------------


def test_hsts_when_public_url_is_https(make_app):
    secure = make_app(PUBLIC_URL="https://events.example.org").test_client()
    header = secure.get("/", base_url="https://events.example.org").headers.get(
        "Strict-Transport-Security", "")
    assert int(header.split("max-age=")[1].split(";")[0]) >= 31536000
    plain = make_app(PUBLIC_URL="http://localhost").test_client()
    assert "Strict-Transport-Security" not in plain.get("/").headers


# --- 15. The instance folder and the SQLite file are the owner's only ------------------


def test_instance_folder_and_sqlite_file_are_private(test_config, tmp_path):
    from eventhub import create_app

    path = tmp_path / "fresh.db"
    app = create_app({**test_config, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}"})
    with app.app_context():
        db.session.execute(sa.text("SELECT 1"))
        db.session.remove()
        db.engine.dispose()
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(app.instance_path).st_mode) == 0o700
