"""Schedule files that conference software reads: frab's schedule.xml and its JSON form.

Conference apps (Giggity, ConfClerk) and recording pipelines read these files as the
c3voc schedule validator describes them. Exports are built in two steps, like the
calendars: the database rows become a plain ``Schedule``, which is then written as XML
or as JSON. Texts are in the site's default language, so that a file has one content
for every reader.
"""

from __future__ import annotations

import uuid
import xml.etree.ElementTree as ET
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from math import gcd
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from eventhub.extensions import db
from eventhub.programme.ical import clean_text
from eventhub.programme.models import Event, Room, Slot, SlotKind, SlotSpeaker
from eventhub.text import slugify
from eventhub.urls import public_url

# GUIDs are derived from identifiers that never change (a slot's uid, a speaker's or a
# room's id), so that every export names a talk, a person or a room the same way.
GUID_NAMESPACE = uuid.UUID("5b0c4f0e-6a47-4f55-9a57-2c3f1d2e7b10")
GENERATOR = "eventhub"
# Nothing to film during a welcome or a break: recording pipelines skip these slots.
UNRECORDED_KINDS = frozenset({SlotKind.WELCOME, SlotKind.BREAK})
REPLAY_LABEL = _l("Replay")
SLIDES_LABEL = _l("Supports")


def guid(kind: str, key: object) -> str:
    """The stable UUID of the ``kind`` (slot, speaker, room) identified by ``key``."""
    return str(uuid.uuid5(GUID_NAMESPACE, f"{kind}:{key}"))


def hours_minutes(minutes: int) -> str:
    """A number of minutes as "HH:MM"."""
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


@dataclass(frozen=True)
class Person:
    """A speaker as schedule files name them."""

    id: int
    guid: str
    name: str


@dataclass(frozen=True)
class Link:
    """A link of a talk: its replay or its slides."""

    url: str
    title: str


@dataclass(frozen=True)
class Talk:
    """One slot of the programme, in the schedule's terms (an "event" in frab's words)."""

    id: int
    guid: str
    starts_at: datetime  # local, aware
    minutes: int
    room: str
    slug: str
    title: str
    track: str
    type: str
    language: str
    abstract: str
    url: str
    persons: tuple[Person, ...]
    links: tuple[Link, ...]
    recorded: bool

    @property
    def start(self) -> str:
        """The local start time, "HH:MM"."""
        return self.starts_at.strftime("%H:%M")

    @property
    def duration(self) -> str:
        """The length, "HH:MM"."""
        return hours_minutes(self.minutes)


@dataclass(frozen=True)
class Day:
    """One local day: its talks by room, rooms in the event's order."""

    index: int
    date: date
    starts_at: datetime
    ends_at: datetime
    rooms: dict[str, list[Talk]]


@dataclass(frozen=True)
class ScheduleRoom:
    """A room of the event."""

    guid: str
    name: str
    capacity: int | None


@dataclass(frozen=True)
class Schedule:
    """Everything a schedule file shows, before it is written as XML or JSON."""

    version: str
    title: str
    acronym: str
    start: date
    end: date
    timezone: str
    timeslot_minutes: int
    base_url: str
    url: str
    rooms: tuple[ScheduleRoom, ...]
    days: tuple[Day, ...]


def _load_slots(event: Event) -> list[Slot]:
    return list(db.session.scalars(
        sa.select(Slot).where(Slot.event_id == event.id)
        .order_by(Slot.starts_at, Slot.id)
        .options(selectinload(Slot.room),
                 selectinload(Slot.speaker_links).selectinload(SlotSpeaker.speaker))
    ))


def _timeslot(slots: list[Slot], zone: ZoneInfo) -> int:
    """The grid the times fall on: the largest step (at most an hour) dividing them all."""
    step = 60
    for slot in slots:
        for moment in (slot.starts_at.astimezone(zone), slot.ends_at.astimezone(zone)):
            step = gcd(step, moment.hour * 60 + moment.minute)
    return step or 60


