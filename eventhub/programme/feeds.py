"""ICS feeds of the programme: a whole event and a single slot.

Calendar apps poll subscribed feeds; each answer carries the validators of the event's
programme revision (``conditional``), so an unchanged feed costs one row and a 304.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from flask import Blueprint, Response, abort

from eventhub.extensions import db
from eventhub.programme import conditional, ical
from eventhub.programme.models import Event, Slot
from eventhub.programme.views import visible_event

bp = Blueprint("programme_feeds", __name__)


def _calendar(event: Event, variant: str, feed: Callable[[], ical.Feed], filename: str
              ) -> Response:
    """The feed as ``text/calendar``, or 304 when the client already holds this revision:
    ``feed`` (the queries) is only called when the answer is not a 304."""

    def build() -> Response:
        response = Response(ical.serialize(ical.to_calendar(feed())), mimetype="text/calendar")
        response.headers.set("Content-Disposition", "attachment", filename=filename)
        return response

    response = conditional.respond(event, variant, build)
    # Calendars may keep a copy but must revalidate it; drafts stay out of shared caches.
    response.headers["Cache-Control"] = "no-cache" if event.published else "private, no-cache"
    return response


@bp.get("/events/<slug>/programme.ics")
def event_ics(slug: str):
    """The whole programme of an event, for download or subscription."""
    event = visible_event(slug)
    return _calendar(event, "programme.ics", partial(ical.event_feed, event),
                     f"{event.slug}.ics")


@bp.get("/events/<slug>/slots/<int:slot_id>.ics")
def slot_ics(slug: str, slot_id: int):
    """One slot of an event, to add to a calendar."""
    event = visible_event(slug)
    slot = db.session.get(Slot, slot_id)
    if slot is None or slot.event_id != event.id:
        abort(404)
    return _calendar(event, f"slot-{slot.id}.ics",
                     partial(ical.feed_for, event, [slot], name=slot.title),
                     f"{event.slug}-{slot.id}.ics")
