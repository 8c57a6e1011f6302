"""Published versions of a programme, and what changed from one to the next.

Organisers edit the programme freely; publishing a version records what every slot
then was (its time, room, title, kind and speakers), numbered and dated. The changes
of a version are the differences between its record and the previous one's: slots
new, cancelled (gone from the programme), moved, given another room, title or kind,
and speakers added or removed.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from eventhub.database import utcnow
from eventhub.errors import Refused
from eventhub.extensions import db
from eventhub.i18n import format_datetime
from eventhub.programme.models import (
    Event,
    ProgrammeVersion,
    Slot,
    SlotKind,
    SlotSpeaker,
)


class ChangeKind(StrEnum):
    """What happened to a slot between two versions."""

    NEW = "new"
    CANCELLED = "cancelled"
    MOVED = "moved"
    ROOM = "room"
    SPEAKER_ADDED = "speaker_added"
    SPEAKER_REMOVED = "speaker_removed"
    TITLE = "title"
    KIND = "kind"


@dataclass(frozen=True)
class Change:
    """One change of one slot; ``before``/``after`` hold what changed (times as ISO
    strings, names as lists), ``slot`` what the slot is now (or was, when cancelled)."""

    kind: ChangeKind
    uid: str
    slot: dict
    before: object = None
    after: object = None


@dataclass
class VersionChanges:
    """A published version and its changes from the previous one (none for the first)."""

    number: int
    published_at: datetime
    slot_count: int
    changes: list[Change] = field(default_factory=list)

    @property
    def first(self) -> bool:
        """Whether this is the programme's first published version."""
        return self.number == 1


def snapshot(event: Event) -> dict:
    """What every slot of ``event`` is now, as JSON-ready data keyed by slot UID."""
    slots = db.session.scalars(
        sa.select(Slot).where(Slot.event_id == event.id)
        .order_by(Slot.starts_at, Slot.room_id, Slot.id)
        .options(selectinload(Slot.room),
                 selectinload(Slot.speaker_links).selectinload(SlotSpeaker.speaker))
    ).all()
    return {"slots": {slot.uid: {
        "title": slot.title,
        "kind": slot.kind,
        "starts_at": slot.starts_at.isoformat(),
        "ends_at": slot.ends_at.isoformat(),
        "room": slot.room.name if slot.room else "",
        "speakers": [speaker.name for speaker in slot.speakers],
    } for slot in slots}}


def versions_of(event: Event) -> list[ProgrammeVersion]:
    """The published versions of ``event``, oldest first."""
    return list(db.session.scalars(
        sa.select(ProgrammeVersion).where(ProgrammeVersion.event_id == event.id)
        .order_by(ProgrammeVersion.number)
    ).all())


def latest_version(event: Event) -> ProgrammeVersion | None:
    """The latest published version of ``event``, if any."""
    return db.session.scalar(
        sa.select(ProgrammeVersion).where(ProgrammeVersion.event_id == event.id)
        .order_by(ProgrammeVersion.number.desc()).limit(1)
    )


def differences(before: dict, after: dict) -> list[Change]:
    """The changes from snapshot ``before`` to snapshot ``after``, in programme order."""
    old, new = before["slots"], after["slots"]
    changes: list[Change] = []
    for uid, slot in new.items():
        was = old.get(uid)
        if was is None:
            changes.append(Change(ChangeKind.NEW, uid, slot))
            continue
        if (was["starts_at"], was["ends_at"]) != (slot["starts_at"], slot["ends_at"]):
            changes.append(Change(ChangeKind.MOVED, uid, slot, was["starts_at"],
                                  slot["starts_at"]))
        for name, kind in (("room", ChangeKind.ROOM), ("title", ChangeKind.TITLE),
                           ("kind", ChangeKind.KIND)):
            if was[name] != slot[name]:
                changes.append(Change(kind, uid, slot, was[name], slot[name]))
        added = [name for name in slot["speakers"] if name not in was["speakers"]]
        removed = [name for name in was["speakers"] if name not in slot["speakers"]]
        if added:
            changes.append(Change(ChangeKind.SPEAKER_ADDED, uid, slot, after=added))
        if removed:
            changes.append(Change(ChangeKind.SPEAKER_REMOVED, uid, slot, before=removed))
    changes.extend(Change(ChangeKind.CANCELLED, uid, slot)
                   for uid, slot in old.items() if uid not in new)
    return changes


