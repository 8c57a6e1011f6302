"""The JSON shapes of the programme API, and their OpenAPI schemas side by side."""

from __future__ import annotations

from collections.abc import Sequence
from zoneinfo import ZoneInfo

from eventhub.programme.models import Event, Room, Slot, SlotKind, Speaker
from eventhub.urls import public_url


def speaker_json(speaker: Speaker) -> dict:
    """A speaker as the API shows it."""
    return {"slug": speaker.slug, "name": speaker.name, "affiliation": speaker.affiliation}


def room_json(room: Room) -> dict:
    """A room as the API shows it."""
    return {"id": room.id, "name": room.name, "capacity": room.capacity}


def event_json(event: Event) -> dict:
    """An event with its venue, series and the addresses of its page and feeds."""
    ics = public_url("programme_feeds.event_ics", slug=event.slug)
    return {
        "slug": event.slug,
        "title": event.title,
        "theme": event.theme,
        "start_date": event.start_date.isoformat(),
        "end_date": event.end_date.isoformat(),
        "timezone": event.timezone,
        "venue": {
            "name": event.venue_name,
            "address": event.venue_address,
            "commune": event.venue_commune,
        },
        "series": {"slug": event.series.slug, "name": event.series.name}
        if event.series else None,
        "urls": {
            "page": public_url("programme.event", slug=event.slug),
            "programme": public_url("programme_api.programme", slug=event.slug),
            "ics": ics,
        },
    }


def slot_json(slot: Slot, zone: ZoneInfo) -> dict:
    """A slot, its times in ISO 8601 with the event's UTC offset."""
    return {
        "id": slot.id,
        "uid": slot.uid,
        "kind": slot.kind,
        "title": slot.title,
        "abstract": slot.abstract,
        "starts_at": slot.starts_at.astimezone(zone).isoformat(),
        "ends_at": slot.ends_at.astimezone(zone).isoformat(),
        "room": {"id": slot.room.id, "name": slot.room.name} if slot.room else None,
        "rotation": slot.rotation,
        "capacity": slot.capacity,
        "speakers": [speaker_json(speaker) for speaker in slot.speakers],
        "replay_url": slot.replay_url,
        "slides_url": slot.slides_url,
        "sequence": slot.sequence,
    }


def programme_json(event: Event, rooms: Sequence[Room], slots: Sequence[Slot]) -> dict:
    """The event, its rooms and its slots in programme order."""
    zone = ZoneInfo(event.timezone)
    return {
        "event": event_json(event),
        "rooms": [room_json(room) for room in rooms],
        "slots": [slot_json(slot, zone) for slot in slots],
    }


def _nullable(schema: dict) -> dict:
    return {**schema, "type": [schema["type"], "null"]}


_STRING = {"type": "string"}
_URL = {"type": "string", "format": "uri"}

SCHEMAS = {
    "Speaker": {
        "type": "object",
        "required": ["slug", "name", "affiliation"],
        "properties": {"slug": _STRING, "name": _STRING, "affiliation": _STRING},
    },
    "Room": {
        "type": "object",
        "required": ["id", "name", "capacity"],
        "properties": {
            "id": {"type": "integer"},
            "name": _STRING,
            "capacity": _nullable({"type": "integer"}),
        },
    },
    "Event": {
        "type": "object",
        "required": ["slug", "title", "theme", "start_date", "end_date", "timezone",
                     "venue", "series", "urls"],
        "properties": {
            "slug": _STRING,
            "title": _STRING,
            "theme": _STRING,
            "start_date": {"type": "string", "format": "date"},
            "end_date": {"type": "string", "format": "date"},
            "timezone": {"type": "string", "description": "IANA zone, e.g. Europe/Paris."},
            "venue": {
                "type": "object",
                "properties": {"name": _STRING, "address": _STRING, "commune": _STRING},
            },
            "series": _nullable({
                "type": "object",
                "properties": {"slug": _STRING, "name": _STRING},
            }),
            "urls": {
                "type": "object",
                "properties": {
                    "page": _URL,
                    "programme": {**_URL, "description": "This API's programme of the event."},
                    "ics": {**_URL, "description": "The ICS feed (subscribe with webcal://)."},
                },
            },
        },
    },
    "Slot": {
        "type": "object",
        "required": ["id", "uid", "kind", "title", "starts_at", "ends_at", "speakers",
                     "sequence"],
        "properties": {
            "id": {"type": "integer"},
            "uid": {"type": "string", "description": "Never changes for the slot."},
            "kind": {"type": "string", "enum": [kind.value for kind in SlotKind]},
            "title": _STRING,
            "abstract": _STRING,
            "starts_at": {"type": "string", "format": "date-time",
                          "description": "ISO 8601 with the event's UTC offset."},
            "ends_at": {"type": "string", "format": "date-time"},
            "room": _nullable({
                "type": "object",
                "properties": {"id": {"type": "integer"}, "name": _STRING},
            }),
            "rotation": _nullable({"type": "integer"}),
            "capacity": _nullable({"type": "integer"}),
            "speakers": {"type": "array", "items": {"$ref": "#/components/schemas/Speaker"}},
            "replay_url": _STRING,
            "slides_url": _STRING,
            "sequence": {"type": "integer", "description": "Grows with each visible change."},
        },
    },
    "Programme": {
        "type": "object",
        "required": ["event", "rooms", "slots"],
        "properties": {
            "event": {"$ref": "#/components/schemas/Event"},
            "rooms": {"type": "array", "items": {"$ref": "#/components/schemas/Room"}},
            "slots": {"type": "array", "items": {"$ref": "#/components/schemas/Slot"}},
        },
    },
    "EventList": {
        "type": "object",
        "required": ["events"],
        "properties": {
            "events": {"type": "array", "items": {"$ref": "#/components/schemas/Event"}},
        },
    },
}
