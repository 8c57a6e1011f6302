"""ICS exports parsed back and compared with the database."""

from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest

from eventhub.extensions import db
from eventhub.programme import ical, versions
from eventhub.programme.models import Room, Slot, SlotSpeaker, Speaker
from tests.conftest import recorded_statements

PARIS = ZoneInfo("Europe/Paris")
DAY = date(2030, 10, 28)


def add_speakers(slot: Slot, *people: tuple[str, str]) -> None:
    """Give ``slot`` speakers named (name, affiliation)."""
    for position, (name, affiliation) in enumerate(people):
        speaker = Speaker(slug=name.lower().replace(" ", "-"), name=name, affiliation=affiliation)
        slot.speaker_links.append(SlotSpeaker(speaker=speaker, position=position))
    db.session.commit()


@pytest.fixture
def event(make_event):
    """A published event: a keynote with two speakers, a workshop, a break without room."""
    found = make_event(slug="aubrac", venue_commune="Aumont-Aubrac", venue_name="Espace Aubrac",
                       slots=[
        {"start": "09:30", "end": "10:30", "title": "Travailler depuis l'Aubrac",
         "kind": "keynote", "room": "Grande salle"},
        {"start": "11:00", "end": "12:30", "title": "Atelier tiers-lieux", "kind": "workshop",
         "room": "Salle B"},
        {"start": "12:30", "end": "14:00", "title": "Déjeuner", "kind": "break"},
    ])
    keynote = found.slots[0]
    keynote.abstract = "Ce que la fibre a changé."
    add_speakers(keynote, ("Gaëlle Ottan", "MDECS"), ("Jean Dupont", ""))
    return found


def parse(body: bytes) -> icalendar.Calendar:
    """Parse an export the way a calendar client would."""
    return icalendar.Calendar.from_ical(body)


def vevents_by_uid(calendar: icalendar.Calendar) -> dict[str, icalendar.Event]:
    """The calendar's events, keyed by UID."""
    return {str(vevent["UID"]): vevent for vevent in calendar.walk("VEVENT")}


def export(client, slug: str = "aubrac") -> bytes:
    """GET the whole programme's ICS."""
    response = client.get(f"/events/{slug}/programme.ics")
    assert response.status_code == 200
    return response.get_data()


def test_event_export_matches_the_database(client, event):
    body = export(client)
    calendar = parse(body)

    assert str(calendar["PRODID"]) == ical.PRODID
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["CALSCALE"]) == "GREGORIAN"
    assert str(calendar["METHOD"]) == "PUBLISH"
    assert str(calendar["X-WR-CALNAME"]) == event.title
    assert str(calendar["X-WR-TIMEZONE"]) == "Europe/Paris"
    [vtimezone] = calendar.walk("VTIMEZONE")
    assert str(vtimezone["TZID"]) == "Europe/Paris"
    # 28 October 2030 is the day after the switch back to winter time: the zone says so.
    described = vtimezone.to_tz()
    for slot in event.slots:
        assert slot.starts_at.astimezone(described).utcoffset() == timedelta(hours=1)
    assert event.slots[0].starts_at.replace(month=7).astimezone(described).utcoffset() == (
        timedelta(hours=2))

    vevents = vevents_by_uid(calendar)
    assert len(vevents) == 3
    for slot in event.slots:
        vevent = vevents[f"{slot.uid}@eventhub"]
        assert str(vevent["SUMMARY"]) == slot.title
        assert vevent["SEQUENCE"] == slot.sequence
        assert vevent.decoded("DTSTAMP") == slot.updated_at.replace(microsecond=0)
        for name, value in (("DTSTART", slot.starts_at), ("DTEND", slot.ends_at)):
            assert vevent[name].params["TZID"] == "Europe/Paris"
            assert vevent.decoded(name) == value
            assert vevent.decoded(name).utcoffset() == timedelta(hours=1)
        assert str(vevent["URL"]) == f"http://localhost/events/aubrac/slots/{slot.id}"
        assert vevent["CATEGORIES"].cats == [slot.kind_label]

    keynote = vevents[f"{event.slots[0].uid}@eventhub"]
    assert str(keynote["LOCATION"]) == "Grande salle, Espace Aubrac, Aumont-Aubrac"
    assert str(keynote["DESCRIPTION"]) == (
        "Conférence introductive\n\nCe que la fibre a changé.\n\n"
        "Intervenants : Gaëlle Ottan (MDECS), Jean Dupont"
    )
    lunch = vevents[f"{event.slots[2].uid}@eventhub"]
    assert str(lunch["LOCATION"]) == "Espace Aubrac, Aumont-Aubrac"
    assert str(lunch["DESCRIPTION"]) == "Pause"
    assert b"DTSTART;TZID=Europe/Paris:20301028T093000\r\n" in body
    # Lines end in CRLF and are folded at 75 octets (RFC 5545, 3.1).
    assert body.endswith(b"END:VCALENDAR\r\n")
    assert max(len(line) for line in body.split(b"\r\n")) <= 75


