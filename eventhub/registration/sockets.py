"""Socket.IO namespace ``/checkin``: live figures for organisers and door staff."""

from __future__ import annotations

import threading
from dataclasses import asdict

import sqlalchemy as sa
from flask import current_app, g
from flask_login import current_user
from flask_socketio import join_room

from eventhub.accounts.services import user_for_token
from eventhub.extensions import db, socketio
from eventhub.programme.models import Event
from eventhub.registration import services

NAMESPACE = "/checkin"


# Figures are sent at most this often per event (seconds; the app config
# ``REGISTRATION_LIVE_INTERVAL`` overrides it, 0 sends after every change): when the
# doors open, dozens of scans a second would otherwise each recount the event.
LIVE_INTERVAL = 0.5

_pending: set[int] = set()
_pending_lock = threading.Lock()


def room_of(event_id: int) -> str:
    """The room that receives an event's figures."""
    return f"event-{event_id}"


def _emit(event_id: int) -> None:
    socketio.emit("stats", asdict(services.stats_of(event_id)), namespace=NAMESPACE,
                  to=room_of(event_id))


def publish_stats(event_id: int) -> None:
    """Send the figures of the event ``event_id`` to every dashboard watching it, soon and
    coalesced."""
    interval = current_app.config.get("REGISTRATION_LIVE_INTERVAL", LIVE_INTERVAL)
    if not interval:
        _emit(event_id)
        return
    with _pending_lock:
        if event_id in _pending:
            return
        _pending.add(event_id)
    socketio.start_background_task(_emit_later, current_app._get_current_object(), event_id,
                                   interval)


def _emit_later(app, event_id: int, interval: float) -> None:
    """Wait, then send the figures as they are then (covering every change meanwhile)."""
    socketio.sleep(interval)
    with _pending_lock:
        _pending.discard(event_id)
    with app.app_context():
        try:
            _emit(event_id)
        finally:
            db.session.remove()


def on_connect(auth=None):
    """Only door staff and organisers (session cookie or ``auth.token``) may watch."""
    # ``g`` belongs to the app context, which an enclosing one may share: make
    # Flask-Login read this connection's session rather than a cached user.
    g.pop("_login_user", None)
    token = auth.get("token") if isinstance(auth, dict) else None
    user = user_for_token(str(token)) if token else current_user
    return bool(user is not None and user.is_authenticated and user.can("door"))


def on_join(data):
    """Join an event's room; acknowledged with its current figures."""
    slug = data.get("event") if isinstance(data, dict) else None
    event = db.session.scalar(sa.select(Event).where(Event.slug == str(slug)))
    if event is None:
        return {"ok": False, "error": "not_found", "message": "unknown event"}
    join_room(room_of(event.id))
    return {"ok": True, "stats": asdict(services.stats(event))}


def register() -> None:
    """Attach the handlers to the app's Socket.IO server (each ``init_app`` builds one)."""
    socketio.on_event("connect", on_connect, namespace=NAMESPACE)
    socketio.on_event("join", on_join, namespace=NAMESPACE)
