"""Programme rules: listing, reading and editing events, rooms, slots, speakers and series.

Every editing function validates its input and raises ``Refused`` (``invalid_field``,
with every faulty field in ``errors``) before changing anything; views only translate
forms to calls.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from itertools import groupby
from typing import TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from eventhub.database import utcnow
from eventhub.errors import Refused
from eventhub.extensions import db
from eventhub.programme.models import (
    Event,
    EventOrganisation,
    Organisation,
    OrganisationRole,
    Room,
    Series,
    SeriesStop,
    Slot,
    SlotKind,
    SlotSpeaker,
    Speaker,
    bump_sequence,
)
from eventhub.text import web_address_problem
from eventhub.unique import commit_retrying, unique_slug

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@contextmanager
def _unique(field: str, message: str) -> Iterator[None]:
    """Commit inside the block; a unique constraint that a simultaneous request won
    (between our check and our write) is refused with ``message``, like the check does."""
    try:
        yield
        db.session.commit()
    except IntegrityError as exc:
        db.session.rollback()
        raise Refused("invalid_field", message, field=field) from exc


T = TypeVar("T")


def _store(model: type[T], instance: T | None, values: Mapping, field: str, taken: str) -> T:
    """Create ``model`` (when ``instance`` is None) or update ``instance`` with ``values``,
    committing under ``_unique(field, taken)``."""
    with _unique(field, taken):
        if instance is None:
            instance = model()
            db.session.add(instance)
        for name, value in values.items():
            setattr(instance, name, value)
    return instance


def _slug_taken() -> str:
    return _("Cet identifiant est déjà utilisé.")


def _room_taken() -> str:
    return _("Cette salle existe déjà pour cet événement.")


def _organisation_taken() -> str:
    return _("Une organisation porte déjà ce nom.")


# --- Reading ------------------------------------------------------------------------


@dataclass
class Listing:
    """What the home page shows."""

    today: list[Event]
    upcoming: list[Event]
    past: list[Event]
    series: list[Series]


def public_listing(today: date | None = None) -> Listing:
    """Published events split into those held today, upcoming (soonest first) and past
    (latest first); "today" is the day in Paris, where the events are held."""
    today = today or utcnow().astimezone(ZoneInfo("Europe/Paris")).date()
    events = db.session.scalars(
        sa.select(Event).where(Event.published.is_(True)).order_by(Event.start_date)
        .options(selectinload(Event.series))
    ).all()
    series = db.session.scalars(sa.select(Series).order_by(Series.name)).all()
    return Listing(
        today=[e for e in events if e.start_date <= today <= e.end_date],
        upcoming=[e for e in events if e.start_date > today],
        past=sorted((e for e in events if e.end_date < today), key=lambda e: e.start_date,
                    reverse=True),
        series=list(series),
    )


def find_event(slug: str, include_drafts: bool = False, *options) -> Event | None:
    """The event called ``slug``, loaded with ``options``; drafts only when asked."""
    query = sa.select(Event).where(Event.slug == slug).options(*options)
    if not include_drafts:
        query = query.where(Event.published.is_(True))
    return db.session.scalar(query)


def event_by_slug(slug: str, include_drafts: bool = False, *options) -> Event:
    """``find_event``, refused as ``not_found`` when there is no such event (or it is a
    draft and drafts were not asked for): the one lookup of an event in a URL."""
    event = find_event(slug, include_drafts, *options)
    if event is None:
        raise Refused("not_found", _("Événement inconnu."))
    return event


def part_of_event(model: type[T], item_id: int, event_id: int) -> T:
    """The room or slot ``item_id`` of the event ``event_id``, refused as ``not_found``
    otherwise: an id in a URL never opens another event's slot or room."""
    item = db.session.get(model, item_id)
    if item is None or item.event_id != event_id:
        raise Refused("not_found", _("Cet élément n'existe pas dans cet événement."))
    return item


