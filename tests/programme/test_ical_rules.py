"""The rules of programme/ical.py stated one by one: texts, feeds, their order, the
calendar's properties and the span of its VTIMEZONE (calendars read back with icalendar)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest

from eventhub.extensions import db
from eventhub.programme import ical
from eventhub.programme.models import Slot, SlotSpeaker, Speaker
from tests.conftest import paris, recorded_statements

DAY = date(2030, 10, 28)
PARIS = ZoneInfo("Europe/Paris")


def parse(calendar: icalendar.Calendar) -> icalendar.Calendar:
    """Serialise ``calendar`` and read it back, as a calendar client would."""
    return icalendar.Calendar.from_ical(ical.serialize(calendar))


def titles(feed: ical.Feed) -> list[str]:
    """The summaries of the feed's entries, in the feed's order."""
    return [entry.summary for entry in feed.entries]


def speak(slot: Slot, speaker: Speaker, position: int) -> None:
    """Put ``speaker`` at ``position`` among the speakers of ``slot``."""
    db.session.add(SlotSpeaker(slot=slot, speaker=speaker, position=position))
    db.session.commit()


# --- Texts --------------------------------------------------------------------------


def test_clean_text_keeps_one_kind_of_line_break_and_drops_control_characters():
    # A lone CR (old Mac text) is a line break too; a tab is kept.
    assert ical.clean_text("un\rdeux\r\ntrois\tquatre\x00\x1b\x7fcinq\ufffe") == (
        "un\ndeux\ntrois\tquatrecinq")


def test_location_text_leaves_out_what_is_missing():
    assert ical.location_text("Salle B", "Espace Aubrac") == "Salle B, Espace Aubrac"
    assert ical.location_text("", "Espace Aubrac") == "Espace Aubrac"
    assert ical.location_text("Salle B", "") == "Salle B"


def test_description_names_an_unknown_kind_by_its_code():
    wording = ical.Wording(kinds={"keynote": "Conférence introductive"},
                           speakers="Avec %(names)s")
    # A kind this version does not know (stored by a newer one) still says what it is.
    assert ical.description_text("panel", "  Débat  ", [("Ana", "MDECS"), ("Léo", "")],
                                 wording) == "panel\n\nDébat\n\nAvec Ana (MDECS), Léo"
    assert ical.description_text("keynote", "", [], wording) == "Conférence introductive"


def test_an_unknown_kind_is_its_own_category(app, make_event):
    event = make_event(slots=[{"start": "09:00", "end": "10:00", "title": "Débat"}])
    event.slots[0].kind = "panel"
    db.session.commit()
    [entry] = ical.event_feed(event).entries
    assert entry.category == "panel"
    [vevent] = parse(ical.to_calendar(ical.event_feed(event))).walk("VEVENT")
    assert vevent["CATEGORIES"].cats == ["panel"]


# --- Feeds --------------------------------------------------------------------------


def test_event_feed_orders_slots_by_start_then_room_then_slot(app, make_event):
    event = make_event(slots=[
        {"start": "11:00", "end": "12:00", "title": "Plus tard", "room": "A"},
        {"start": "09:00", "end": "10:00", "title": "Tôt en B", "room": "B"},
        {"start": "09:00", "end": "10:00", "title": "Tôt en A", "room": "A"},
        {"start": "09:00", "end": "10:00", "title": "Tôt en A aussi", "room": "A"},
    ])
    # Room A was created first, so it has the smaller id; slots tie-break on their id.
    assert titles(ical.event_feed(event)) == ["Tôt en A", "Tôt en A aussi", "Tôt en B",
                                              "Plus tard"]


def test_event_feed_lists_speakers_by_position_then_in_the_order_they_were_added(
        app, make_event):
    event = make_event(slots=[{"start": "09:00", "end": "10:00", "title": "Table ronde"}])
    slot = event.slots[0]
    people = [Speaker(slug=slug, name=name, affiliation="") for slug, name in
              (("zoe", "Zoé"), ("ana", "Ana"), ("leo", "Léo"))]
    db.session.add_all(people)
    zoe, ana, leo = people
    speak(slot, zoe, 2)
    speak(slot, ana, 0)
    speak(slot, leo, 0)

    [entry] = ical.event_feed(event).entries
    assert entry.description.endswith("Intervenants : Ana, Léo, Zoé")


def test_room_feed_holds_the_rooms_slots_of_that_event_in_time_order(app, make_event):
    event = make_event(slots=[
        {"start": "14:00", "end": "15:00", "title": "Après-midi", "room": "A"},
        {"start": "09:00", "end": "10:00", "title": "Ailleurs", "room": "B"},
        {"start": "10:00", "end": "11:00", "title": "Matin", "room": "A"},
        {"start": "10:00", "end": "11:00", "title": "Matin aussi", "room": "A"},
    ])
    [room] = [room for room in event.rooms if room.name == "A"]
    # A slot of another event pointing at this room (bad data) stays in its own event.
    other = make_event(slug="autre", slots=[])
    db.session.add(Slot(event=other, room=room, title="Intrus", starts_at=paris(DAY, "08:00"),
                        ends_at=paris(DAY, "09:00")))
    db.session.commit()

    feed = ical.room_feed(event, room)
    assert titles(feed) == ["Matin", "Matin aussi", "Après-midi"]
    assert feed.name == f"{event.title} — A"


def test_room_feed_costs_the_same_queries_whatever_the_rooms_size(app, make_event):
    event = make_event(slots=[{"start": f"{9 + n}:00", "end": f"{9 + n}:30", "title": f"N{n}",
                               "room": "A" if n < 2 else "B"} for n in range(7)])
    for slot in event.slots:
        speak(slot, Speaker(slug=f"p{slot.id}", name=f"P{slot.id}", affiliation=""), 0)
    small, large = event.rooms
    counts = []
    for room, size in ((small, 2), (large, 5)):
        db.session.expire_all()
        with recorded_statements("SELECT") as selects:
            feed = ical.room_feed(event, room)
            assert [len(entry.description.split(", ")) for entry in feed.entries] == [1] * size
        counts.append(len(selects))
    assert counts[0] == counts[1]


def test_speaker_feed_spans_its_events_in_time_order_in_the_first_events_zone(
        app, make_event):
    montreal = make_event(slug="montreal", timezone="America/Montreal",
                          day=date(2030, 11, 5), end_date=date(2030, 11, 6), slots=[
        {"start": "15:00", "end": "16:00", "title": "Visio B"},
        {"start": "15:00", "end": "16:00", "title": "Visio A"},
    ])
    aubrac = make_event(slug="aubrac", day=date(2030, 10, 28), slots=[
        {"start": "09:00", "end": "10:00", "title": "Fibre"},
    ])
    speaker = Speaker(slug="ana", name="Ana\x07 Martin", affiliation="")
    slots = [*montreal.slots, *aubrac.slots]
    feed = ical.speaker_feed(speaker, slots)

    assert feed.name == "Ana Martin"
    assert feed.timezone == "America/Montreal"
    assert (feed.start_date, feed.end_date) == (date(2030, 10, 28), date(2030, 11, 6))
    # Same start: the UID decides, so that the order never changes between exports.
    visio = sorted(montreal.slots, key=lambda slot: slot.uid)
    assert titles(feed) == ["Fibre", *(slot.title for slot in visio)]
    assert {entry.url for entry in feed.entries} == {
        f"http://localhost/events/{slot.event.slug}/slots/{slot.id}" for slot in slots}


def test_a_speaker_feed_without_slots_is_dated_1970_in_the_sites_zone(app):
    app.config["BABEL_DEFAULT_TIMEZONE"] = "America/Montreal"
    feed = ical.speaker_feed(Speaker(slug="lea", name="Léa\x00 Roux"), [])
    assert feed == ical.Feed(name="Léa Roux", timezone="America/Montreal",
                             start_date=date(1970, 1, 1), end_date=date(1970, 1, 1),
                             entries=())
    calendar = parse(ical.to_calendar(feed))
    assert str(calendar["X-WR-TIMEZONE"]) == "America/Montreal"
    assert calendar.walk("VEVENT") == []


# --- Calendars ----------------------------------------------------------------------


def test_calendar_asks_subscribers_to_refresh_every_hour(app, make_event):
    event = make_event(slots=[{"start": "09:00", "end": "10:00", "title": "Fibre"}])
    calendar = parse(ical.event_calendar(event))
    refresh = calendar["REFRESH-INTERVAL"]
    assert refresh.params["VALUE"] == "DURATION"
    assert calendar.decoded("REFRESH-INTERVAL") == timedelta(hours=1)
    # An X- property: icalendar leaves its value as text.
    ttl = icalendar.vDuration.from_ical(str(calendar["X-PUBLISHED-TTL"]))
    assert ttl == timedelta(hours=1)
    [vevent] = calendar.walk("VEVENT")
    assert str(vevent["SUMMARY"]) == "Fibre"


def changes(vtimezone: icalendar.Timezone) -> list[datetime]:
    """The instants (UTC) at which the VTIMEZONE's offsets start, decoded by icalendar."""
    return [moment.replace(tzinfo=UTC) for moment in vtimezone.get_transitions()[0]]


