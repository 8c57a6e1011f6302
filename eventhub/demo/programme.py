"""Demo programme: the seeds' three events, the 2014 series, and today's live edition."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
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


def _on_air(event: Event, now: datetime) -> bool:
    """Whether the live edition's keynote is on air at ``now``."""
    keynote = next(slot for slot in event.slots if slot.kind == "keynote")
    return keynote.starts_at <= now < keynote.ends_at


def _put_on_air(event: Event, now: datetime) -> None:
    """Shift the live edition, keeping its shape, so that its keynote began a quarter of
    an hour ago (on a five-minute mark): whatever the hour the demo is started, its live
    page has a talk running, a programme ahead, and its dates follow the slots."""
    keynote = next(slot for slot in event.slots if slot.kind == "keynote")
    start = (now - timedelta(minutes=15)).replace(second=0, microsecond=0)
    start -= timedelta(minutes=start.minute % 5)
    shift = start - keynote.starts_at
    for slot in event.slots:
        slot.starts_at += shift
        slot.ends_at += shift
    tz = ZoneInfo(event.timezone)
    event.start_date = min(slot.starts_at for slot in event.slots).astimezone(tz).date()
    event.end_date = max(slot.ends_at for slot in event.slots).astimezone(tz).date()


def load(report, now: datetime | None = None) -> None:
    """Create what is missing; put the live edition on air ``now`` unless it already is."""
    now = now or datetime.now(UTC)
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
        live = _create_event(data.LIVE_DEMO, now.astimezone(ZoneInfo("Europe/Paris")).date(),
                             None)
        db.session.flush()
    if _on_air(live, now):
        report.say(f"Live demo edition {LIVE_DEMO_SLUG} already on air.")
    else:
        _put_on_air(live, now)
        report.say(f"Live demo edition {LIVE_DEMO_SLUG} put on air: its keynote began at "
                   f"{min(s.starts_at for s in live.slots if s.kind == 'keynote'):%H:%M} UTC.")
    db.session.commit()
    for event in db.session.scalars(sa.select(Event).where(Event.programme_version == 0)):
        versions.publish(event)
        report.say(f"Programme of {event.slug} published as version 1.")

