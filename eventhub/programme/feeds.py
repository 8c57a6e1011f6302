"""ICS feeds of the programme: a whole event and a single slot.

Calendar apps poll subscribed feeds; each answer carries an ETag computed from the
feed's content before any formatting, so an unchanged feed costs its queries and a 304.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, request

from eventhub.extensions import db
from eventhub.programme import ical
from eventhub.programme.models import Slot
from eventhub.programme.views import visible_event

bp = Blueprint("programme_feeds", __name__)


def _calendar_response(feed: ical.Feed, filename: str, public: bool) -> Response:
    """The feed as ``text/calendar``, or 304 when the client already holds this version.

    The 304 is decided by the ETag only: a deleted slot or a renamed room leaves no
    newer timestamp behind, so ``If-Modified-Since`` alone could hide a change.
    """
    etag = feed.etag
    if request.if_none_match.contains_weak(etag):
        response = Response(status=304)
    else:
        response = Response(ical.serialize(ical.to_calendar(feed)), mimetype="text/calendar")
        response.headers.set("Content-Disposition", "attachment", filename=filename)
    response.set_etag(etag)
    response.last_modified = feed.last_modified
    # Calendars may keep a copy but must revalidate it; drafts stay out of shared caches.
    response.headers["Cache-Control"] = "no-cache" if public else "private, no-cache"
    return response


@bp.get("/events/<slug>/programme.ics")
def event_ics(slug: str):
    """The whole programme of an event, for download or subscription."""
    event = visible_event(slug)
    return _calendar_response(ical.event_feed(event), f"{event.slug}.ics", event.published)


@bp.get("/events/<slug>/slots/<int:slot_id>.ics")
def slot_ics(slug: str, slot_id: int):
    """One slot of an event, to add to a calendar."""
    event = visible_event(slug)
    slot = db.session.get(Slot, slot_id)
    if slot is None or slot.event_id != event.id:
        abort(404)
    feed = ical.feed_for(event, [slot], name=slot.title)
    return _calendar_response(feed, f"{event.slug}-{slot.id}.ics", event.published)