def test_uid_is_stable_and_sequence_follows_published_versions(client, event):
    keynote, workshop, lunch = event.slots
    versions.publish(event)
    first = vevents_by_uid(parse(export(client)))
    assert set(first) == {f"{slot.uid}@eventhub" for slot in event.slots}
    assert export(client) == export(client)

    keynote.title = "Travailler depuis l'Aubrac, dix ans après"
    workshop.starts_at += timedelta(minutes=15)
    lunch.room = db.session.get(Room, workshop.room_id)
    db.session.commit()
    second = vevents_by_uid(parse(export(client)))

    assert set(second) == set(first)
    for slot in (keynote, workshop, lunch):
        uid = f"{slot.uid}@eventhub"
        assert second[uid]["SEQUENCE"] == first[uid]["SEQUENCE"] + 1
        assert second[uid].decoded("DTSTAMP") >= first[uid].decoded("DTSTAMP")
    assert str(second[f"{keynote.uid}@eventhub"]["SUMMARY"]) == keynote.title
    assert second[f"{workshop.uid}@eventhub"].decoded("DTSTART") == workshop.starts_at
    assert str(second[f"{lunch.uid}@eventhub"]["LOCATION"]).startswith("Salle B, ")

    # Saving without a visible change leaves SEQUENCE where it was.
    keynote.title = keynote.title
    keynote.capacity = 80
    db.session.commit()
    # A second change before the next version is part of the same revision…
    workshop.starts_at += timedelta(minutes=15)
    db.session.commit()
    third = vevents_by_uid(parse(export(client)))
    for slot in (keynote, workshop):
        uid = f"{slot.uid}@eventhub"
        assert third[uid]["SEQUENCE"] == second[uid]["SEQUENCE"]

    # …and the first change after it is published starts the next one.
    versions.publish(event)
    workshop.starts_at += timedelta(minutes=15)
    db.session.commit()
    fourth = vevents_by_uid(parse(export(client)))
    assert fourth[f"{workshop.uid}@eventhub"]["SEQUENCE"] == second[
        f"{workshop.uid}@eventhub"]["SEQUENCE"] + 1
    assert fourth[f"{keynote.uid}@eventhub"]["SEQUENCE"] == second[
        f"{keynote.uid}@eventhub"]["SEQUENCE"]


