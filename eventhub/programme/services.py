"""Programme rules: listing, reading and editing events and their slots."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from eventhub.database import utcnow
from eventhub.extensions import db
from eventhub.programme.models import Event, Series


@dataclass
class Listing:
    """What the home page shows."""

    upcoming: list[Event]
    past: list[Event]
    series: list[Series]


def public_listing(today: date | None = None) -> Listing:
    """Published events split into upcoming (soonest first) and past (latest first)."""
    today = today or utcnow().date()
    events = db.session.scalars(
        sa.select(Event).where(Event.published.is_(True)).order_by(Event.start_date)
    ).all()
    series = db.session.scalars(sa.select(Series).order_by(Series.name)).all()
    return Listing(
        upcoming=[e for e in events if e.end_date >= today],
        past=sorted((e for e in events if e.end_date < today), key=lambda e: e.start_date,
                    reverse=True),
        series=list(series),
    )