def history(event: Event) -> list[VersionChanges]:
    """Every published version of ``event`` with its changes, latest first."""
    found = versions_of(event)
    entries = []
    previous = None
    for version in found:
        entries.append(VersionChanges(
            number=version.number, published_at=version.published_at,
            slot_count=len(version.snapshot["slots"]),
            changes=differences(previous, version.snapshot) if previous else []))
        previous = version.snapshot
    return entries[::-1]


def pending_changes(event: Event) -> list[Change] | None:
    """What publishing now would record as changed; None before the first version."""
    latest = latest_version(event)
    return None if latest is None else differences(latest.snapshot, snapshot(event))


def publish(event: Event) -> ProgrammeVersion:
    """Publish the programme of ``event`` as it is now, as its next numbered version.

    Refused (``unchanged``) when nothing changed since the latest version, and
    (``conflict``) when another organiser published the same number meanwhile.
    """
    current = snapshot(event)
    latest = latest_version(event)
    if latest is not None and latest.snapshot == current:
        raise Refused("unchanged", _("Le programme n'a pas changé depuis la version %(n)d.",
                                     n=latest.number))
    number = (latest.number if latest else 0) + 1
    version = ProgrammeVersion(event_id=event.id, number=number, published_at=utcnow(),
                               snapshot=current)
    db.session.add(version)
    event.programme_version = number
    try:
        db.session.commit()
    except IntegrityError as exc:
        db.session.rollback()
        raise Refused("conflict", _("Une autre version vient d'être publiée : rechargez la "
                                    "page.")) from exc
    return version


def atom_id(event: Event, number: int | None = None) -> str:
    """A permanent identifier of the changes feed of ``event`` or of its version ``number``.

    Derived from the event's id rather than from an address, which the host serving the
    feed (or a renamed slug) would change.
    """
    name = f"eventhub:programme:{event.id}" + ("" if number is None else f":{number}")
    return uuid.uuid5(uuid.NAMESPACE_URL, name).urn


def _when(moment: str, zone: str) -> str:
    return format_datetime(datetime.fromisoformat(moment), zone, "EEEE d MMMM, HH:mm")


def describe(change: Change, zone: str) -> str:
    """One sentence telling ``change``, in the current language, times in ``zone``."""
    slot = change.slot
    title = slot["title"]
    if change.kind == ChangeKind.NEW:
        where = f", {slot['room']}" if slot["room"] else ""
        return _("Nouveau : « %(title)s », %(when)s%(where)s.", title=title,
                 when=_when(slot["starts_at"], zone), where=where)
    if change.kind == ChangeKind.CANCELLED:
        return _("Annulé : « %(title)s », prévu %(when)s.", title=title,
                 when=_when(slot["starts_at"], zone))
    if change.kind == ChangeKind.MOVED:
        return _("Déplacé : « %(title)s » passe du %(before)s au %(after)s.", title=title,
                 before=_when(change.before, zone), after=_when(change.after, zone))
    if change.kind == ChangeKind.ROOM:
        return _("Changement de salle : « %(title)s » passe de « %(before)s » à « %(after)s ».",
                 title=title, before=change.before or _("sans salle"),
                 after=change.after or _("sans salle"))
    if change.kind == ChangeKind.SPEAKER_ADDED:
        return _("Nouvel intervenant pour « %(title)s » : %(names)s.", title=title,
                 names=", ".join(change.after))
    if change.kind == ChangeKind.SPEAKER_REMOVED:
        return _("Intervenant retiré de « %(title)s » : %(names)s.", title=title,
                 names=", ".join(change.before))
    if change.kind == ChangeKind.TITLE:
        return _("Nouveau titre : « %(before)s » devient « %(after)s ».",
                 before=change.before, after=change.after)
    return _("« %(title)s » devient : %(kind)s.", title=title,
             kind=str(SlotKind(change.after).label if change.after in tuple(SlotKind)
                      else change.after))
