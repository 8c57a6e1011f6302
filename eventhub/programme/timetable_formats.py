"""The timetable for readers other than the HTML page: plain text for terminals, and the
document the partner sites' widget shows.

Both follow ``services.timetable``: days, then rows of slots that run side by side. Both
are written in the site's default language, so one event has one text for every reader.
"""

from __future__ import annotations

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from eventhub.i18n import format_date, format_time
from eventhub.programme import services
from eventhub.programme.ical import clean_text
from eventhub.programme.models import Event, Slot
from eventhub.urls import public_url


def _slot_times(slot: Slot, zone: str) -> tuple[str, str]:
    return format_time(slot.starts_at, zone), format_time(slot.ends_at, zone)


def _speaker_names(slot: Slot) -> list[str]:
    return [f"{s.name} ({s.affiliation})" if s.affiliation else s.name for s in slot.speakers]


def widget_document(event: Event) -> dict:
    """What the widget shows of ``event``: days, then rows of slots running side by side,
    with times and dates already written out (the widget formats nothing)."""
    zone = event.timezone
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        days = [{
            "date": day.day.isoformat(),
            "label": format_date(day.day),
            "rows": [{
                "start": format_time(row.starts_at, zone),
                "end": format_time(row.ends_at, zone),
                "slots": [{
                    "start": start, "end": end,
                    "title": slot.title,
                    "kind": slot.kind_label,
                    "room": slot.room.name if slot.room else "",
                    "speakers": _speaker_names(slot),
                    "url": public_url("programme.slot", slug=event.slug, slot_id=slot.id),
                } for slot in row.slots for start, end in [_slot_times(slot, zone)]],
            } for row in day.rows],
        } for day in services.timetable(event)]
    return {
        "title": event.title,
        "place": event.location,
        "timezone": zone,
        "url": public_url("programme.timetable", slug=event.slug),
        "days": days,
    }


def _line(text: str) -> str:
    """``text`` on one line, without control characters: a terminal shows what it says
    instead of obeying escape sequences hidden in a title."""
    return clean_text(text).replace("\n", " ").replace("\t", " ")


def timetable_text(event: Event) -> str:
    """The timetable as plain text: per day, per time, one line per room."""
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        return _text(event)


def _text(event: Event) -> str:
    zone = event.timezone
    lines = [_line(event.title), _line(event.location), _("Horaires de %(tz)s.", tz=zone)]
    for day in services.timetable(event):
        label = format_date(day.day)
        lines += ["", "", label, "=" * len(label)]
        for row in day.rows:
            lines += ["", f"{format_time(row.starts_at, zone)}–{format_time(row.ends_at, zone)}"]
            rooms = [_line(slot.room.name) if slot.room else "" for slot in row.slots]
            # A column of room names, as wide as the longest, when the row names any.
            width = max(map(len, rooms))
            indent = " " * (width + 4) if width else "  "
            for slot, room in zip(row.slots, rooms, strict=True):
                start, end = _slot_times(slot, zone)
                times = f"  ({start}–{end})" if (slot.starts_at, slot.ends_at) != (
                    row.starts_at, row.ends_at) else ""
                lead = f"  {room:<{width}}  " if width else indent
                lines.append(f"{lead}{_line(slot.title)}{times}")
                details = [slot.kind_label, *([", ".join(_speaker_names(slot))]
                                              if slot.speakers else [])]
                lines.append(indent + _line(" · ".join(details)))
    return "\n".join(lines) + "\n"
