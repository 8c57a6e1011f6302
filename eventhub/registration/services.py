"""The rules of registration: capacity, waiting list, duplicates, workshop choices.

Every decision that depends on how many places remain is taken inside
``write_transaction`` with the event's settings row locked (``FOR UPDATE`` on
PostgreSQL; SQLite's IMMEDIATE transaction already excludes other writers), so two
people can never take the last place.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask_babel import get_locale
from flask_babel import gettext as _

from eventhub.database import serialised, utcnow, write_transaction
from eventhub.errors import Refused
from eventhub.extensions import db
from eventhub.programme.models import Event, Slot, SlotKind
from eventhub.registration import sockets, tickets
from eventhub.registration.models import (
    Attendance,
    Choice,
    Registration,
    RegistrationSettings,
    Status,
)
from eventhub.text import normalise_email


def settings_for(event: Event) -> RegistrationSettings | None:
    """The registration settings of ``event``, if it takes registrations."""
    return db.session.scalar(
        sa.select(RegistrationSettings).where(RegistrationSettings.event_id == event.id)
    )


def event_end(event: Event) -> datetime:
    """When the event ends: its last slot's end, else the end of its last day there."""
    if event.slots:
        return max(slot.ends_at for slot in event.slots)
    return datetime.combine(event.end_date + timedelta(days=1), time(0),
                            tzinfo=ZoneInfo(event.timezone))


def closing_time(event: Event, settings: RegistrationSettings) -> datetime:
    """When registration closes: the organiser's date, else the event's end."""
    return settings.closes_at or event_end(event)


def _accepts(event: Event, settings: RegistrationSettings, now: datetime) -> bool:
    return settings.is_open(now) and now < closing_time(event, settings)


def registration_open(event: Event) -> bool:
    """Whether the event's registration form takes registrations right now."""
    settings = settings_for(event)
    return settings is not None and _accepts(event, settings, utcnow())


def past_event_warning(event: Event, settings: RegistrationSettings) -> str | None:
    """What an organiser should know on saving the settings of an event already over."""
    now = utcnow()
    if event_end(event) > now:
        return None
    if settings.closes_at is None or settings.closes_at <= now:
        return _("Cet événement est terminé : les inscriptions restent fermées. Pour les "
                 "rouvrir, fixez une date de clôture à venir.")
    return _("Cet événement est terminé, mais les inscriptions restent ouvertes jusqu'à la "
             "date de clôture choisie.")


def save_settings(event: Event, onsite_capacity: int, remote_capacity: int | None,
                  opens_at: datetime | None, closes_at: datetime | None) -> RegistrationSettings:
    """Create or change the registration settings of ``event`` (the capacity is one of
    the live figures)."""
    settings = settings_for(event) or RegistrationSettings(event_id=event.id)
    settings.onsite_capacity = onsite_capacity
    settings.remote_capacity = remote_capacity
    settings.opens_at = opens_at
    settings.closes_at = closes_at
    db.session.add(settings)
    db.session.commit()
    sockets.publish_stats(settings.event_id)
    return settings


def _lock_settings(event: Event) -> RegistrationSettings:
    """The settings row, locked until the transaction ends (the per-event capacity lock)."""
    settings = db.session.scalar(
        sa.select(RegistrationSettings)
        .where(RegistrationSettings.event_id == event.id)
        # Every caller runs it first in write_transaction, whose opening commit has
        # expired what the session held: the locked row is read afresh.
        .with_for_update()
    )
    if settings is None:
        raise Refused("registration_closed", _("Les inscriptions ne sont pas ouvertes."))
    return settings


def _count(event: Event, attendance: str, status: str) -> int:
    return db.session.scalar(
        sa.select(sa.func.count()).where(
            Registration.event_id == event.id,
            Registration.attendance == attendance,
            Registration.status == status,
        )
    )


def _has_place(settings: RegistrationSettings, event: Event, attendance: str) -> bool:
    capacity = (settings.onsite_capacity if attendance == Attendance.ONSITE
                else settings.remote_capacity)
    return capacity is None or _count(event, attendance, Status.CONFIRMED) < capacity


def workshop_rotations(event: Event) -> dict[int, list[Slot]]:
    """The event's workshops with a rotation, by rotation number."""
    slots = db.session.scalars(
        sa.select(Slot)
        .where(Slot.event_id == event.id, Slot.kind == SlotKind.WORKSHOP,
               Slot.rotation.is_not(None))
        .order_by(Slot.rotation, Slot.starts_at, Slot.id)
    ).all()
    rotations: dict[int, list[Slot]] = {}
    for slot in slots:
        rotations.setdefault(slot.rotation, []).append(slot)
    return rotations