def with_organisations():
    """Loading options for an event's page: its organisations and series."""
    return (selectinload(Event.organisations).selectinload(EventOrganisation.organisation),
            selectinload(Event.series))


def _slot_loading():
    """Eager loading of everything a slot shows, so lists of slots cost fixed queries."""
    return (
        selectinload(Slot.room),
        selectinload(Slot.speaker_links).selectinload(SlotSpeaker.speaker),
    )


@dataclass
class TimetableRow:
    """Slots that overlap in time, shown side by side (ordered by room)."""

    starts_at: datetime
    ends_at: datetime
    slots: list[Slot]

    @property
    def rotations(self) -> list[int]:
        """The workshop rotations this row holds (usually none or one)."""
        return sorted({s.rotation for s in self.slots if s.rotation is not None})


@dataclass
class TimetableDay:
    """One local day of the timetable."""

    day: date
    rows: list[TimetableRow] = field(default_factory=list)


def timetable(event: Event) -> list[TimetableDay]:
    """The event's slots by local day, then in rows of overlapping slots.

    Loads slots, rooms and speakers in a fixed number of queries whatever their count.
    """
    slots = db.session.scalars(
        # Slots starting together share a row, which is sorted below.
        sa.select(Slot).where(Slot.event_id == event.id)
        .order_by(Slot.starts_at).options(*_slot_loading())
    ).all()
    zone = ZoneInfo(event.timezone)
    days = []
    for day, day_slots in groupby(slots, key=lambda s: s.starts_at.astimezone(zone).date()):
        entry = TimetableDay(day=day)
        for slot in day_slots:
            row = entry.rows[-1] if entry.rows else None
            if row is not None and slot.starts_at < row.ends_at:
                row.slots.append(slot)
                row.ends_at = max(row.ends_at, slot.ends_at)
            else:
                entry.rows.append(TimetableRow(slot.starts_at, slot.ends_at, [slot]))
        for row in entry.rows:
            # Slots without a room first (False sorts before True), then by room.
            row.slots.sort(key=lambda s: (s.room is not None, s.room and s.room.position,
                                          s.starts_at, s.id))
        days.append(entry)
    return days


def find_slot(event: Event, slot_id: int) -> Slot | None:
    """The slot ``slot_id`` if it belongs to ``event``."""
    return db.session.scalar(
        sa.select(Slot).where(Slot.id == slot_id, Slot.event_id == event.id)
        .options(*_slot_loading())
    )


def find_speaker(slug: str) -> Speaker | None:
    """The speaker called ``slug``."""
    return db.session.scalar(sa.select(Speaker).where(Speaker.slug == slug))


def speaker_slots(speaker: Speaker, include_drafts: bool = False) -> list[Slot]:
    """The speaker's slots across events, latest first; drafts' slots only when asked."""
    query = (
        sa.select(Slot).join(Slot.speaker_links).join(Slot.event)
        .where(SlotSpeaker.speaker_id == speaker.id)
        .order_by(Slot.starts_at.desc())
        .options(selectinload(Slot.event), selectinload(Slot.room))
    )
    if not include_drafts:
        query = query.where(Event.published.is_(True))
    return list(db.session.scalars(query).all())


def find_series(slug: str) -> Series | None:
    """The series called ``slug`` with its stops and their events."""
    return db.session.scalar(
        sa.select(Series).where(Series.slug == slug)
        .options(selectinload(Series.stops).selectinload(SeriesStop.event))
    )


# --- Shared checks ------------------------------------------------------------------


def _text(data: Mapping, name: str) -> str:
    return (data.get(name) or "").strip()


def _check_url(errors: dict, name: str, value: str) -> None:
    problem = web_address_problem(value)
    if problem:
        errors[name] = problem