def test_vtimezone_covers_exactly_the_whole_years_of_the_feed(app, make_event):
    event = make_event(day=DAY, slots=[{"start": "09:00", "end": "10:00", "title": "Fibre"}])
    [vtimezone] = parse(ical.event_calendar(event)).walk("VTIMEZONE")
    # From 1 January of the event's year, through both of that year's clock changes,
    # and no further.
    found = changes(vtimezone)
    assert found[0] == datetime(2030, 1, 1, tzinfo=PARIS)
    assert [moment.date() for moment in found[1:]] == [date(2030, 3, 31), date(2030, 10, 27)]
    assert "from 2030-01-01 to 2031-01-01" in str(vtimezone["COMMENT"])


def test_vtimezone_spans_the_years_of_every_slot_of_a_speaker(app, make_event):
    first = make_event(slug="hiver", day=date(2029, 12, 30),
                       slots=[{"start": "09:00", "end": "10:00", "title": "Hiver"}])
    second = make_event(slug="printemps", day=date(2031, 4, 2),
                        slots=[{"start": "09:00", "end": "10:00", "title": "Printemps"}])
    feed = ical.speaker_feed(Speaker(slug="ana", name="Ana"), [*first.slots, *second.slots])
    [vtimezone] = parse(ical.to_calendar(feed)).walk("VTIMEZONE")
    found = changes(vtimezone)
    assert (found[0], found[-1].date(), len(found)) == (
        datetime(2029, 1, 1, tzinfo=PARIS), date(2031, 10, 26), 7)
    assert "from 2029-01-01 to 2032-01-01" in str(vtimezone["COMMENT"])


