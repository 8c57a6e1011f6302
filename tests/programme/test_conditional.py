"""Conditional GETs of the programme's exports and pages, decided from the event row."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from werkzeug.http import http_date

from eventhub.extensions import db
from eventhub.programme import services, versions
from eventhub.programme.models import Event, Room, SlotSpeaker, Speaker
from tests.conftest import recorded_statements

EXPORTS = ["/events/aubrac/programme.ics", "/events/aubrac/programme",
           "/api/v1/events/aubrac/programme", "/api/v1/events/aubrac", "/events/aubrac/changes",
           "/events/aubrac/changes.atom", "/events/aubrac/schedule.xml",
           "/events/aubrac/schedule.json", "/events/aubrac/widget.json",
           "/events/aubrac/programme.txt",
           "/events/aubrac/rooms/{room}/programme.ics"]


@pytest.fixture
def event(make_event):
    """A published event: two talks in two rooms, the first with a speaker; and another
    event that shares the speaker."""
    found = make_event(slug="aubrac", slots=[
        {"start": "09:30", "end": "10:30", "title": "Fibre", "room": "Grande salle"},
        {"start": "11:00", "end": "12:00", "title": "Tiers-lieux", "room": "Salle B"},
    ])
    ana = Speaker(slug="ana", name="Ana Martin", affiliation="MDECS")
    found.slots[0].speaker_links.append(SlotSpeaker(speaker=ana))
    other = make_event(slug="mende", slots=[{"start": "10:00", "end": "11:00", "title": "Mende"}])
    other.slots[0].speaker_links.append(SlotSpeaker(speaker=ana))
    db.session.commit()
    return found


def _revalidate(client, url: str, response, **headers):
    return client.get(url, headers={"If-None-Match": response.headers["ETag"], **headers})


@pytest.mark.parametrize("url", EXPORTS)
def test_every_export_answers_304_while_unchanged(client, event, url):
    url = url.format(room=event.slots[1].room_id)
    versions.publish(event)
    first = client.get(url)
    assert first.status_code == 200
    assert first.headers["Cache-Control"] == "no-cache"
    again = _revalidate(client, url, first)
    assert again.status_code == 304
    assert again.get_data() == b""
    assert again.headers["ETag"] == first.headers["ETag"]
    assert first.last_modified == event.updated_at.replace(microsecond=0)

    event.slots[1].title = "Tiers-lieux ruraux"
    event.theme = "Les tiers-lieux"
    db.session.commit()
    versions.publish(event)
    changed = _revalidate(client, url, first)
    assert changed.status_code == 200
    assert changed.headers["ETag"] != first.headers["ETag"]
    body = changed.get_data(as_text=True)
    assert "Tiers-lieux ruraux" in body or "Les tiers-lieux" in body
    assert body != first.get_data(as_text=True)


def test_each_export_has_its_own_etag(client, event):
    etags = {client.get(url.format(room=event.slots[1].room_id)).headers["ETag"]
             for url in EXPORTS}
    assert len(etags) == len(EXPORTS)


def test_a_304_reads_the_event_row_and_nothing_else(client, event):
    url = "/events/aubrac/programme.ics"
    first = client.get(url)
    db.session.expire_all()
    with recorded_statements("SELECT") as statements:
        assert _revalidate(client, url, first).status_code == 304
    assert len(statements) == 1
    assert "FROM event" in statements[0] and "slot" not in statements[0].lower()


def _rename_speaker(event):
    speaker = db.session.scalar(sa.select(Speaker).where(Speaker.slug == "ana"))
    services.save_speaker({"name": "Ana Martin-Roux", "affiliation": "MDECS"}, speaker)


def _rename_room(event):
    room = db.session.scalar(sa.select(Room).where(Room.name == "Salle B"))
    services.rename_room(room, "Salle Bonnal")


@pytest.mark.parametrize(("change", "shown"), [
    (lambda event: services.delete_slot(event.slots[1]), None),
    (_rename_room, "Salle Bonnal"),
    (_rename_speaker, "Ana Martin-Roux"),
    (lambda event: services.update_event(event, {
        **{name: getattr(event, name) for name in services.EVENT_FIELDS},
        "venue_name": "Espace Aubrac"}), "Espace Aubrac"),
])
def test_whatever_the_feed_shows_changes_its_etag(client, event, change, shown):
    url = "/events/aubrac/programme.ics"
    first = client.get(url)
    other = client.get("/events/mende/programme.ics")
    change(event)
    response = _revalidate(client, url, first)
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    if shown is None:
        assert body.count("BEGIN:VEVENT") == 1
    else:
        assert shown in body
    # Another event changes only when it shows the same speaker.
    expected = 200 if change is _rename_speaker else 304
    assert _revalidate(client, "/events/mende/programme.ics", other).status_code == expected


def test_if_modified_since_is_honoured(client, event):
    url = "/events/aubrac/programme.ics"
    an_hour_ago = event.updated_at - timedelta(hours=1)
    db.session.execute(sa.update(Event).where(Event.id == event.id)
                       .values(updated_at=an_hour_ago))
    db.session.commit()
    first = client.get(url)
    assert first.headers["Last-Modified"] == http_date(an_hour_ago)
    assert client.get(url, headers={"If-Modified-Since": http_date(an_hour_ago)}
                      ).status_code == 304
    assert client.get(url, headers={
        "If-Modified-Since": http_date(an_hour_ago - timedelta(seconds=1))}).status_code == 200

    services.delete_slot(event.slots[1])  # a deletion leaves no slot behind to date it
    response = client.get(url, headers={"If-Modified-Since": http_date(an_hour_ago)})
    assert response.status_code == 200
    assert response.get_data(as_text=True).count("BEGIN:VEVENT") == 1
    assert response.last_modified > an_hour_ago


def test_html_programme_differs_by_language(client, event):
    url = "/events/aubrac/programme"
    french = client.get(url)
    assert "Cookie" in set(french.vary)  # the language chosen lives in the session
    client.get("/lang/en")
    english = _revalidate(client, url, french)
    assert english.status_code == 200
    assert english.headers["ETag"] != french.headers["ETag"]
    assert '<html lang="en">' in english.get_data(as_text=True)


def test_signed_in_readers_get_their_own_page_every_time(client, auth, event):
    url = "/events/aubrac/programme"
    anonymous = client.get(url)
    auth.login("door")
    mine = _revalidate(client, url, anonymous)
    assert mine.status_code == 200
    assert "ETag" not in mine.headers
    assert mine.headers["Cache-Control"] == "private, no-cache"
    assert "Déconnexion" in mine.get_data(as_text=True)


def test_the_links_of_an_export_never_follow_the_request_s_host(client, event):
    url = "/events/aubrac/programme.ics"
    ours = client.get(url)
    forged = client.get(url, headers={"Host": "evil.example"})
    assert "evil.example" not in forged.get_data(as_text=True)
    assert forged.headers["ETag"] == ours.headers["ETag"]  # the same document


def test_a_pending_message_is_shown_rather_than_a_304(client, event):
    url = "/events/aubrac/programme"
    first = client.get(url)
    with client.session_transaction() as session:
        session["_flashes"] = [("success", "Inscription enregistrée.")]
    response = _revalidate(client, url, first)
    assert response.status_code == 200
    assert "Inscription enregistrée." in response.get_data(as_text=True)
    assert _revalidate(client, url, first).status_code == 304
