"""ICS feeds of the programme: a whole event, a room, a speaker, a single slot.

Calendar apps poll subscribed feeds; each answer carries the validators of the event's
programme revision (``conditional``), so an unchanged feed costs one row and a 304.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from flask import Blueprint, Response, abort

from eventhub.programme import conditional, ical, services
from eventhub.programme.models import Event, Room, Slot
from eventhub.programme.views import visible_event
from eventhub.sharing import share_publicly

bp = Blueprint("programme_feeds", __name__)


def _calendar(event: Event, variant: str, feed: Callable[[], ical.Feed], filename: str
              ) -> Response:
    """The feed as ``text/calendar``, or 304 when the client already holds this revision:
    ``feed`` (the queries) is only called when the answer is not a 304."""

    response = conditional.respond(event, variant, lambda: _ics(feed(), filename))
    # Calendars may keep a copy but must revalidate it; drafts stay out of shared caches.
    response.headers["Cache-Control"] = "no-cache" if event.published else "private, no-cache"
    return share_publicly(response) if event.published else response


def _ics(feed: ical.Feed, filename: str) -> Response:
    response = Response(ical.serialize(ical.to_calendar(feed)), mimetype="text/calendar")
    response.headers.set("Content-Disposition", "attachment", filename=filename)
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
    slot = services.part_of_event(Slot, slot_id, event.id)
    return _calendar(event, f"slot-{slot.id}.ics",
                     partial(ical.feed_for, event, [slot], name=slot.title),
                     f"{event.slug}-{slot.id}.ics")


# Ids are 32-bit integers: a larger one names no room, and SQLite could not even bind it.
@bp.get("/events/<slug>/rooms/<int(max=2147483647):room_id>/programme.ics")
def room_ics(slug: str, room_id: int):
    """The slots of one room of an event, for whoever follows that room."""
    event = visible_event(slug)
    room = services.part_of_event(Room, room_id, event.id)
    return _calendar(event, f"room-{room.id}.ics", partial(ical.room_feed, event, room),
                     f"{event.slug}-{room.id}.ics")


@bp.get("/speakers/<slug>/talks.ics")
def speaker_ics(slug: str):
    """A speaker's slots in every published event, validated by all those events'
    revisions (a speaker's rename grows each of them)."""
    speaker = services.find_speaker(slug)
    if speaker is None:
        abort(404)
    slots = services.speaker_slots(speaker)
    events = sorted({slot.event for slot in slots}, key=lambda event: event.id)
    response = conditional.respond_across(
        events, f"speaker-{speaker.id}:{speaker.name}.ics",
        lambda: _ics(ical.speaker_feed(speaker, slots), f"{speaker.slug}.ics"))
    response.headers["Cache-Control"] = "no-cache"
    return share_publicly(response)
