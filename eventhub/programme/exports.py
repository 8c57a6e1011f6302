"""Public exports of a published programme: schedule files, a plain-text timetable, and
the data of the partner sites' widget.

Every answer here is the same for every reader (the builders write in the site's default
language), so each is shared with every origin, without cookies (``eventhub.sharing``).
"""

from __future__ import annotations

import json
from collections.abc import Callable

from flask import Blueprint, Response, jsonify, request, url_for

from eventhub.programme import conditional, schedule, services, timetable_formats
from eventhub.programme.models import Event
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


def _published(slug: str) -> Event:
    """The published event called ``slug``: drafts have no public exports."""
    return services.event_by_slug(slug, include_drafts=False)


def _shared(event: Event, variant: str, build: Callable[[], Response]) -> Response:
    """A public export, or a 304 while the programme is unchanged: readers revalidate
    it, any site may read it."""
    response = conditional.respond(event, variant, build)
    response.headers["Cache-Control"] = "no-cache"
    return share_publicly(response)


@bp.get("/events/<slug>/schedule.xml")
def schedule_xml(slug: str):
    """The programme as frab's schedule.xml, for conference apps and recording pipelines."""
    event = _published(slug)
    return _shared(event, "schedule.xml", lambda: Response(
        schedule.to_xml(schedule.build(event)), mimetype="application/xml"))


@bp.get("/events/<slug>/schedule.json")
def schedule_json(slug: str):
    """The programme as frab's schedule.json (the c3voc schema).

    Written without sorting keys: a day's rooms keep the event's order.
    """
    event = _published(slug)
    return _shared(event, "schedule.json", lambda: Response(
        json.dumps(schedule.to_json(schedule.build(event)), ensure_ascii=False,
                   separators=(",", ":")), mimetype="application/json"))


@bp.get("/events/<slug>/widget.json")
def widget_json(slug: str):
    """The data of the partner sites' widget."""
    event = _published(slug)
    return _shared(event, "widget.json",
                   lambda: jsonify(timetable_formats.widget_document(event)))


@bp.get("/events/<slug>/programme.txt")
def programme_txt(slug: str):
    """The timetable as UTF-8 plain text, for ``curl`` and terminals."""
    event = _published(slug)
    return _shared(event, "programme.txt", lambda: Response(
        timetable_formats.timetable_text(event), mimetype="text/plain"))

