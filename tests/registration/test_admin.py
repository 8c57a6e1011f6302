"""Organiser pages: settings, attendee list, CSV export, dashboard, scanner, live figures."""

from __future__ import annotations

import csv
import io

from eventhub.extensions import db, socketio
from eventhub.registration import figures, services


def test_settings_form_saves_in_the_event_zone(client, auth, make_event):
    event = make_event()
    auth.login("organiser")
    assert client.get("/manage/events/rencontres/registration").status_code == 200
    response = client.post("/manage/events/rencontres/registration", data={
        "onsite_capacity": "120", "remote_capacity": "", "opens_at": "2030-09-01T09:00",
        "closes_at": ""})
    assert response.status_code == 302
    settings = services.settings_for(event)
    assert (settings.onsite_capacity, settings.remote_capacity) == (120, None)
    assert settings.opens_at.isoformat() == "2030-09-01T07:00:00+00:00"
    bad = client.post("/manage/events/rencontres/registration", data={"onsite_capacity": "-1"})
    assert bad.status_code == 400
    assert services.settings_for(event).onsite_capacity == 120


def test_organiser_pages_need_the_role(client, auth, open_event):
    open_event()
    assert client.get("/manage/events/rencontres/attendees").status_code == 302
    auth.login("door")
    assert client.get("/manage/events/rencontres/attendees").status_code == 403
    assert client.get("/manage/events/rencontres/scanner").status_code == 200
    assert client.get("/manage/events/rencontres/dashboard").status_code == 200


def test_attendee_list_search(client, auth, open_event):
    event = open_event()
    services.register(event, "Ana Martin", "ana@example.org", "onsite")
    services.register(event, "Bob <b>", "bob@example.org", "remote")
    auth.login("organiser")
    body = client.get("/manage/events/rencontres/attendees?q=martin").get_data(as_text=True)
    assert "Ana Martin" in body
    assert "bob@example.org" not in body
    body = client.get("/manage/events/rencontres/attendees").get_data(as_text=True)
    assert "Bob &lt;b&gt;" in body


def test_csv_export_neutralises_formulas(client, auth, open_event):
    event = open_event()
    services.register(event, "=HYPERLINK(\"http://x\")", "ana@example.org", "onsite",
                      organisation="+33 SARL")
    services.register(event, "@SUM(A1)", "bob@example.org", "onsite", organisation="-")
    auth.login("organiser")
    response = client.get("/manage/events/rencontres/attendees.csv")
    assert response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    cells = [cell for row in rows[1:] for cell in row]
    assert "'=HYPERLINK(\"http://x\")" in cells
    assert "'+33 SARL" in cells
    assert "'@SUM(A1)" in cells
    assert not any(cell[:1] in "=+-@" for cell in cells if cell)


def test_manual_check_in_and_undo_from_the_pages(client, auth, open_event):
    event = open_event()
    ana = services.register(event, "Ana Martin", "ana@example.org", "onsite")
    auth.login("organiser")
    found = client.get("/manage/events/rencontres/scanner?q=ana").get_data(as_text=True)
    assert "Enregistrer l&#39;arrivée" in found or "Enregistrer l'arrivée" in found
    page = client.post(f"/manage/events/rencontres/scanner/checkin/{ana.id}",
                       follow_redirects=True).get_data(as_text=True)
    assert "Ana Martin : Bienvenue" in page
    assert figures.stats(event).checked_in == 1
    client.post(f"/manage/events/rencontres/attendees/{ana.id}/undo-checkin")
    assert figures.stats(event).checked_in == 0


def test_the_name_search_shows_attendance_and_lets_no_remote_registration_in(client, auth,
                                                                                 open_event):
    event = open_event()
    ana = services.register(event, "Ana Martin", "ana@example.org", "onsite")
    bob = services.register(event, "Bob Martin", "bob@example.org", "remote")
    auth.login("door")
    found = client.get("/manage/events/rencontres/scanner?q=martin").get_data(as_text=True)
    rows = {row.split(" · ")[0].strip(): row for row in found.split("<li>")[1:]}
    assert "Sur place" in rows["Ana Martin"] and "À distance" not in rows["Ana Martin"]
    assert "À distance" in rows["Bob Martin"] and "Sur place" not in rows["Bob Martin"]
    assert f"/scanner/checkin/{ana.id}" in rows["Ana Martin"]
    assert f"/scanner/checkin/{bob.id}" not in found
    page = client.post(f"/manage/events/rencontres/scanner/checkin/{bob.id}",
                       follow_redirects=True).get_data(as_text=True)
    assert "Bob Martin : Inscription à distance" in page
    # English puts no space before the colon.
    client.get("/lang/en")
    page = client.post(f"/manage/events/rencontres/scanner/checkin/{bob.id}",
                       follow_redirects=True).get_data(as_text=True)
    assert "Bob Martin: " in page and "Bob Martin : " not in page
    db.session.refresh(bob)
    assert bob.checked_in_at is None
    assert figures.stats(event).checked_in == 0