def seats_taken(event: Event) -> dict[int, int]:
    """Places taken in each workshop of ``event``: the choices of its registrations,
    confirmed or waiting (a cancelled one holds none: ``cancel`` clears its choices)."""
    rows = db.session.execute(
        sa.select(Choice.slot_id, sa.func.count())
        .join(Registration)
        .where(Registration.event_id == event.id)
        .group_by(Choice.slot_id)
    ).all()
    return dict(rows)


def _invalid_choice(message: str) -> Refused:
    return Refused("invalid_field", message, field="choices")


def _check_choices(event: Event, slot_ids: list, attendance: str,
                   mine: Registration | None = None) -> list[Slot]:
    """The chosen workshops, checked: one per rotation, no title twice, none full.

    Must run inside the capacity lock. ``mine`` is the registration whose current
    choices do not count against the places (when it changes them).
    """
    if not slot_ids:
        if attendance == Attendance.ONSITE:
            _require_every_rotation(event, [], mine)
        return []
    if attendance != Attendance.ONSITE:
        raise _invalid_choice(_("Les ateliers sont réservés aux participants sur place."))
    if not all(isinstance(i, int) and not isinstance(i, bool) for i in slot_ids):
        raise _invalid_choice(_("Choix d'ateliers invalides."))
    by_id = {slot.id: slot for group in workshop_rotations(event).values() for slot in group}
    chosen = []
    for slot_id in slot_ids:
        if slot_id not in by_id:
            raise _invalid_choice(_("Cet atelier n'existe pas pour cet événement."))
        chosen.append(by_id[slot_id])
    rotations = [slot.rotation for slot in chosen]
    if len(set(rotations)) != len(rotations):
        raise _invalid_choice(_("Choisissez un seul atelier par rotation."))
    _require_every_rotation(event, rotations, mine)
    titles = [slot.title.strip().casefold() for slot in chosen]
    if len(set(titles)) != len(titles):
        raise _invalid_choice(_("Vous ne pouvez pas suivre deux fois le même atelier."))
    taken = seats_taken(event)
    kept = {choice.slot_id for choice in mine.choices} if mine else set()
    for slot in chosen:
        # A place already held stays its holder's, even where the organiser has since
        # given the workshop fewer places than are taken.
        if slot.id in kept:
            continue
        if slot.capacity is not None and taken.get(slot.id, 0) >= slot.capacity:
            raise _invalid_choice(
                _("L'atelier « %(title)s » est complet.", title=slot.title)
            )
    return chosen


def _require_every_rotation(event: Event, chosen_rotations: list[int],
                            mine: Registration | None) -> None:
    """An on-site attendee follows one workshop per rotation: refuse a rotation left out,
    unless every workshop of it is full (then there is nothing left to choose)."""
    taken = seats_taken(event)
    kept = {choice.slot_id for choice in mine.choices} if mine else set()
    for rotation, slots in sorted(workshop_rotations(event).items()):
        if rotation in chosen_rotations:
            continue
        if any(slot.capacity is None
               or taken.get(slot.id, 0) - (1 if slot.id in kept else 0) < slot.capacity
               for slot in slots):
            raise Refused("invalid_field", _("Choisissez un atelier pour la rotation "
                                             "%(number)d.", number=rotation),
                          field="choices", rotation=rotation)


def find_by_email(event: Event, email: str) -> Registration | None:
    """The registration of ``email`` for ``event``, if any."""
    return db.session.scalar(
        sa.select(Registration).where(Registration.event_id == event.id,
                                      Registration.email == email)
    )


def register(event: Event, name: str, email: str, attendance: str,
             organisation: str = "", choices: list | None = None) -> Registration:
    """Register a person: confirmed while places remain, else on the waiting list; the
    event's live figures follow.

    Refuses with ``registration_closed``, ``duplicate_email`` or
    ``invalid_field`` (with the field).
    """
    name = (name or "").strip() if isinstance(name, str) else ""
    if not name or len(name) > 200:
        raise Refused("invalid_field", _("Indiquez votre nom (200 caractères au plus)."),
                      field="name")
    email = normalise_email(email)
    if attendance not in tuple(Attendance):
        raise Refused("invalid_field", _("Choisissez « sur place » ou « à distance »."),
                      field="attendance")
    organisation = (organisation or "").strip()[:200] if isinstance(organisation, str) else ""
    if choices is not None and not isinstance(choices, list):
        raise _invalid_choice(_("Choix d'ateliers invalides."))
    registration = serialised(lambda: _register(event, name, email, attendance, organisation,
                                                 choices or []))
    sockets.publish_stats(registration.event_id)
    return registration