def _check_slug(errors: dict, model, value: str, current_id: int | None) -> None:
    if not value:
        errors["slug"] = _("Indiquez un identifiant d'adresse.")
    elif not SLUG_RE.match(value):
        errors["slug"] = _("Uniquement des lettres minuscules sans accent, des chiffres et des "
                           "tirets (par exemple « rencontres-2030 »).")
    else:
        taken = db.session.scalar(sa.select(model.id).where(model.slug == value))
        if taken is not None and taken != current_id:
            errors["slug"] = _slug_taken()


def timezones() -> list[str]:
    """The IANA timezones an event may use, sorted."""
    return sorted(available_timezones())


# --- Events -------------------------------------------------------------------------

EVENT_FIELDS = ("slug", "title", "theme", "description", "audience", "start_date", "end_date",
                "timezone", "venue_name", "venue_address", "venue_commune",
                "expected_participants", "series_id", "published")


def _event_values(data: Mapping, current_id: int | None) -> dict:
    errors: dict[str, str] = {}
    values = {name: data.get(name) for name in EVENT_FIELDS}
    for name in ("slug", "title", "theme", "description", "audience", "venue_name",
                 "venue_address", "venue_commune"):
        values[name] = _text(data, name)
    values["timezone"] = values["timezone"] or "Europe/Paris"
    values["published"] = bool(values["published"])
    _check_slug(errors, Event, values["slug"], current_id)
    if not values["title"]:
        errors["title"] = _("Indiquez un titre.")
    if not values["start_date"]:
        errors["start_date"] = _("Indiquez la date de début.")
    if not values["end_date"]:
        errors["end_date"] = _("Indiquez la date de fin.")
    elif values["start_date"] and values["end_date"] < values["start_date"]:
        errors["end_date"] = _("La fin ne peut pas précéder le début.")
    if values["timezone"] not in available_timezones():
        errors["timezone"] = _("Fuseau horaire inconnu.")
    if values["expected_participants"] is not None and values["expected_participants"] < 0:
        errors["expected_participants"] = _("Nombre positif attendu.")
    if values["series_id"] and db.session.get(Series, values["series_id"]) is None:
        errors["series_id"] = _("Série inconnue.")
    values["series_id"] = values["series_id"] or None
    if errors:
        raise Refused.fields(errors)
    return values


def create_event(data: Mapping) -> Event:
    """Create an event from ``data`` (the keys of ``EVENT_FIELDS``)."""
    event = Event(**_event_values(data, None))
    with _unique("slug", _slug_taken()):
        db.session.add(event)
    return event


def update_event(event: Event, data: Mapping) -> Event:
    """Change an event's fields."""
    values = _event_values(data, event.id)
    with _unique("slug", _slug_taken()):
        for name, value in values.items():
            setattr(event, name, value)
    return event


# --- Rooms --------------------------------------------------------------------------


def _check_room_name(event: Event, name: str, current: Room | None) -> str:
    name = name.strip()
    if not name:
        raise Refused("invalid_field", _("Indiquez le nom de la salle."), field="name")
    if any(r.name == name and r is not current for r in event.rooms):
        raise Refused("invalid_field", _room_taken(), field="name")
    return name


def add_room(event: Event, name: str, capacity: int | None = None) -> Room:
    """Add a room at the end of the event's rooms."""
    room = Room(event=event, name=_check_room_name(event, name, None), capacity=capacity,
                position=max((r.position for r in event.rooms), default=-1) + 1)
    with _unique("name", _room_taken()):
        db.session.add(room)
    return room


def rename_room(room: Room, name: str, capacity: int | None = None) -> Room:
    """Rename a room (and set its capacity)."""
    name = _check_room_name(room.event, name, room)
    with _unique("name", _room_taken()):
        room.name = name
        room.capacity = capacity
    return room


def move_room(room: Room, offset: int) -> None:
    """Move a room up (-1) or down (+1) among its event's rooms."""
    rooms = list(room.event.rooms)
    index = rooms.index(room)
    target = index + offset
    if 0 <= target < len(rooms):
        rooms[index], rooms[target] = rooms[target], rooms[index]
        for position, each in enumerate(rooms):
            each.position = position
        db.session.commit()