def test_dashboard_receives_live_figures(app, client, auth, open_event):
    event = open_event()
    auth.login("door")
    sio = socketio.test_client(app, namespace="/checkin", flask_test_client=client)
    assert sio.is_connected("/checkin")
    ack = sio.emit("join", {"event": "rencontres"}, namespace="/checkin", callback=True)
    assert ack["ok"] and ack["stats"]["confirmed_onsite"] == 0
    ana = services.register(event, "Ana", "ana@example.org", "onsite")
    door = auth.token("door", email="porte@example.org")
    client.post("/api/v1/events/rencontres/checkin", json={"code": ana.code}, headers=door)
    received = [m for m in sio.get_received("/checkin") if m["name"] == "stats"]
    assert received[-1]["args"][0]["checked_in"] == 1
    sio.disconnect(namespace="/checkin")


def test_each_service_that_changes_a_figure_publishes_it(app, client, auth, open_event):
    from eventhub.registration import checkin

    event = open_event(capacity=1)
    door = auth.login("door")
    sio = socketio.test_client(app, namespace="/checkin", flask_test_client=client)
    sio.emit("join", {"event": "rencontres"}, namespace="/checkin", callback=True)

    def published():
        return [(m["args"][0]["onsite_capacity"], m["args"][0]["confirmed_onsite"],
                 m["args"][0]["waitlisted"], m["args"][0]["checked_in"])
                for m in sio.get_received("/checkin") if m["name"] == "stats"]

    ana = services.register(event, "Ana", "ana@example.org", "onsite")
    services.register(event, "Bob", "bob@example.org", "onsite")
    assert published() == [(1, 1, 0, 0), (1, 1, 1, 0)]
    checkin.scan("rencontres", ana.code, door.id)
    checkin.scan("rencontres", ana.code, door.id)  # already in: no figure changed
    assert published() == [(1, 1, 1, 1)]
    checkin.undo(ana, door.id)
    checkin.undo(ana, door.id)  # nothing left to undo
    assert published() == [(1, 1, 1, 0)]
    services.cancel(ana)  # Bob is promoted
    services.cancel(ana)  # already cancelled
    assert published() == [(1, 1, 0, 0)]
    services.save_settings(event, 3, None, None, None)
    assert published() == [(3, 1, 0, 0)]
    sio.disconnect(namespace="/checkin")


def test_dashboard_socket_refuses_anonymous(app, open_event):
    open_event()
    sio = socketio.test_client(app, namespace="/checkin")
    assert not sio.is_connected("/checkin")


def test_live_figures_are_coalesced(app, client, auth, open_event):
    import time

    event = open_event(capacity=10)
    people = [services.register(event, f"P{i}", f"p{i}@example.org", "onsite")
              for i in range(3)]
    app.config["REGISTRATION_LIVE_INTERVAL"] = 0.2  # the check-ins below are coalesced
    auth.login("door")
    sio = socketio.test_client(app, namespace="/checkin", flask_test_client=client)
    sio.emit("join", {"event": "rencontres"}, namespace="/checkin", callback=True)
    for person in people:
        client.post("/api/v1/events/rencontres/checkin", json={"code": person.code})
    deadline = time.monotonic() + 3
    received = []
    while not received and time.monotonic() < deadline:
        time.sleep(0.05)
        received = [m for m in sio.get_received("/checkin") if m["name"] == "stats"]
    time.sleep(0.3)  # nothing else follows
    received += [m for m in sio.get_received("/checkin") if m["name"] == "stats"]
    assert [m["args"][0]["checked_in"] for m in received] == [3]
    sio.disconnect(namespace="/checkin")


def test_an_attendee_of_another_event_is_404_in_every_url(client, auth, open_event):
    open_event()
    other = open_event(slug="autre")
    bob = services.register(other, "Bob Vidal", "bob@example.org", "onsite")
    headers = auth.token("organiser")
    for url in (f"/manage/events/rencontres/scanner/checkin/{bob.id}",
                f"/manage/events/rencontres/attendees/{bob.id}/undo-checkin",
                f"/api/v1/events/rencontres/registrations/{bob.id}/undo-checkin"):
        assert client.post(url, headers=headers).status_code == 404, url
    assert figures.stats(other).checked_in == 0