def _new_short_code(event: Event) -> str:
    """A short code no other registration of ``event`` holds."""
    while True:
        code = tickets.new_short_code()
        if db.session.scalar(sa.select(Registration.id).where(
                Registration.event_id == event.id, Registration.short_code == code)) is None:
            return code


def _register(event: Event, name: str, email: str, attendance: str, organisation: str,
              choices: list) -> Registration:
    """The decision of ``register``, inside the write transaction."""
    settings = _lock_settings(event)
    if not event.published or not _accepts(event, settings, utcnow()):
        raise Refused("registration_closed", _("Les inscriptions sont fermées."))
    if find_by_email(event, email) is not None:
        raise Refused("duplicate_email",
                      _("Cette adresse est déjà inscrite : nous pouvons vous renvoyer "
                        "votre billet."), field="email")
    chosen = _check_choices(event, choices, attendance)
    registration = Registration(
        event_id=event.id, name=name, email=email, organisation=organisation,
        attendance=attendance, token=tickets.new_token(), code=tickets.new_code(),
        short_code=_new_short_code(event), language=str(get_locale()),
        status=(Status.CONFIRMED if _has_place(settings, event, attendance)
                else Status.WAITLISTED),
    )
    registration.choices = [Choice(slot_id=s.id, rotation=s.rotation) for s in chosen]
    db.session.add(registration)
    return registration


def registration_of(event: Event, registration_id: int) -> Registration | None:
    """The registration ``registration_id`` if it belongs to ``event``: an id in a URL never
    opens another event's attendee."""
    registration = db.session.get(Registration, registration_id)
    if registration is None or registration.event_id != event.id:
        return None
    return registration


def by_token(token: str) -> Registration | None:
    """The registration whose ticket page secret is ``token``."""
    return db.session.scalar(sa.select(Registration).where(Registration.token == token))


def cancel(registration: Registration) -> Registration | None:
    """Cancel a registration and promote the first waiting person; returns them, if any.
    The event's live figures follow."""
    event = registration.event
    event_id = event.id
    with write_transaction():
        _lock_settings(event)
        db.session.refresh(registration)
        if registration.status == Status.CANCELLED:
            return None
        freed = registration.status == Status.CONFIRMED
        registration.status = Status.CANCELLED
        registration.cancelled_at = utcnow()
        registration.choices.clear()
        db.session.flush()
        promoted = _first_waiting(event, registration.attendance) if freed else None
        if promoted is not None:
            promoted.status = Status.CONFIRMED
    sockets.publish_stats(event_id)
    return promoted


def _first_waiting(event: Event, attendance: str) -> Registration | None:
    return db.session.scalar(
        sa.select(Registration)
        .where(Registration.event_id == event.id, Registration.attendance == attendance,
               Registration.status == Status.WAITLISTED)
        .order_by(Registration.created_at, Registration.id)
    )


def change_choices(registration: Registration, slot_ids: list) -> None:
    """Replace the workshops of a (not cancelled) registration, while places remain."""
    event = registration.event
    with write_transaction():
        _lock_settings(event)
        db.session.refresh(registration)
        if registration.status == Status.CANCELLED:
            raise Refused("cancelled", _("Cette inscription est annulée."))
        chosen = _check_choices(event, slot_ids, registration.attendance, mine=registration)
        registration.choices.clear()
        db.session.flush()
        registration.choices.extend(Choice(slot_id=s.id, rotation=s.rotation) for s in chosen)


def search(event: Event, query: str = "") -> list[Registration]:
    """Registrations of ``event`` whose name, e-mail or organisation contains ``query``."""
    statement = sa.select(Registration).where(Registration.event_id == event.id)
    query = query.strip()
    if query:
        pattern = "%" + query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        statement = statement.where(sa.or_(
            Registration.name.ilike(pattern, escape="\\"),
            Registration.email.ilike(pattern, escape="\\"),
            Registration.organisation.ilike(pattern, escape="\\"),
        ))
    return db.session.scalars(statement.order_by(Registration.name, Registration.id)).all()
