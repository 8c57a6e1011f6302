"""Calendar (ICS) exports: a whole event, one slot, or a registrant's chosen slots.

What calendars rely on: a stable PRODID; per slot a UID that never changes and a
SEQUENCE that grows with each published version that changed it; local times with the
event's IANA TZID and a matching VTIMEZONE. Exports are built in two steps: the database
rows become plain ``Entry`` values, then icalendar turns those into the calendar.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from eventhub.extensions import db
from eventhub.programme.models import Event, Room, Slot, SlotKind, SlotSpeaker, Speaker
from eventhub.urls import public_url

PRODID = "-//eventhub//programme//FR"
UID_DOMAIN = "eventhub"
# How often subscribed calendars should come back for changes.
REFRESH = timedelta(hours=1)

# C0 controls and DEL, except tab and line feed (line feeds are escaped as \n), and the
# two non-characters that XML forbids (schedule.xml shares this cleaning).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\ufffe\uffff]")


def clean_text(text: str) -> str:
    """Text fit for an iCalendar property: one kind of line break, no control characters.

    icalendar escapes commas, semicolons, backslashes and line feeds itself; what it
    does not handle is a control character, which makes strict parsers reject the file.
    """
    return _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def slot_url(slot: Slot) -> str:
    """The absolute address of the slot's public page."""
    return public_url("programme.slot", slug=slot.event.slug, slot_id=slot.id)


# The line naming a slot's speakers, translated once per export (see ``Wording``).
SPEAKERS_LINE = _l("Intervenants : %(names)s")


@dataclass(frozen=True)
class Wording:
    """The translated words of an export, looked up once rather than once per slot."""

    kinds: dict[str, str]
    speakers: str

    @classmethod
    def current(cls) -> Wording:
        """The wording in the current language."""
        return cls(kinds={kind: str(kind.label) for kind in SlotKind},
                   speakers=str(SPEAKERS_LINE))


def location_text(room: str, venue: str) -> str:
    """Room, then venue, as one line."""
    return ", ".join(part for part in (room, venue) if part)


def description_text(kind: str, abstract: str, speakers: Sequence[tuple[str, str]],
                     wording: Wording) -> str:
    """The kind, the abstract and the speakers, given as (name, affiliation) pairs."""
    parts = [wording.kinds.get(kind, kind), abstract.strip()]
    if speakers:
        names = ", ".join(f"{name} ({affiliation})" if affiliation else name
                          for name, affiliation in speakers)
        parts.append(wording.speakers % {"names": names})
    return "\n\n".join(part for part in parts if part)


def _room_name(slot: Slot) -> str:
    return slot.room.name if slot.room else ""


def _speakers(slot: Slot) -> list[tuple[str, str]]:
    return [(speaker.name, speaker.affiliation) for speaker in slot.speakers]


def slot_location(slot: Slot) -> str:
    """Room, venue, address and commune of ``slot``, as one line."""
    return location_text(_room_name(slot), slot.event.location)


def slot_description(slot: Slot) -> str:
    """The kind, the abstract and the speakers (with their affiliation) of ``slot``."""
    return description_text(slot.kind, slot.abstract, _speakers(slot), Wording.current())


@dataclass(frozen=True, slots=True)
class Entry:
    """One VEVENT as plain data (times in UTC, texts cleaned)."""

    uid: str
    sequence: int
    stamp: datetime
    starts_at: datetime
    ends_at: datetime
    summary: str
    location: str
    description: str
    url: str
    category: str


@dataclass(frozen=True)
class Feed:
    """Everything a calendar export shows, before icalendar formats it."""

    name: str
    timezone: str
    start_date: date
    end_date: date
    entries: tuple[Entry, ...]


# (slot, room name, speakers): ``slot`` is a Slot or a row with the same column names.
Item = tuple[Any, str, Sequence[tuple[str, str]]]


def _feed(event: Event, items: Iterable[Item], name: str | None) -> Feed:
    """The feed of ``items`` of ``event``, its texts in the site's default language.

    Whoever asks gets the same language, so that a feed has one content (and one ETag)
    for every subscriber.
    """
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        wording = Wording.current()
    venue = event.location
    url = partial(public_url, "programme.slot", slug=event.slug)
    entries = tuple(
        Entry(
            uid=f"{slot.uid}@{UID_DOMAIN}",
            sequence=slot.sequence or 0,
            stamp=slot.updated_at,
            starts_at=slot.starts_at,
            ends_at=slot.ends_at,
            summary=clean_text(slot.title),
            location=clean_text(location_text(room, venue)),
            description=clean_text(description_text(slot.kind, slot.abstract, speakers, wording)),
            url=url(slot_id=slot.id),
            category=wording.kinds.get(slot.kind, slot.kind),
        )
        for slot, room, speakers in items
    )
    return Feed(
        name=clean_text(name or event.title),
        timezone=event.timezone,
        start_date=event.start_date,
        end_date=event.end_date,
        entries=entries,
    )


def feed_for(event: Event, slots: Iterable[Slot], name: str | None = None) -> Feed:
    """The feed of some slots of ``event``, named ``name`` or after the event."""
    return _feed(event, ((slot, _room_name(slot), _speakers(slot)) for slot in slots), name)


def room_feed(event: Event, room: Room) -> Feed:
    """The feed of the slots held in ``room`` of ``event``, named after both."""
    slots = db.session.scalars(
        sa.select(Slot).where(Slot.event_id == event.id, Slot.room_id == room.id)
        # Slot.id only breaks ties (a room booked twice), which SQLite already returns by
        # id: it is for PostgreSQL. The room is the feed's own, loaded once by the first
        # slot that needs it.
        .order_by(Slot.starts_at, Slot.id)
        .options(selectinload(Slot.speaker_links).selectinload(SlotSpeaker.speaker))
    ).all()
    return feed_for(event, slots, name=f"{event.title} — {room.name}")