def delete_room(room: Room) -> None:
    """Delete a room; its slots keep their time and lose their room."""
    db.session.delete(room)
    db.session.commit()


# --- Slots --------------------------------------------------------------------------

SLOT_FIELDS = ("kind", "title", "abstract", "starts_at", "ends_at", "room_id", "rotation",
               "capacity", "remote_speaker", "replay_url", "slides_url")


def to_utc(local: datetime, tz: str) -> datetime:
    """A wall-clock time in ``tz`` as aware UTC; ValueError when the clocks skip it."""
    aware = local.replace(tzinfo=ZoneInfo(tz))
    # In a time the clocks skip, fold=0 reads the offset before the jump and fold=1 the
    # one after (PEP 495); elsewhere they agree, or fold=1 is the later, smaller one.
    if aware.utcoffset() < aware.replace(fold=1).utcoffset():
        raise ValueError
    return aware.astimezone(UTC)  # pragma: no mutate (UTCDateTime stores any zone as UTC)


def to_local(value: datetime, tz: str) -> datetime:
    """An aware datetime as a naive wall-clock time in ``tz`` (for form fields)."""
    return value.astimezone(ZoneInfo(tz)).replace(tzinfo=None)


@dataclass
class SlotResult:
    """What ``save_slot`` did: ``saved`` is False when room conflicts await confirmation."""

    slot: Slot | None
    conflicts: list[Slot]
    saved: bool


def room_conflicts(event: Event, room_id: int | None, starts_at: datetime, ends_at: datetime,
                   exclude: Slot | None = None) -> list[Slot]:
    """The event's slots in ``room_id`` overlapping [starts_at, ends_at)."""
    if room_id is None:
        return []
    query = sa.select(Slot).where(
        Slot.event_id == event.id, Slot.room_id == room_id,
        Slot.starts_at < ends_at, Slot.ends_at > starts_at,
    ).order_by(Slot.starts_at)
    if exclude is not None and exclude.id is not None:
        query = query.where(Slot.id != exclude.id)
    return list(db.session.scalars(query).all())


def _slot_values(event: Event, data: Mapping) -> dict:
    """Validate slot input; local times (naive, in the event's zone) become UTC."""
    errors: dict[str, str] = {}
    values = {name: data.get(name) for name in SLOT_FIELDS}
    for name in ("title", "abstract", "replay_url", "slides_url"):
        values[name] = _text(data, name)
    values["remote_speaker"] = bool(values["remote_speaker"])
    if values["kind"] not in set(SlotKind):
        errors["kind"] = _("Type de créneau inconnu.")
    if not values["title"]:
        errors["title"] = _("Indiquez un titre.")
    for name in ("starts_at", "ends_at"):
        local = data.get(name)
        if local is None:
            errors[name] = _("Indiquez la date et l'heure.")
            continue
        try:
            values[name] = to_utc(local, event.timezone)
        except OverflowError:
            errors[name] = _("Date hors des limites du calendrier.")
        except (ValueError, ZoneInfoNotFoundError):
            errors[name] = _("Cette heure n'existe pas dans le fuseau %(tz)s (changement "
                             "d'heure).", tz=event.timezone)
    starts, ends = values["starts_at"], values["ends_at"]
    if "starts_at" not in errors and "ends_at" not in errors:
        if ends <= starts:
            errors["ends_at"] = _("Le créneau se termine avant de commencer.")
        else:
            zone = ZoneInfo(event.timezone)
            first, last = starts.astimezone(zone).date(), ends.astimezone(zone).date()
            if first < event.start_date or last > event.end_date:
                errors["starts_at"] = _(
                    "Le créneau est en dehors des dates de l'événement (%(start)s – %(end)s).",
                    start=event.start_date.isoformat(), end=event.end_date.isoformat())
    if values["room_id"] is not None and values["room_id"] not in {r.id for r in event.rooms}:
        errors["room_id"] = _("Cette salle n'appartient pas à l'événement.")
    for name in ("rotation", "capacity"):
        if values[name] is not None and values[name] < 1:
            errors[name] = _("Nombre positif attendu.")
    _check_url(errors, "replay_url", values["replay_url"])
    _check_url(errors, "slides_url", values["slides_url"])
    if errors:
        raise Refused.fields(errors)
    return values


