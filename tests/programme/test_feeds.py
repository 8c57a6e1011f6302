"""The ICS feeds over HTTP (headers, conditional GET, access) and the calendar links."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from flask import render_template_string

from eventhub.extensions import db
from eventhub.programme import calendar_links
from eventhub.programme.models import SlotSpeaker, Speaker


@pytest.fixture
def event(make_event):
    """A published event with one talk."""
    return make_event(slug="aubrac", slots=[
        {"start": "09:30", "end": "10:30", "title": "Fibre, réseaux; et après ?",
         "room": "Grande salle"},
    ])


def test_programme_feed_headers(client, event):
    response = client.get("/events/aubrac/programme.ics")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert response.headers["Content-Disposition"] == 'attachment; filename=aubrac.ics'
    assert response.headers["Cache-Control"] == "no-cache"
    assert response.headers["ETag"].startswith('"')


def test_last_modified_is_the_latest_change_of_the_event_or_its_slots(client, event):
    slot = event.slots[0]
    event.updated_at = datetime(2030, 9, 1, 8, 0, 5, tzinfo=UTC)
    slot.updated_at = datetime(2030, 9, 3, 17, 45, 30, tzinfo=UTC)
    db.session.commit()
    response = client.get("/events/aubrac/programme.ics")
    assert response.last_modified == datetime(2030, 9, 3, 17, 45, 30, tzinfo=UTC)
    event.updated_at = datetime(2030, 9, 4, 6, 10, 15, tzinfo=UTC)
    db.session.commit()
    response = client.get("/events/aubrac/programme.ics")
    assert response.last_modified == datetime(2030, 9, 4, 6, 10, 15, tzinfo=UTC)
    assert response.get_data().startswith(b"BEGIN:VCALENDAR\r\n")


def test_conditional_get_answers_304_until_something_changes(client, event):
    first = client.get("/events/aubrac/programme.ics")
    etag = first.headers["ETag"]

    again = client.get("/events/aubrac/programme.ics", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.get_data() == b""
    assert again.headers["ETag"] == etag

    event.slots[0].title = "Fibre : dix ans après"
    db.session.commit()
    changed = client.get("/events/aubrac/programme.ics", headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed.headers["ETag"] != etag
    assert "Fibre : dix ans après" in changed.get_data(as_text=True)


def test_a_new_speaker_changes_the_etag(client, event):
    etag = client.get("/events/aubrac/programme.ics").headers["ETag"]
    event.slots[0].speaker_links.append(
        SlotSpeaker(speaker=Speaker(slug="ana", name="Ana Martin", affiliation="MDECS")))
    db.session.commit()
    response = client.get("/events/aubrac/programme.ics", headers={"If-None-Match": etag})
    assert response.status_code == 200
    assert "Ana Martin (MDECS)" in response.get_data(as_text=True)


def test_slot_feed(client, event):
    slot = event.slots[0]
    response = client.get(f"/events/aubrac/slots/{slot.id}.ics")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == f"attachment; filename=aubrac-{slot.id}.ics"
    body = response.get_data(as_text=True)
    assert body.count("BEGIN:VEVENT") == 1
    assert f"UID:{slot.uid}@eventhub" in body
    etag = response.headers["ETag"]
    assert client.get(f"/events/aubrac/slots/{slot.id}.ics",
                      headers={"If-None-Match": etag}).status_code == 304


def test_slot_of_another_event_or_unknown_is_404(client, event, make_event):
    other = make_event(slug="mende",
                       slots=[{"start": "10:00", "end": "11:00", "title": "Ailleurs"}])
    assert client.get(f"/events/aubrac/slots/{other.slots[0].id}.ics").status_code == 404
    assert client.get("/events/aubrac/slots/999999.ics").status_code == 404
    assert client.get("/events/nowhere/programme.ics").status_code == 404


def test_draft_event_is_404_except_for_organisers(client, auth, make_event):
    draft = make_event(slug="brouillon", published=False,
                       slots=[{"start": "10:00", "end": "11:00", "title": "Secret"}])
    assert client.get("/events/brouillon/programme.ics").status_code == 404
    assert client.get(f"/events/brouillon/slots/{draft.slots[0].id}.ics").status_code == 404

    auth.login("organiser")
    response = client.get("/events/brouillon/programme.ics")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "private, no-cache"


def test_door_staff_do_not_see_drafts(client, auth, make_event):
    make_event(slug="brouillon", published=False)
    auth.login("door")
    assert client.get("/events/brouillon/programme.ics").status_code == 404


def test_google_calendar_link(app, event):
    slot = event.slots[0]
    with app.test_request_context():
        url = calendar_links.google_calendar_url(slot)
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc, parts.path) == (
        "https", "calendar.google.com", "/calendar/render")
    query = parse_qs(parts.query)
    assert query["action"] == ["TEMPLATE"]
    assert query["text"] == ["Fibre, réseaux; et après ?"]
    # 09:30 in Paris on 28 October 2030 is 08:30 UTC.
    assert query["dates"] == ["20301028T083000Z/20301028T093000Z"]
    assert query["ctz"] == ["Europe/Paris"]
    assert query["location"] == ["Grande salle, Aumont-Aubrac"]
    assert query["details"][0].endswith(f"http://localhost/events/aubrac/slots/{slot.id}")
    assert " " not in url and "+" not in url


def test_outlook_calendar_link(app, event):
    slot = event.slots[0]
    slot.title = "Réseaux & fibre #2\x07"
    db.session.commit()
    with app.test_request_context():
        url = calendar_links.outlook_calendar_url(slot)
    parts = urlsplit(url)
    assert (parts.netloc, parts.path) == ("outlook.live.com", "/calendar/0/deeplink/compose")
    query = parse_qs(parts.query)
    assert query["subject"] == ["Réseaux & fibre #2"]
    assert query["startdt"] == ["2030-10-28T08:30:00Z"]
    assert query["enddt"] == ["2030-10-28T09:30:00Z"]
    assert query["location"] == ["Grande salle, Aumont-Aubrac"]
    assert "Conférence" in query["body"][0]


@pytest.mark.parametrize(("url", "expected"), [
    ("http://localhost/events/a/programme.ics", "webcal://localhost/events/a/programme.ics"),
    ("https://ev.example.org/events/a/programme.ics",
     "webcal://ev.example.org/events/a/programme.ics"),
    ("webcal://ev.example.org/x.ics", "webcal://ev.example.org/x.ics"),
])
def test_webcal_url(url, expected):
    assert calendar_links.webcal_url(url) == expected


def test_links_are_template_globals(app, event):
    slot = event.slots[0]
    with app.test_request_context():
        rendered = render_template_string(
            "{{ google_calendar_url(slot) }}|{{ outlook_calendar_url(slot) }}|"
            "{{ webcal_url('https://x.org/a.ics') }}", slot=slot)
    google, outlook, webcal = rendered.split("|")
    assert google.startswith("https://calendar.google.com/calendar/render?action=TEMPLATE")
    assert outlook.startswith("https://outlook.live.com/calendar/0/deeplink/compose?")
    assert webcal == "webcal://x.org/a.ics"
