"""Per-room and per-speaker ICS feeds: read back with icalendar, UIDs as in the event feed."""

from __future__ import annotations

from datetime import date

import icalendar
import pytest

from eventhub.extensions import db
from eventhub.programme.models import SlotSpeaker, Speaker


def _events(response) -> dict[str, icalendar.Event]:
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    calendar = icalendar.Calendar.from_ical(response.get_data())
    return {str(vevent["summary"]): vevent for vevent in calendar.walk("VEVENT")}


@pytest.fixture
def events(make_event):
    """Two published events and a draft; Ana speaks at all three."""
    aubrac = make_event(slug="aubrac", slots=[
        {"start": "09:00", "end": "10:00", "title": "Fibre", "room": "Grande salle"},
        {"start": "09:00", "end": "10:00", "title": "Solos", "room": "Petite salle"},
        {"start": "10:15", "end": "11:00", "title": "Tiers lieux", "room": "Grande salle"},
    ])
    mende = make_event(slug="mende", day=date(2030, 11, 5), slots=[
        {"start": "14:00", "end": "15:00", "title": "Coworking", "room": "Amphithéâtre"},
    ])
    draft = make_event(slug="brouillon", published=False, slots=[
        {"start": "16:00", "end": "17:00", "title": "Secret", "room": "Salle"},
    ])
    ana = Speaker(slug="ana", name="Ana Martin", affiliation="MDECS")
    db.session.add_all([SlotSpeaker(slot=slot, speaker=ana) for slot in
                        (aubrac.slots[0], aubrac.slots[2], mende.slots[0], draft.slots[0])])
    db.session.commit()
    return aubrac, mende, draft


def test_a_room_feed_holds_that_room_with_the_event_feeds_uids(client, events):
    aubrac, _mende, _draft = events
    room = aubrac.slots[0].room
    whole = _events(client.get("/events/aubrac/programme.ics"))
    response = client.get(f"/events/aubrac/rooms/{room.id}/programme.ics")
    room_feed = _events(response)
    assert sorted(room_feed) == ["Fibre", "Tiers lieux"]
    for title, vevent in room_feed.items():
        assert vevent["uid"] == whole[title]["uid"]
        assert vevent.decoded("dtstart") == whole[title].decoded("dtstart")
        assert str(vevent["location"]).startswith("Grande salle")
    calendar = icalendar.Calendar.from_ical(response.get_data())
    assert str(calendar["x-wr-calname"]) == "Les Rencontres du télétravail — Grande salle"
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_a_room_of_another_event_is_not_found(client, events):
    _aubrac, mende, _draft = events
    other = mende.slots[0].room
    assert client.get(f"/events/aubrac/rooms/{other.id}/programme.ics").status_code == 404
    assert client.get("/events/aubrac/rooms/999999/programme.ics").status_code == 404
    # Beyond the database's integers: still a plain 404.
    huge = "/events/aubrac/rooms/99999999999999999999999/programme.ics"
    assert client.get(huge).status_code == 404


def test_a_draft_room_feed_is_for_organisers_only_and_not_shared(client, auth, events):
    _aubrac, _mende, draft = events
    path = f"/events/brouillon/rooms/{draft.slots[0].room.id}/programme.ics"
    assert client.get(path).status_code == 404
    auth.login("organiser")
    response = client.get(path)
    assert sorted(_events(response)) == ["Secret"]
    assert "Access-Control-Allow-Origin" not in response.headers
    assert response.headers["Cache-Control"] == "private, no-cache"


def test_a_speaker_feed_spans_published_events_with_their_uids(client, events):
    _aubrac, mende, _draft = events
    talks = _events(client.get("/speakers/ana/talks.ics"))
    assert sorted(talks) == ["Coworking", "Fibre", "Tiers lieux"]  # not the draft's
    aubrac_feed = _events(client.get("/events/aubrac/programme.ics"))
    mende_feed = _events(client.get("/events/mende/programme.ics"))
    assert talks["Fibre"]["uid"] == aubrac_feed["Fibre"]["uid"]
    assert talks["Tiers lieux"]["uid"] == aubrac_feed["Tiers lieux"]["uid"]
    assert talks["Coworking"]["uid"] == mende_feed["Coworking"]["uid"]
    assert str(talks["Coworking"]["url"]).endswith(f"/events/mende/slots/{mende.slots[0].id}")
    assert "Ana Martin (MDECS)" in str(talks["Fibre"]["description"])


def test_a_speaker_without_published_talks_has_an_empty_calendar(client, events):
    db.session.add(Speaker(slug="lea", name="Léa Roux"))
    db.session.commit()
    response = client.get("/speakers/lea/talks.ics")
    assert _events(response) == {}
    calendar = icalendar.Calendar.from_ical(response.get_data())
    assert str(calendar["x-wr-calname"]) == "Léa Roux"
    assert client.get("/speakers/personne/talks.ics").status_code == 404


def test_the_speaker_feed_answers_304_until_a_talk_changes(client, events):
    aubrac, _mende, _draft = events
    etag = client.get("/speakers/ana/talks.ics").headers["ETag"]
    assert client.get("/speakers/ana/talks.ics",
                      headers={"If-None-Match": etag}).status_code == 304
    aubrac.slots[2].title = "Tiers lieux ruraux"
    db.session.commit()
    changed = client.get("/speakers/ana/talks.ics", headers={"If-None-Match": etag})
    assert "Tiers lieux ruraux" in _events(changed)