@pytest.mark.parametrize("name", ["Mon agenda", None])
def test_build_calendar_is_named_as_asked_or_after_the_event(app, make_event, name):
    event = make_event(slots=[{"start": "09:00", "end": "10:00", "title": "Fibre"},
                              {"start": "10:00", "end": "11:00", "title": "Tiers lieux"}])
    calendar = parse(ical.build_calendar(event, event.slots[1:], name))
    assert str(calendar["X-WR-CALNAME"]) == (name or event.title)
    [vevent] = calendar.walk("VEVENT")
    assert str(vevent["SUMMARY"]) == "Tiers lieux"
    # Without a room, the venue alone.
    assert str(vevent["LOCATION"]) == "Aumont-Aubrac"


def test_a_slots_own_description_and_location_name_its_speakers_and_room(app, make_event):
    event = make_event(venue_name="Espace Aubrac", slots=[
        {"start": "09:00", "end": "10:00", "title": "Fibre", "kind": "keynote", "room": "B"},
        {"start": "10:00", "end": "11:00", "title": "Pause", "kind": "break"}])
    keynote, pause = event.slots
    keynote.abstract = "Ce qui change."
    speak(keynote, Speaker(slug="ana", name="Ana", affiliation="MDECS"), 0)
    assert ical.slot_description(keynote) == (
        "Conférence introductive\n\nCe qui change.\n\nIntervenants : Ana (MDECS)")
    assert (ical.slot_location(keynote), ical.slot_location(pause)) == (
        "B, Espace Aubrac", "Espace Aubrac")
