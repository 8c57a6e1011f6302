"""Shared helpers of the live tests: an event with a slot on air now."""

from __future__ import annotations

import time
from datetime import timedelta

from eventhub.database import utcnow
from eventhub.extensions import db, socketio
from eventhub.live.viewer import COOKIE, sign
from eventhub.programme.models import Event, Room, Slot
from tests.conftest import AuthActions

NS = "/live"


def live_event(slug: str = "direct", premoderation: bool = True) -> Event:
    """A published event with a slot on air now in room "Grande salle" and one later."""
    from eventhub.live import services

    now = utcnow()
    event = Event(slug=slug, title="Rencontres en direct", start_date=now.date(),
                  end_date=now.date(), published=True)
    room = Room(event=event, name="Grande salle")
    db.session.add_all([
        event,
        Slot(event=event, room=room, title="Table ronde en cours",
             starts_at=now - timedelta(minutes=30), ends_at=now + timedelta(minutes=30)),
        Slot(event=event, room=room, title="Atelier suivant",
             starts_at=now + timedelta(hours=1), ends_at=now + timedelta(hours=2)),
    ])
    db.session.commit()
    services.set_premoderation(event, premoderation)
    return event


def viewer_client(app, name: str):
    """A socket of a viewer whose signed cookie says ``name``."""
    http = app.test_client()
    http.set_cookie(COOKIE, sign(name))
    return socketio.test_client(app, namespace=NS, flask_test_client=http)


def moderator_client(app, token=None):
    """A socket of a moderator logged in by session (or by ``token``)."""
    http = app.test_client()
    if token is None:
        AuthActions(http).login("moderator")
        return socketio.test_client(app, namespace=NS, flask_test_client=http)
    return socketio.test_client(app, namespace=NS, auth={"token": token})


def received(client, name: str) -> list:
    """The payloads of the ``name`` events a client got since last asked."""
    return [p["args"][0] for p in client.get_received(NS) if p["name"] == name]


def wait_for(client, name: str, timeout: float = 2.0, until: dict | None = None) -> list:
    """Wait for at least one ``name`` event, or for one equal to ``until`` (counts are
    sent from a background task, and a loaded machine may send an earlier one first)."""
    deadline = time.monotonic() + timeout
    found: list = []
    while time.monotonic() < deadline:
        found += received(client, name)
        if found and (until is None or until in found):
            return found
        time.sleep(0.02)
    return found
