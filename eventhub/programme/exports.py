"""Public exports of a published programme: schedule files, a plain-text timetable, and
the data of the partner sites' widget.

Every answer here is the same for every reader: it is written in the site's default
language and shared with every origin, without cookies (see ``eventhub.sharing``).
"""

from __future__ import annotations

import json

from flask import Blueprint, Response, abort, current_app, jsonify, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _

from eventhub.i18n import format_date, format_time
from eventhub.programme import schedule, services
from eventhub.programme.ical import absolute_url, clean_text
from eventhub.programme.models import Event, Slot
from eventhub.sharing import share_publicly

bp = Blueprint("programme_exports", __name__)

# What ``Accept`` may ask of a programme page instead of HTML, and where it is.
NEGOTIATED = {
    "application/json": "programme_exports.schedule_json",
    "application/xml": "programme_exports.schedule_xml",
    "text/xml": "programme_exports.schedule_xml",
    "text/plain": "programme_exports.programme_txt",
}


def negotiated_export(slug: str) -> str | None:
    """The address of the export that the request's ``Accept`` prefers to HTML, if any.

    HTML comes first among equals: a browser (or curl's ``*/*``) keeps the page.
    """
    best = request.accept_mimetypes.best_match(["text/html", *NEGOTIATED])
    endpoint = NEGOTIATED.get(best or "")
    return url_for(endpoint, slug=slug) if endpoint else None


def _published_event_or_404(slug: str) -> Event:
    """The published event called ``slug``: drafts have no public exports."""
    event = services.find_event(slug)
    if event is None:
        abort(404)
    return event


def _shared(response: Response) -> Response:
    """A public export: readers revalidate it, any site may read it."""
    response.headers["Cache-Control"] = "no-cache"
    return share_publicly(response)


@bp.get("/events/<slug>/schedule.xml")
def schedule_xml(slug: str):
    """The programme as frab's schedule.xml, for conference apps and recording pipelines."""
    event = _published_event_or_404(slug)
    body = schedule.to_xml(schedule.build(event))
    return _shared(Response(body, mimetype="application/xml"))


@bp.get("/events/<slug>/schedule.json")
def schedule_json(slug: str):
    """The programme as frab's schedule.json (the c3voc schema).

    Written without sorting keys: a day's rooms keep the event's order.
    """
    event = _published_event_or_404(slug)
    body = json.dumps(schedule.to_json(schedule.build(event)), ensure_ascii=False,
                      separators=(",", ":"))
    return _shared(Response(body, mimetype="application/json"))


def _slot_times(slot: Slot, zone: str) -> tuple[str, str]:
    return format_time(slot.starts_at, zone), format_time(slot.ends_at, zone)


def _speaker_names(slot: Slot) -> list[str]:
    return [f"{s.name} ({s.affiliation})" if s.affiliation else s.name for s in slot.speakers]


@bp.get("/events/<slug>/widget.json")
def widget_json(slug: str):
    """The timetable as the partner sites' widget shows it: days, then rows of slots that
    run side by side, with times and dates already written out."""
    event = _published_event_or_404(slug)
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
                    "url": absolute_url("programme.slot", slug=event.slug, slot_id=slot.id),
                } for slot in row.slots for start, end in [_slot_times(slot, zone)]],
            } for row in day.rows],
        } for day in services.timetable(event)]
    return _shared(jsonify({
        "title": event.title,
        "place": event.location,
        "timezone": zone,
        "url": absolute_url("programme.timetable", slug=event.slug),
        "days": days,
    }))


def _line(text: str) -> str:
    """``text`` on one line, without control characters: a terminal shows what it says
    instead of obeying escape sequences hidden in a title."""
    return clean_text(text).replace("\n", " ").replace("\t", " ")


def timetable_text(event: Event) -> str:
    """The timetable as plain text: per day, per time, one line per room."""
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


@bp.get("/events/<slug>/programme.txt")
def programme_txt(slug: str):
    """The timetable as UTF-8 plain text, for ``curl`` and terminals."""
    event = _published_event_or_404(slug)
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        body = timetable_text(event)
    return _shared(Response(body, mimetype="text/plain"))

