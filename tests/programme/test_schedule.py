"""schedule.xml and schedule.json: read back through the c3voc XSD and JSON schema."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from eventhub.extensions import db
from eventhub.programme import schedule
from eventhub.programme.models import SlotSpeaker, Speaker
from tests.programme.schedule_checks import valid_json, valid_xml


@pytest.fixture
def event(make_event):
    """A summer day (UTC+2) with two rooms side by side and a lunch without a room."""
    event = make_event(slug="aubrac-2031", day=date(2031, 6, 12), venue_name="Aumont-Aubrac",
                       slots=[
        {"start": "09:30", "end": "10:45", "title": "Fibre <optique> & réseaux",
         "room": "Grande salle", "kind": "keynote"},
        {"start": "11:00", "end": "12:00", "title": "Tiers lieux", "room": "Grande salle",
         "kind": "workshop"},
        {"start": "11:00", "end": "11:40", "title": "Solos", "room": "Petite salle",
         "kind": "conference"},
        {"start": "12:00", "end": "13:30", "title": "Déjeuner", "kind": "break"},
    ])
    keynote, workshop, _solos, _lunch = event.slots
    keynote.abstract = "Ligne 1\x0b\nLigne 2 \"citée\""
    keynote.replay_url = "https://video.example.org/fibre"
    keynote.slides_url = "https://example.org/fibre.pdf"
    ana = Speaker(slug="ana", name="Ana Martin", affiliation="MDECS")
    yoann = Speaker(slug="yoann", name="Yoann Duriaux")
    db.session.add_all([
        SlotSpeaker(slot=keynote, speaker=ana, position=0),
        SlotSpeaker(slot=keynote, speaker=yoann, position=1),
        SlotSpeaker(slot=workshop, speaker=yoann, position=0),
    ])
    db.session.commit()
    return event


def _talks(document):
    return {talk.findtext("title"): talk for talk in document.iter("event")}


def test_schedule_xml_validates_and_says_what_each_slot_is(client, event):
    response = client.get("/events/aubrac-2031/schedule.xml")
    assert response.status_code == 200
    assert response.mimetype == "application/xml"
    document = valid_xml(response.get_data())

    assert document.findtext("conference/acronym") == "aubrac_2031"
    assert document.findtext("conference/time_zone_name") == "Europe/Paris"
    day = document.find("day")
    assert (day.get("index"), day.get("date")) == ("1", "2031-06-12")
    assert day.get("start") == "2031-06-12T09:30:00+02:00"
    assert day.get("end") == "2031-06-12T13:30:00+02:00"
    # Rooms in the event's order, the room-less lunch in a room named after the venue.
    assert [room.get("name") for room in day.findall("room")] == [
        "Grande salle", "Petite salle", "Aumont-Aubrac"]

    talks = _talks(document)
    keynote = talks["Fibre <optique> & réseaux"]
    slot = event.slots[0]
    assert keynote.get("id") == str(slot.id)
    assert keynote.get("guid") == str(uuid.uuid5(schedule.GUID_NAMESPACE, f"slot:{slot.uid}"))
    assert keynote.findtext("date") == "2031-06-12T09:30:00+02:00"
    assert (keynote.findtext("start"), keynote.findtext("duration")) == ("09:30", "01:15")
    assert keynote.findtext("room") == "Grande salle"
    assert keynote.findtext("slug") == f"aubrac_2031-{slot.id}-fibre-optique-reseaux"
    assert keynote.findtext("type") == "keynote"
    assert keynote.findtext("track") == "Conférence introductive"
    assert keynote.findtext("abstract") == "Ligne 1\nLigne 2 \"citée\""
    assert keynote.findtext("url") == f"http://localhost/events/aubrac-2031/slots/{slot.id}"
    assert [(p.get("id"), p.text) for p in keynote.iter("person")] == [
        (str(slot.speakers[0].id), "Ana Martin"), (str(slot.speakers[1].id), "Yoann Duriaux")]
    assert [(link.get("href"), link.text) for link in keynote.iter("link")] == [
        ("https://video.example.org/fibre", "Replay"),
        ("https://example.org/fibre.pdf", "Supports")]
    assert talks["Solos"].findtext("duration") == "00:40"
    # Lunch is not filmed; talks are.
    assert talks["Déjeuner"].findtext("recording/optout") == "true"
    assert talks["Déjeuner"].findtext("room") == "Aumont-Aubrac"
    assert keynote.findtext("recording/optout") == "false"


def test_schedule_json_validates_and_matches_the_xml(client, event):
    response = client.get("/events/aubrac-2031/schedule.json")
    assert response.status_code == 200
    document = valid_json(response.get_json())
    conference = document["schedule"]["conference"]
    assert conference["daysCount"] == 1
    # Every room a talk is in, the venue's included.
    assert [room["name"] for room in conference["rooms"]] == [
        "Grande salle", "Petite salle", "Aumont-Aubrac"]
    assert len({room["guid"] for room in conference["rooms"]}) == 3
    rooms = conference["days"][0]["rooms"]
    assert list(rooms) == ["Grande salle", "Petite salle", "Aumont-Aubrac"]
    assert [talk["title"] for talk in rooms["Grande salle"]] == [
        "Fibre <optique> & réseaux", "Tiers lieux"]
    keynote = rooms["Grande salle"][0]
    xml_talks = _talks(valid_xml(client.get("/events/aubrac-2031/schedule.xml").get_data()))
    xml_keynote = xml_talks["Fibre <optique> & réseaux"]
    for field in ("guid", "id"):
        assert str(keynote[field]) == xml_keynote.get(field)
    for field in ("date", "start", "duration", "slug", "url", "abstract", "type", "track"):
        assert keynote[field] == xml_keynote.findtext(field)
    assert [person["public_name"] for person in keynote["persons"]] == [
        "Ana Martin", "Yoann Duriaux"]
    # The same person, the same guid, in every talk.
    assert rooms["Grande salle"][1]["persons"][0]["guid"] == keynote["persons"][1]["guid"]
    assert keynote["do_not_record"] is False
    assert rooms["Aumont-Aubrac"][0]["do_not_record"] is True


def test_guids_stay_when_a_slot_moves(client, event):
    before = _talks(valid_xml(client.get("/events/aubrac-2031/schedule.xml").get_data()))
    event.slots[2].room = event.slots[0].room
    event.slots[2].title = "Les solos"
    db.session.commit()
    after = _talks(valid_xml(client.get("/events/aubrac-2031/schedule.xml").get_data()))
    assert after["Les solos"].get("guid") == before["Solos"].get("guid")
    assert after["Les solos"].findtext("room") == "Grande salle"


def test_an_event_spanning_two_days_has_two_indexed_days(client, make_event):
    from tests.conftest import paris

    event = make_event(slug="deux-jours", day=date(2030, 10, 28), end_date=date(2030, 10, 29),
                       slots=[{"start": "09:00", "end": "10:00", "title": "Premier jour",
                               "room": "Salle"}])
    second = event.slots[0].__class__(event=event, room=event.slots[0].room, title="Second",
                                      starts_at=paris(date(2030, 10, 29), "14:00"),
                                      ends_at=paris(date(2030, 10, 29), "14:30"))
    db.session.add(second)
    db.session.commit()
    document = valid_xml(client.get("/events/deux-jours/schedule.xml").get_data())
    assert [(d.get("index"), d.get("date")) for d in document.iter("day")] == [
        ("1", "2030-10-28"), ("2", "2030-10-29")]
    assert document.findtext("conference/days") == "2"
    # Winter time: UTC+1. 09:00 and 14:30 share a 30-minute grid.
    assert document.find("day").get("start") == "2030-10-28T09:00:00+01:00"
    assert document.findtext("conference/timeslot_duration") == "00:30"
    data = valid_json(client.get("/events/deux-jours/schedule.json").get_json())
    assert [d["index"] for d in data["schedule"]["conference"]["days"]] == [1, 2]


def test_drafts_and_unknown_events_have_no_schedule(client, make_event):
    make_event(slug="brouillon", published=False, slots=[
        {"start": "09:00", "end": "10:00", "title": "Secret"}])
    for path in ("/events/brouillon/schedule.xml", "/events/brouillon/schedule.json",
                 "/events/inconnu/schedule.xml"):
        assert client.get(path).status_code == 404


def test_an_event_without_slots_still_validates(client, make_event):
    make_event(slug="vide")
    response = client.get("/events/vide/schedule.json")
    conference = valid_json(response.get_json())["schedule"]["conference"]
    assert conference["days"] == []
    assert client.get("/events/vide/schedule.xml").status_code == 200


def test_characters_xml_forbids_are_left_out(client, event):
    event.slots[1].title = "Tiers\x0c lieux\uffff"
    event.slots[1].room.name = "Grande\x1b salle"
    db.session.commit()
    document = valid_xml(client.get("/events/aubrac-2031/schedule.xml").get_data())
    assert "Tiers lieux" in _talks(document)
    assert document.find("day/room").get("name") == "Grande salle"