def save_slot(event: Event, data: Mapping, slot: Slot | None = None,
              speaker_ids: Iterable[int] | None = None,
              new_speakers: Iterable[Mapping] = (),
              confirm_conflicts: bool = False) -> SlotResult:
    """Create (``slot`` None) or update a slot of ``event``.

    ``data`` holds ``SLOT_FIELDS``; ``starts_at``/``ends_at`` are naive wall-clock times
    in the event's timezone, stored in UTC. A room already booked at overlapping times
    is not refused but reported: nothing is saved until the call is repeated with
    ``confirm_conflicts=True``. ``speaker_ids`` (None: unchanged) replaces the speakers,
    in that order, followed by ``new_speakers`` (speaker fields) created in the same
    transaction; a change of speakers bumps the slot's calendar SEQUENCE.
    """
    values = _slot_values(event, data)
    new_values = [_speaker_values(item) for item in new_speakers]
    speakers = None
    if speaker_ids is not None or new_values:
        ids = list(dict.fromkeys(speaker_ids if speaker_ids is not None
                                 else [s.id for s in slot.speakers] if slot else []))
        found = {s.id: s for s in db.session.scalars(
            sa.select(Speaker).where(Speaker.id.in_(ids))).all()}
        if len(found) != len(ids):
            raise Refused("invalid_field", _("Intervenant inconnu."), field="speakers")
        speakers = [found[i] for i in ids]
    conflicts = room_conflicts(event, values["room_id"], values["starts_at"],
                               values["ends_at"], exclude=slot)
    if conflicts and not confirm_conflicts:
        return SlotResult(slot, conflicts, saved=False)
    for item in new_values:
        speakers.append(_new_speaker(item))
    if slot is None:
        slot = Slot(event=event, **values)
        db.session.add(slot)
    else:
        for name, value in values.items():
            setattr(slot, name, value)
        slot.updated_at = utcnow()
    if speakers is not None and [s.id for s in slot.speakers] != [s.id for s in speakers]:
        if slot.id is not None:
            bump_sequence(slot)
        # Kept links are reused: deleting and re-inserting the same (slot, speaker) pair
        # in one flush would trip the unique constraint.
        kept = {link.speaker_id: link for link in slot.speaker_links}
        links = [kept.get(s.id) or SlotSpeaker(speaker=s) for s in speakers]
        for position, link in enumerate(links):
            link.position = position
        slot.speaker_links = links
    db.session.commit()
    return SlotResult(slot, conflicts, saved=True)


def delete_slot(slot: Slot) -> None:
    """Delete a slot."""
    db.session.delete(slot)
    db.session.commit()


# --- Speakers -----------------------------------------------------------------------


def _speaker_values(data: Mapping) -> dict:
    errors: dict[str, str] = {}
    values = {name: _text(data, name) for name in ("name", "affiliation", "bio", "url")}
    if not values["name"]:
        errors["name"] = _("Indiquez le nom.")
    _check_url(errors, "url", values["url"])
    if errors:
        raise Refused.fields(errors)
    return values


def _new_speaker(values: Mapping) -> Speaker:
    """Add a speaker (not committed) whose slug comes from the name, made unique."""
    speaker = Speaker(slug=unique_slug(Speaker, values["name"]), **values)
    db.session.add(speaker)
    db.session.flush()
    return speaker


def save_speaker(data: Mapping, speaker: Speaker | None = None) -> Speaker:
    """Create or update a speaker; a new speaker's slug comes from the name, made unique
    (tried again if a simultaneous request took the same slug first)."""
    values = _speaker_values(data)
    if speaker is None:
        return commit_retrying(lambda: _new_speaker(values))
    for name, value in values.items():
        setattr(speaker, name, value)
    db.session.commit()
    return speaker


