"""The programme's read-only JSON API: published events and their programmes."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, jsonify
from sqlalchemy.orm import joinedload, selectinload

from eventhub.extensions import csrf, db
from eventhub.programme import serializers, services
from eventhub.programme.models import Event, Room, Slot, SlotSpeaker

bp = Blueprint("programme_api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)


def _published_event(slug: str) -> Event:
    return services.event_by_slug(slug, False, joinedload(Event.series))


@bp.get("/events")
def events():
    """Every published event, soonest first."""
    found = db.session.scalars(
        sa.select(Event)
        .options(joinedload(Event.series))
        .where(Event.published.is_(True))
        .order_by(Event.start_date, Event.id)
    )
    return jsonify({"events": [serializers.event_json(event) for event in found]})


@bp.get("/events/<slug>")
def event(slug: str):
    """One published event."""
    return jsonify(serializers.event_json(_published_event(slug)))


@bp.get("/events/<slug>/programme")
def programme(slug: str):
    """A published event with its rooms and slots."""
    found = _published_event(slug)
    rooms = db.session.scalars(
        sa.select(Room).where(Room.event_id == found.id).order_by(Room.position, Room.id)
    ).all()
    slots = db.session.scalars(
        sa.select(Slot)
        .where(Slot.event_id == found.id)
        .options(
            joinedload(Slot.room),
            selectinload(Slot.speaker_links).joinedload(SlotSpeaker.speaker),
        )
        .order_by(Slot.starts_at, Slot.room_id, Slot.id)
    ).all()
    return jsonify(serializers.programme_json(found, rooms, slots))


def _get(operation_id: str, summary: str, schema: str, with_slug: bool) -> dict:
    operation = {
        "operationId": operation_id,
        "summary": summary,
        "tags": ["programme"],
        "responses": {
            "200": {
                "description": "OK",
                "content": {"application/json": {
                    "schema": {"$ref": f"#/components/schemas/{schema}"}}},
            },
        },
    }
    if with_slug:
        operation["parameters"] = [{
            "name": "slug", "in": "path", "required": True, "schema": {"type": "string"},
            "description": "The event's slug, as in its page address.",
        }]
        operation["responses"]["404"] = {
            "description": "No published event has this slug.",
            "content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/Error"}}},
        }
    return {"get": operation}


PATHS = {
    "/events": _get("listEvents", "Published events, soonest first", "EventList", with_slug=False),
    "/events/{slug}": _get("getEvent", "One published event", "Event", with_slug=True),
    "/events/{slug}/programme": _get(
        "getProgramme", "A published event with its rooms and slots", "Programme", with_slug=True
    ),
}
