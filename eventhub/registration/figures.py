"""The figures of an event's registrations and check-ins: dashboard, ``GET /stats``."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import sqlalchemy as sa

from eventhub.extensions import db
from eventhub.programme.models import Event
from eventhub.registration.models import Attendance, Registration, RegistrationSettings, Status


@dataclass(frozen=True)
class Stats:
    """The figures of the dashboard and of ``GET /stats``."""

    onsite_capacity: int
    confirmed_onsite: int
    confirmed_remote: int
    waitlisted: int
    checked_in: int


@lru_cache(maxsize=1)
def _stats_statement() -> sa.Select:
    """The figures query, built once (it runs after every check-in)."""
    event_id = sa.bindparam("event_id")
    confirmed = Registration.status == Status.CONFIRMED

    def count(*conditions):
        return sa.func.count(sa.case((sa.and_(*conditions), 1)))

    capacity = (sa.select(RegistrationSettings.onsite_capacity)
                .where(RegistrationSettings.event_id == event_id).scalar_subquery())
    return sa.select(
        capacity,
        count(confirmed, Registration.attendance == Attendance.ONSITE),
        count(confirmed, Registration.attendance == Attendance.REMOTE),
        count(Registration.status == Status.WAITLISTED),
        # A remote registration is never an arrival, even one checked in before the door
        # refused remote tickets.
        count(Registration.checked_in_at.is_not(None),
              Registration.attendance == Attendance.ONSITE),
    ).select_from(Registration).where(Registration.event_id == event_id)


def stats(event: Event) -> Stats:
    """The figures of ``event``, in one query."""
    return stats_of(event.id)


def stats_of(event_id: int) -> Stats:
    """The figures of the event ``event_id``, in one query."""
    row = db.session.execute(_stats_statement(), {"event_id": event_id}).one()
    return Stats(onsite_capacity=row[0] or 0, confirmed_onsite=row[1], confirmed_remote=row[2],
                 waitlisted=row[3], checked_in=row[4])
