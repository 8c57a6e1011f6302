"""Demo programme: the seeds' three events, the 2014 series, and today's live edition."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from eventhub.demo import programme_data as data
from eventhub.extensions import db
from eventhub.programme import versions
from eventhub.programme.models import (
    Event,
    EventOrganisation,
    Organisation,
    Room,
    Series,
    SeriesStop,
    Slot,
    SlotSpeaker,
    Speaker,
)
from eventhub.programme.services import find_event
from eventhub.text import slugify, split_affiliation

LIVE_DEMO_SLUG = data.LIVE_DEMO["slug"]


def _at(day: date, hhmm: str, tz: str) -> datetime:
    hour, minute = (int(part) for part in hhmm.split(":"))
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=ZoneInfo(tz)).astimezone(UTC)


def _organisation(name: str) -> Organisation:
    found = db.session.scalar(sa.select(Organisation).where(Organisation.name == name))
    if found is None:
        found = Organisation(name=name)
        db.session.add(found)
    return found


def _speaker(label: str) -> Speaker:
    name, affiliation = split_affiliation(label)
    slug = slugify(name)
    found = db.session.scalar(sa.select(Speaker).where(Speaker.slug == slug))
    if found is None:
        found = Speaker(slug=slug, name=name, affiliation=affiliation)
        db.session.add(found)
    return found


def _create_event(spec: dict, day: date, series: Series | None) -> Event:
    tz = "Europe/Paris"
    event = Event(
        slug=spec["slug"], title=spec["title"], theme=spec["theme"],
        description=spec["description"], audience=spec["audience"],
        start_date=day, end_date=day, timezone=tz, venue_name=spec["venue_name"],
        venue_commune=spec["venue_commune"],
        expected_participants=spec["expected_participants"], published=True, series=series,
    )
    db.session.add(event)
    for role in ("organisers", "supporters"):
        for position, name in enumerate(spec[role]):
            event.organisations.append(EventOrganisation(
                organisation=_organisation(name), role=role[:-1], position=position))
    rooms: dict[str, Room] = {}
    for start, end, kind, title, room_name, speakers, extra in spec["slots"]:
        room = None
        if room_name:
            room = rooms.get(room_name)
            if room is None:
                room = rooms[room_name] = Room(event=event, name=room_name, position=len(rooms))
        slot = Slot(event=event, room=room, kind=kind, title=title,
                    starts_at=_at(day, start, tz), ends_at=_at(day, end, tz), **extra)
        db.session.add(slot)
        for position, label in enumerate(speakers):
            slot.speaker_links.append(SlotSpeaker(speaker=_speaker(label), position=position))
    return event


def _series() -> Series:
    series = db.session.scalar(sa.select(Series).where(Series.slug == data.SERIES["slug"]))
    if series is None:
        series = Series(slug=data.SERIES["slug"], name=data.SERIES["name"],
                        description=data.SERIES["description"])
        series.stops = [SeriesStop(city=city, position=i)
                        for i, city in enumerate(data.SERIES["stops"])]
        db.session.add(series)
    return series


def _move_to(event: Event, day: date) -> None:
    """Shift an event and its slots to ``day``, keeping their wall-clock times."""
    tz = ZoneInfo(event.timezone)
    for slot in event.slots:
        for field in ("starts_at", "ends_at"):
            local = getattr(slot, field).astimezone(tz)
            moved = datetime.combine(day, local.time(), tzinfo=tz).astimezone(UTC)
            setattr(slot, field, moved)
    event.start_date = event.end_date = day


def load(report, today: date | None = None) -> None:
    """Create what is missing; move the live edition to today when it is older."""
    today = today or datetime.now(ZoneInfo("Europe/Paris")).date()
    for name, short, description in data.ORGANISATIONS:
        organisation = _organisation(name)
        organisation.short_name = organisation.short_name or short
        organisation.description = organisation.description or description
    series = _series()
    for spec in data.EVENTS:
        existing = find_event(spec["slug"], include_drafts=True)
        if existing is not None:
            report.say(f"Event {spec['slug']} already loaded.")
            continue
        event = _create_event(spec, date.fromisoformat(spec["date"]), series if spec.get(
            "series") else None)
        if spec.get("series"):
            stop = next(s for s in series.stops if s.city == spec["venue_commune"])
            stop.event = event
        report.say(f"Event {spec['slug']} loaded ({len(spec['slots'])} slots).")
    live = find_event(LIVE_DEMO_SLUG, include_drafts=True)
    if live is None:
        _create_event(data.LIVE_DEMO, today, None)
        report.say(f"Live demo edition {LIVE_DEMO_SLUG} created for {today.isoformat()}.")
    elif live.start_date != today:
        _move_to(live, today)
        report.say(f"Live demo edition {LIVE_DEMO_SLUG} moved to {today.isoformat()}.")
    else:
        report.say(f"Live demo edition {LIVE_DEMO_SLUG} already dated today.")
    db.session.commit()
    for event in db.session.scalars(sa.select(Event).where(Event.programme_version == 0)):
        versions.publish(event)
        report.say(f"Programme of {event.slug} published as version 1.")

