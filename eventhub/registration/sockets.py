"""Socket.IO namespace ``/checkin``: live figures for organisers and door staff."""

from __future__ import annotations

from dataclasses import asdict

import sqlalchemy as sa
from flask_socketio import join_room

from eventhub.accounts.auth import socket_user
from eventhub.accounts.roles import Role
from eventhub.coalesce import Coalescer
from eventhub.extensions import db, socketio
from eventhub.programme.models import Event
from eventhub.registration import figures

NAMESPACE = "/checkin"


def room_of(event_id: int) -> str:
    """The room that receives an event's figures."""
    return f"event-{event_id}"


def _send(event_ids: set[int]) -> None:
    for event_id in event_ids:
        socketio.emit("stats", asdict(figures.stats_of(event_id)), namespace=NAMESPACE,
                      to=room_of(event_id))


# When the doors open, dozens of scans a second would otherwise each recount the event.
_changes = Coalescer("REGISTRATION_LIVE_INTERVAL", _send)


def publish_stats(event_id: int) -> None:
    """Send the figures of the event ``event_id`` to every dashboard watching it, soon and
    coalesced (see ``REGISTRATION_LIVE_INTERVAL``)."""
    _changes.changed(event_id)


def on_connect(auth=None):
    """Only door staff and organisers (session cookie or ``auth.token``) may watch."""
    user = socket_user(auth)
    return user is not None and user.can(Role.DOOR)


def on_join(data):
    """Join an event's room; acknowledged with its current figures."""
    slug = data.get("event") if isinstance(data, dict) else None
    event = db.session.scalar(sa.select(Event).where(Event.slug == str(slug)))
    if event is None:
        return {"ok": False, "error": "not_found", "message": "unknown event"}
    join_room(room_of(event.id))
    return {"ok": True, "stats": asdict(figures.stats(event))}


def register() -> None:
    """Attach the handlers to the app's Socket.IO server (each ``init_app`` builds one)."""
    socketio.on_event("connect", on_connect, namespace=NAMESPACE)
    socketio.on_event("join", on_join, namespace=NAMESPACE)
