"""ICS feeds of the programme: a whole event, a room, a speaker, a single slot.

Calendar apps poll subscribed feeds; each answer carries an ETag computed from the
feed's content before any formatting, so an unchanged feed costs its queries and a 304.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, Response, abort, request
from flask_login import current_user

from eventhub.extensions import db
from eventhub.programme import ical, services
from eventhub.programme.models import Event, Room, Slot
from eventhub.sharing import share_publicly

bp = Blueprint("programme_feeds", __name__)


def _viewer_is_organiser() -> bool:
    return current_user.is_authenticated and current_user.can("organiser")


def _event_or_404(slug: str) -> Event:
    """The event named ``slug``; a draft exists only for organisers."""
    event = db.session.scalar(sa.select(Event).where(Event.slug == slug))
    if event is None or not (event.published or _viewer_is_organiser()):
        abort(404)
    return event


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
    return share_publicly(response) if public else response


@bp.get("/events/<slug>/programme.ics")
def event_ics(slug: str):
    """The whole programme of an event, for download or subscription."""
    event = _event_or_404(slug)
    return _calendar_response(ical.event_feed(event), f"{event.slug}.ics", event.published)


@bp.get("/events/<slug>/slots/<int:slot_id>.ics")
def slot_ics(slug: str, slot_id: int):
    """One slot of an event, to add to a calendar."""
    event = _event_or_404(slug)
    slot = db.session.get(Slot, slot_id)
    if slot is None or slot.event_id != event.id:
        abort(404)
    feed = ical.feed_for(event, [slot], name=slot.title)
    return _calendar_response(feed, f"{event.slug}-{slot.id}.ics", event.published)


# Ids are 32-bit integers: a larger one names no room, and SQLite could not even bind it.
@bp.get("/events/<slug>/rooms/<int(max=2147483647):room_id>/programme.ics")
def room_ics(slug: str, room_id: int):
    """The slots of one room of an event, for whoever follows that room."""
    event = _event_or_404(slug)
    room = db.session.get(Room, room_id)
    if room is None or room.event_id != event.id:
        abort(404)
    return _calendar_response(ical.room_feed(event, room), f"{event.slug}-{room.id}.ics",
                              event.published)


@bp.get("/speakers/<slug>/talks.ics")
def speaker_ics(slug: str):
    """A speaker's slots in every published event."""
    speaker = services.find_speaker(slug)
    if speaker is None:
        abort(404)
    feed = ical.speaker_feed(speaker, services.speaker_slots(speaker))
    return _calendar_response(feed, f"{speaker.slug}.ics", public=True)
