"""Shared helpers of the live tests: an event with a slot on air now."""

from __future__ import annotations

from datetime import timedelta

from eventhub.database import utcnow
from eventhub.extensions import db
from eventhub.programme.models import Event, Room, Slot


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