# What dates a feed that holds no slot at all (a speaker without a published talk).
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def speaker_feed(speaker: Speaker, slots: Sequence[Slot]) -> Feed:
    """The feed of ``speaker``'s ``slots``, across events, named after the speaker.

    Each slot's entry is the one of its event's feed (same UID, location and link), so a
    calendar subscribed to both shows each slot once.
    """
    by_event: dict[Event, list[Slot]] = defaultdict(list)
    for slot in slots:
        by_event[slot.event].append(slot)
    parts = [feed_for(event, event_slots) for event, event_slots in by_event.items()]
    if not parts:
        return Feed(name=clean_text(speaker.name),
                    timezone=current_app.config["BABEL_DEFAULT_TIMEZONE"],
                    start_date=EPOCH.date(), end_date=EPOCH.date(), entries=())
    return Feed(
        name=clean_text(speaker.name),
        # Entries hold UTC instants: the first event's zone labels them all correctly.
        timezone=parts[0].timezone,
        start_date=min(part.start_date for part in parts),
        end_date=max(part.end_date for part in parts),
        entries=tuple(sorted((entry for part in parts for entry in part.entries),
                             key=lambda entry: (entry.starts_at, entry.uid))),
    )


def event_feed(event: Event) -> Feed:
    """The feed of the whole programme of ``event``, read in two column queries.

    Plain rows rather than ORM objects: loading thousands of slots, links and speakers
    as objects costs more than formatting them.
    """
    rows = db.session.execute(
        sa.select(Slot.id, Slot.uid, Slot.kind, Slot.title, Slot.abstract, Slot.starts_at,
                  Slot.ends_at, Slot.sequence, Slot.updated_at, Room.name.label("room"))
        # Without an ON clause, a join follows the only foreign key between the tables.
        .outerjoin(Room)
        .where(Slot.event_id == event.id)
        # Slot.id only breaks ties within a room, for PostgreSQL (SQLite returns them by id).
        .order_by(Slot.starts_at, Slot.room_id, Slot.id)
    ).all()
    speakers: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for slot_id, name, affiliation in db.session.execute(
        sa.select(SlotSpeaker.slot_id, Speaker.name, Speaker.affiliation)
        .join(Speaker)
        .join(Slot)
        .where(Slot.event_id == event.id)
        # The dictionary groups by slot, so only the position decides; the id breaks ties
        # for PostgreSQL.
        .order_by(SlotSpeaker.position, SlotSpeaker.id)
    ):
        speakers[slot_id].append((name, affiliation))
    return _feed(event, ((row, row.room or "", speakers[row.id]) for row in rows), None)


def _vtimezone(feed: Feed, zone: ZoneInfo) -> icalendar.Timezone:
    """The VTIMEZONE of the feed's zone, covering the whole years its dates fall in.

    Built once per calendar, over a few years rather than icalendar's default 1970–2038
    span, which is both slow and wrong for events after 2037.
    """
    days = [feed.start_date, feed.end_date]
    for entry in feed.entries:
        days.append(entry.starts_at.date())
        days.append(entry.ends_at.date())
    return icalendar.Timezone.from_tzinfo(
        zone,
        tzid=feed.timezone,
        first_date=date(min(days).year, 1, 1),
        last_date=date(max(days).year + 1, 1, 1),
    )


def to_calendar(feed: Feed) -> icalendar.Calendar:
    """The icalendar calendar of ``feed``: one VTIMEZONE, one VEVENT per entry."""
    zone = ZoneInfo(feed.timezone)
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", feed.name)
    calendar.add("x-wr-timezone", feed.timezone)
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", icalendar.vDuration(REFRESH))
    calendar.add_component(_vtimezone(feed, zone))
    for entry in feed.entries:
        vevent = icalendar.Event()
        vevent.add("uid", entry.uid)
        vevent.add("sequence", entry.sequence)
        vevent.add("dtstamp", entry.stamp)
        vevent.add("dtstart", entry.starts_at.astimezone(zone))
        vevent.add("dtend", entry.ends_at.astimezone(zone))
        vevent.add("summary", entry.summary)
        vevent.add("location", entry.location)
        vevent.add("description", entry.description)
        vevent.add("url", entry.url)
        vevent.add("categories", [entry.category])
        calendar.add_component(vevent)
    return calendar


def build_calendar(event: Event, slots: Iterable[Slot], name: str | None = None
                   ) -> icalendar.Calendar:
    """The calendar of ``slots`` of ``event`` (see ``feed_for``)."""
    return to_calendar(feed_for(event, slots, name))


def serialize(calendar: icalendar.Calendar) -> bytes:
    """The calendar as ICS bytes (CRLF lines, folded at 75 octets)."""
    return calendar.to_ical()


def event_calendar(event: Event) -> icalendar.Calendar:
    """The calendar of the whole programme of ``event``."""
    return to_calendar(event_feed(event))


def slot_calendar(slot: Slot) -> icalendar.Calendar:
    """A calendar holding ``slot`` alone, named after it."""
    return build_calendar(slot.event, [slot], name=slot.title)


def calendar_for_slots(event: Event, slots: Sequence[Slot], name: str) -> bytes:
    """The ICS bytes of a chosen set of slots of ``event`` (a registrant's agenda)."""
    return serialize(build_calendar(event, slots, name))
