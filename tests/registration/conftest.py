"""Fixtures of the registration tests: an event that takes registrations."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from threading import Barrier

import pytest

from eventhub.extensions import db
from eventhub.registration import services

EXPLORCAMP = [
    {"start": "09:00", "end": "09:30", "title": "Accueil", "kind": "welcome"},
    {"start": "10:00", "end": "11:00", "title": "Atelier A", "kind": "workshop", "room": "A",
     "rotation": 1, "capacity": 2},
    {"start": "10:00", "end": "11:00", "title": "Atelier B", "kind": "workshop", "room": "B",
     "rotation": 1, "capacity": 2},
    {"start": "10:00", "end": "11:00", "title": "Atelier C", "kind": "workshop", "room": "C",
     "rotation": 1, "capacity": 2},
    {"start": "11:15", "end": "12:15", "title": "Atelier A", "kind": "workshop", "room": "A",
     "rotation": 2, "capacity": 2},
    {"start": "11:15", "end": "12:15", "title": "Atelier B", "kind": "workshop", "room": "B",
     "rotation": 2, "capacity": 2},
    {"start": "11:15", "end": "12:15", "title": "Atelier C", "kind": "workshop", "room": "C",
     "rotation": 2, "capacity": 2},
]


@pytest.fixture
def open_event(make_event):
    """``open_event(capacity=…, slots=…, remote_capacity=…)``: an event open for registration."""

    def factory(capacity: int = 3, slug: str = "rencontres", slots=(), remote_capacity=None,
                **fields):
        event = make_event(slug=slug, slots=slots, **fields)
        services.save_settings(event, capacity, remote_capacity, None, None)
        return event

    return factory


@pytest.fixture
def crowd(open_event):
    """An event whose figures all differ: 6 places on site, 4 confirmed there (a fifth
    cancelled), 2 confirmed remote and 1 waiting (2 remote places), 3 checked in (a
    remote ticket scanned too, and refused)."""
    from eventhub.registration import checkin

    event = open_event(capacity=6, remote_capacity=2)
    people = [services.register(event, f"Personne {n}", f"p{n}@example.org",
                                "onsite" if n < 5 else "remote") for n in range(8)]
    services.cancel(people[4])
    for person in (people[0], people[1], people[2]):
        assert checkin.scan(event.slug, person.code, None).result == "ok"
    assert checkin.scan(event.slug, people[5].code, None).result == "remote"
    return event


@pytest.fixture
def workshops(open_event):
    """Explorcamp: 3 workshops of 2 places, 2 rotations."""
    return open_event(capacity=50, slug="explorcamp", slots=EXPLORCAMP)


def slot_id(event, title: str, rotation: int) -> int:
    """The id of the workshop ``title`` in ``rotation``."""
    return next(s.id for s in event.slots if s.title == title and s.rotation == rotation)


def concurrently(app, count: int, work) -> list:
    """Run ``work(i)`` in ``count`` threads released together, each in its own app context."""
    barrier = Barrier(count)

    def run(i):
        with app.app_context():
            barrier.wait()
            try:
                return work(i)
            finally:
                db.session.remove()

    with ThreadPoolExecutor(max_workers=count) as pool:
        results = list(pool.map(run, range(count)))
    # End the caller's own transaction, so that it sees what the threads wrote.
    db.session.commit()
    return results