def _talk(slot: Slot, zone: ZoneInfo, acronym: str, room: str, language: str,
          kinds: dict[str, str], links: tuple[str, str]) -> Talk:
    starts_at = slot.starts_at.astimezone(zone)
    replay, slides = links
    return Talk(
        id=slot.id,
        guid=guid("slot", slot.uid),
        starts_at=starts_at,
        minutes=max(0, int((slot.ends_at - slot.starts_at).total_seconds() // 60)),
        room=room,
        slug=f"{acronym}-{slot.id}-{slugify(slot.title)[:60].rstrip('-')}",
        title=clean_text(slot.title),
        track=kinds.get(slot.kind, slot.kind),
        type=slot.kind,
        language=language,
        abstract=clean_text(slot.abstract),
        url=public_url("programme.slot", slug=slot.event.slug, slot_id=slot.id),
        persons=tuple(Person(id=s.id, guid=guid("speaker", s.id), name=clean_text(s.name))
                      for s in slot.speakers),
        links=tuple(Link(url=url, title=title)
                    for url, title in ((slot.replay_url, replay), (slot.slides_url, slides))
                    if url),
        recorded=slot.kind not in UNRECORDED_KINDS,
    )


def build(event: Event) -> Schedule:
    """The schedule of ``event``: its slots by local day and room.

    A slot without a room is placed in one named after the venue, since schedule files
    hold every talk in a room.
    """
    language = current_app.config["BABEL_DEFAULT_LOCALE"]
    with force_locale(language):
        kinds = {kind: str(label) for kind, label in SlotKind.labels().items()}
        links = (str(REPLAY_LABEL), str(SLIDES_LABEL))
    zone = ZoneInfo(event.timezone)
    acronym = event.slug.replace("-", "_")
    rooms = db.session.scalars(
        sa.select(Room).where(Room.event_id == event.id).order_by(Room.position, Room.id)
    ).all()
    slots = _load_slots(event)
    elsewhere = clean_text(event.venue_name or event.title)
    room_order = [clean_text(room.name) for room in rooms] + [elsewhere]

    by_day: dict[date, dict[str, list[Talk]]] = defaultdict(lambda: defaultdict(list))
    bounds: dict[date, tuple[datetime, datetime]] = {}
    for slot in slots:
        room = clean_text(slot.room.name) if slot.room else elsewhere
        talk = _talk(slot, zone, acronym, room, language, kinds, links)
        day = talk.starts_at.date()
        by_day[day][room].append(talk)
        first, last = bounds.get(day, (slot.starts_at, slot.ends_at))
        bounds[day] = (min(first, slot.starts_at), max(last, slot.ends_at))

    days = tuple(
        Day(index=index, date=day,
            starts_at=bounds[day][0].astimezone(zone), ends_at=bounds[day][1].astimezone(zone),
            rooms={name: by_day[day][name] for name in room_order if by_day[day].get(name)})
        for index, day in enumerate(sorted(by_day), start=1)
    )
    listed = [ScheduleRoom(guid=guid("room", room.id), name=clean_text(room.name),
                           capacity=room.capacity) for room in rooms]
    if any(slot.room is None for slot in slots):
        listed.append(ScheduleRoom(guid=guid("venue", event.id), name=elsewhere, capacity=None))
    changed = max([event.updated_at, *(slot.updated_at for slot in slots)])
    return Schedule(
        version=changed.astimezone(zone).isoformat(timespec="seconds"),
        title=clean_text(event.title),
        acronym=acronym,
        start=event.start_date,
        end=event.end_date,
        timezone=event.timezone,
        timeslot_minutes=_timeslot(slots, zone),
        base_url=public_url("programme.index"),
        url=public_url("programme.timetable", slug=event.slug),
        rooms=tuple(listed),
        days=days,
    )


def _element(parent: ET.Element, tag: str, text: str = "", **attributes: str) -> ET.Element:
    child = ET.SubElement(parent, tag, attributes)
    child.text = text
    return child


def to_xml(schedule: Schedule) -> bytes:
    """The schedule as frab's schedule.xml, UTF-8."""
    root = ET.Element("schedule")
    ET.SubElement(root, "generator", name=GENERATOR)
    _element(root, "version", schedule.version)
    conference = ET.SubElement(root, "conference")
    _element(conference, "acronym", schedule.acronym)
    _element(conference, "title", schedule.title)
    _element(conference, "start", schedule.start.isoformat())
    _element(conference, "end", schedule.end.isoformat())
    _element(conference, "days", str((schedule.end - schedule.start).days + 1))
    _element(conference, "timeslot_duration", hours_minutes(schedule.timeslot_minutes))
    _element(conference, "base_url", schedule.base_url)
    _element(conference, "time_zone_name", schedule.timezone)
    for day in schedule.days:
        day_element = ET.SubElement(root, "day", index=str(day.index), date=day.date.isoformat(),
                                    start=day.starts_at.isoformat(),
                                    end=day.ends_at.isoformat())
        for room, talks in day.rooms.items():
            room_element = ET.SubElement(day_element, "room", name=room)
            for talk in talks:
                _talk_xml(room_element, talk)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def _talk_xml(parent: ET.Element, talk: Talk) -> None:
    element = ET.SubElement(parent, "event", id=str(talk.id), guid=talk.guid)
    _element(element, "date", talk.starts_at.isoformat())
    _element(element, "start", talk.start)
    _element(element, "duration", talk.duration)
    _element(element, "room", talk.room)
    _element(element, "slug", talk.slug)
    _element(element, "url", talk.url)
    _element(element, "title", talk.title)
    _element(element, "subtitle")
    _element(element, "track", talk.track)
    _element(element, "type", talk.type)
    _element(element, "language", talk.language)
    _element(element, "abstract", talk.abstract)
    recording = ET.SubElement(element, "recording")
    _element(recording, "license")
    _element(recording, "optout", "false" if talk.recorded else "true")
    persons = ET.SubElement(element, "persons")
    for person in talk.persons:
        _element(persons, "person", person.name, id=str(person.id))
    links = ET.SubElement(element, "links")
    for link in talk.links:
        _element(links, "link", link.title, href=link.url)


def to_json(schedule: Schedule) -> dict:
    """The schedule as the JSON document of the c3voc schema (frab's schedule.json)."""
    return {
        "schedule": {
            "version": schedule.version,
            "base_url": schedule.base_url,
            "conference": {
                "acronym": schedule.acronym,
                "title": schedule.title,
                "start": schedule.start.isoformat(),
                "end": schedule.end.isoformat(),
                "daysCount": (schedule.end - schedule.start).days + 1,
                "timeslot_duration": hours_minutes(schedule.timeslot_minutes),
                "time_zone_name": schedule.timezone,
                "url": schedule.url,
                "rooms": [{"name": room.name, "guid": room.guid, "capacity": room.capacity}
                          for room in schedule.rooms],
                "days": [_day_json(day) for day in schedule.days],
            },
        },
    }


def _day_json(day: Day) -> dict:
    return {
        "index": day.index,
        "date": day.date.isoformat(),
        "day_start": day.starts_at.isoformat(),
        "day_end": day.ends_at.isoformat(),
        "rooms": {room: [_talk_json(talk) for talk in talks] for room, talks in day.rooms.items()},
    }


def _talk_json(talk: Talk) -> dict:
    return {
        "id": talk.id,
        "guid": talk.guid,
        "logo": "",
        "date": talk.starts_at.isoformat(),
        "start": talk.start,
        "duration": talk.duration,
        "room": talk.room,
        "slug": talk.slug,
        "url": talk.url,
        "title": talk.title,
        "subtitle": "",
        "track": talk.track,
        "type": talk.type,
        "language": talk.language,
        "abstract": talk.abstract,
        "description": "",
        "recording_license": "",
        "do_not_record": not talk.recorded,
        # frab's readers look for public_name, pretalx's for name: both are given.
        "persons": [{"id": p.id, "guid": p.guid, "name": p.name, "public_name": p.name}
                    for p in talk.persons],
        "links": [{"url": link.url, "title": link.title} for link in talk.links],
        "attachments": [],
        "answers": [],
    }