def test_special_characters_round_trip(client, event):
    keynote = event.slots[0]
    keynote.title = 'Ateliers, débats; chemin C:\\tiers-lieux\nsuite\x07 "fin"'
    keynote.abstract = "Ligne 1\r\nLigne 2; avec, virgules\x1b"
    db.session.commit()

    body = export(client)
    assert b"\x07" not in body and b"\x1b" not in body
    assert "Ateliers\\, débats\\; chemin C:\\\\tiers-lieux\\nsuite".encode() in body
    vevent = vevents_by_uid(parse(body))[f"{keynote.uid}@eventhub"]
    assert str(vevent["SUMMARY"]) == 'Ateliers, débats; chemin C:\\tiers-lieux\nsuite "fin"'
    assert "Ligne 1\nLigne 2; avec, virgules\n" in str(vevent["DESCRIPTION"])


def test_slot_calendar_holds_that_slot_alone(app, event):
    keynote = event.slots[0]
    calendar = parse(ical.serialize(ical.slot_calendar(keynote)))
    [vevent] = calendar.walk("VEVENT")
    assert str(vevent["UID"]) == f"{keynote.uid}@eventhub"
    assert str(calendar["X-WR-CALNAME"]) == keynote.title
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Paris"]


def test_calendar_for_slots_outside_a_request_links_to_the_public_url(app, event):
    app.config["PUBLIC_URL"] = "https://rencontres.example.org/agenda"
    workshop, lunch = event.slots[1:]
    body = ical.calendar_for_slots(event, [workshop, lunch], name="Mon agenda")
    calendar = parse(body)
    assert str(calendar["X-WR-CALNAME"]) == "Mon agenda"
    urls = sorted(str(vevent["URL"]) for vevent in calendar.walk("VEVENT"))
    assert urls == sorted(
        f"https://rencontres.example.org/agenda/events/aubrac/slots/{slot.id}"
        for slot in (workshop, lunch)
    )


def test_event_zone_is_used_for_times_and_vtimezone(client, make_event):
    event = make_event(slug="montreal", timezone="America/Montreal",
                       slots=[{"start": "10:00", "end": "11:00", "title": "Visio"}])
    body = export(client, "montreal")
    calendar = parse(body)
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["America/Montreal"]
    [vevent] = calendar.walk("VEVENT")
    assert vevent["DTSTART"].params["TZID"] == "America/Montreal"
    assert vevent.decoded("DTSTART") == event.slots[0].starts_at
    # 10:00 in Paris is 05:00 in Montréal that day.
    assert b"DTSTART;TZID=America/Montreal:20301028T050000" in body


def test_export_is_in_the_default_language_for_every_reader(client, event):
    client.get("/lang/en")
    vevent = vevents_by_uid(parse(export(client)))[f"{event.slots[0].uid}@eventhub"]
    assert str(vevent["DESCRIPTION"]).startswith("Conférence introductive")


def make_programme(make_event, slug: str, count: int):
    """An event of ``count`` slots over three rooms, each with its own speaker."""
    event = make_event(slug=slug, slots=[
        {"start": f"{9 + n // 4:02d}:{n % 4 * 15:02d}",
         "end": f"{9 + n // 4:02d}:{n % 4 * 15 + 14:02d}",
         "title": f"Créneau {n}", "room": f"Salle {n % 3}"} for n in range(count)])
    for slot in event.slots:
        add_speakers(slot, (f"Personne {slot.id}", "Structure"))
    db.session.expire_all()
    return event


@pytest.mark.parametrize("count", [2, 30])
def test_whole_event_export_needs_three_queries_whatever_its_size(client, make_event, count):
    make_programme(make_event, "grand", count)
    with recorded_statements("SELECT") as selects:
        body = export(client, "grand")
    assert body.count(b"BEGIN:VEVENT") == count
    assert len(selects) == 3, selects


def test_vtimezone_covers_events_after_2037(client, make_event):
    event = make_event(slug="futur", day=date(2041, 7, 2),
                       slots=[{"start": "10:00", "end": "11:00", "title": "Plus tard"}])
    [vtimezone] = parse(export(client, "futur")).walk("VTIMEZONE")
    described = vtimezone.to_tz()
    assert event.slots[0].starts_at.astimezone(described).utcoffset() == timedelta(hours=2)