def list_speakers() -> list[Speaker]:
    """Every speaker, by name."""
    return list(db.session.scalars(sa.select(Speaker).order_by(Speaker.name)).all())


# --- Organisations ------------------------------------------------------------------


def save_organisation(data: Mapping, organisation: Organisation | None = None) -> Organisation:
    """Create or update an organisation (its name is unique)."""
    errors: dict[str, str] = {}
    values = {name: _text(data, name) for name in ("name", "short_name", "url", "description")}
    if not values["name"]:
        errors["name"] = _("Indiquez le nom.")
    else:
        taken = db.session.scalar(
            sa.select(Organisation.id).where(Organisation.name == values["name"]))
        if taken is not None and (organisation is None or taken != organisation.id):
            errors["name"] = _organisation_taken()
    _check_url(errors, "url", values["url"])
    if errors:
        raise Refused.fields(errors)
    return _store(Organisation, organisation, values, "name", _organisation_taken())


def list_organisations() -> list[Organisation]:
    """Every organisation, by name."""
    return list(db.session.scalars(sa.select(Organisation).order_by(Organisation.name)).all())


def add_event_organisation(event: Event, organisation_id: int | None, role: str) -> None:
    """Name an organisation as organiser or supporter of ``event``."""
    organisation = db.session.get(Organisation, organisation_id) if organisation_id else None
    if organisation is None:
        raise Refused("invalid_field", _("Organisation inconnue."), field="organisation_id")
    if role not in set(OrganisationRole):
        raise Refused("invalid_field", _("Rôle inconnu."), field="role")
    if any(link.organisation_id == organisation.id and link.role == role
           for link in event.organisations):
        raise Refused("invalid_field", _("Déjà associée à l'événement avec ce rôle."),
                      field="organisation_id")
    event.organisations.append(EventOrganisation(
        organisation=organisation, role=role,
        position=max((link.position for link in event.organisations), default=-1) + 1))
    db.session.commit()


def remove_event_organisation(link: EventOrganisation) -> None:
    """Remove an organisation's part in an event."""
    db.session.delete(link)
    db.session.commit()


# --- Series -------------------------------------------------------------------------


def save_series(data: Mapping, series: Series | None = None) -> Series:
    """Create or update a series (slug validated like an event's)."""
    errors: dict[str, str] = {}
    values = {name: _text(data, name) for name in ("slug", "name", "description")}
    _check_slug(errors, Series, values["slug"], series.id if series else None)
    if not values["name"]:
        errors["name"] = _("Indiquez le nom.")
    if errors:
        raise Refused.fields(errors)
    return _store(Series, series, values, "slug", _slug_taken())


def list_series() -> list[Series]:
    """Every series, by name."""
    return list(db.session.scalars(sa.select(Series).order_by(Series.name)).all())


def add_stop(series: Series, city: str, event_id: int | None = None) -> SeriesStop:
    """Add a stop at the end of a series, optionally naming the event held there."""
    city = city.strip()
    if not city:
        raise Refused("invalid_field", _("Indiquez la ville."), field="city")
    if event_id and db.session.get(Event, event_id) is None:
        raise Refused("invalid_field", _("Événement inconnu."), field="event_id")
    stop = SeriesStop(series=series, city=city, event_id=event_id or None,
                      position=max((s.position for s in series.stops), default=-1) + 1)
    db.session.add(stop)
    db.session.commit()
    return stop


def delete_stop(stop: SeriesStop) -> None:
    """Remove a stop from its series."""
    db.session.delete(stop)
    db.session.commit()


def list_events() -> list[Event]:
    """Every event, drafts included, newest first."""
    return list(db.session.scalars(sa.select(Event).order_by(Event.start_date.desc())).all())
