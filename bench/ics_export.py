"""Exporting a 2,000-slot programme as ICS, next to the icalendar library alone.

eventhub's figure is the whole ICS view (``GET /events/<slug>/programme.ics``: query,
build, serialise) on a temporary SQLite database. The baseline is icalendar building and
serialising the same calendar from plain Python data already in memory. Both outputs
must be byte for byte the same, so the comparison is fair. Goal: ratio ≤ 1.3.

A calendar polling an unchanged feed (If-None-Match, or If-Modified-Since) gets a 304;
its cost is measured against eventhub's own full export in the same run.
Goal: ≤ 5% of the full export.

Run: .venv/bin/python bench/ics_export.py
"""

from __future__ import annotations

import gc
import random
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar

from eventhub import create_app
from eventhub.cli import upgrade_database
from eventhub.extensions import db
from eventhub.programme.models import (
    Event,
    Room,
    Slot,
    SlotSpeaker,
    Speaker,
)

SLOTS = 2000
ROOMS = 10
SPEAKERS = 400
DAYS = 5
ROUNDS = 5
GOAL = 1.3
CONDITIONAL_GOAL = 0.05
ZONE = "Europe/Paris"
FIRST_DAY = date(2030, 10, 28)
SLUG = "bench"
TITLE = "Les Rencontres du télétravail — édition géante"
VENUE = ("Espace Aubrac", "Place du Foirail", "Aumont-Aubrac")
STAMP = datetime(2030, 9, 1, 12, 0, tzinfo=UTC)
KIND_LABELS = {"conference": "Conférence", "workshop": "Atelier", "round_table": "Table ronde"}
WORDS = ["télétravail", "ruralité", "tiers-lieu", "fibre", "coworking", "Lozère", "Aubrac",
         "réseau", "entreprise", "territoire,", "mobilité;", "formation", "numérique"]


def plain_programme(rng: random.Random) -> list[dict]:
    """The programme as plain data: what both sides export."""
    speakers = [(f"speaker-{n}", f"Personne {n}", f"Structure {n % 37}") for n in range(SPEAKERS)]
    zone = ZoneInfo(ZONE)
    slots = []
    for n in range(SLOTS):
        day = FIRST_DAY + timedelta(days=n % DAYS)
        hour, quarter = divmod((n // DAYS) // ROOMS % 40, 4)
        starts = datetime(day.year, day.month, day.day, 8 + hour, quarter * 15, tzinfo=zone)
        kind = rng.choice(sorted(KIND_LABELS))
        slots.append({
            "uid": f"00000000-0000-4000-8000-{n:012d}",
            "kind": kind,
            "title": " ".join(rng.choices(WORDS, k=6)).capitalize(),
            "abstract": " ".join(rng.choices(WORDS, k=60)),
            "starts_at": starts.astimezone(UTC),
            "ends_at": (starts + timedelta(minutes=45)).astimezone(UTC),
            "room": f"Salle {n % ROOMS + 1}",
            "sequence": rng.randrange(4),
            "speakers": rng.sample(speakers, rng.randrange(4)),
        })
    return slots


def load_database(slots: list[dict]) -> None:
    """Store the programme as eventhub's models."""
    event = Event(slug=SLUG, title=TITLE, start_date=FIRST_DAY,
                  end_date=FIRST_DAY + timedelta(days=DAYS - 1), timezone=ZONE, published=True,
                  venue_name=VENUE[0], venue_address=VENUE[1], venue_commune=VENUE[2])
    rooms = {f"Salle {n + 1}": Room(event=event, name=f"Salle {n + 1}", position=n)
             for n in range(ROOMS)}
    speakers: dict[str, Speaker] = {}
    db.session.add(event)
    for item in slots:
        slot = Slot(event=event, room=rooms[item["room"]], uid=item["uid"], kind=item["kind"],
                    title=item["title"], abstract=item["abstract"], starts_at=item["starts_at"],
                    ends_at=item["ends_at"], sequence=item["sequence"], updated_at=STAMP)
        for position, (slug, name, affiliation) in enumerate(item["speakers"]):
            speaker = speakers.get(slug) or speakers.setdefault(
                slug, Speaker(slug=slug, name=name, affiliation=affiliation))
            slot.speaker_links.append(SlotSpeaker(speaker=speaker, position=position))
        db.session.add(slot)
    db.session.commit()


def icalendar_alone(slots: list[dict], slot_ids: list[int], base_url: str) -> bytes:
    """The baseline: icalendar building and serialising the calendar from plain data."""
    zone = ZoneInfo(ZONE)
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//eventhub//programme//FR")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", TITLE)
    calendar.add("x-wr-timezone", ZONE)
    calendar.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", icalendar.vDuration(timedelta(hours=1)))
    calendar.add_component(icalendar.Timezone.from_tzinfo(
        zone, tzid=ZONE, first_date=date(FIRST_DAY.year, 1, 1),
        last_date=date(FIRST_DAY.year + 1, 1, 1)))
    venue = ", ".join(VENUE)
    for slot_id, item in zip(slot_ids, slots, strict=True):
        label = KIND_LABELS[item["kind"]]
        description = f"{label}\n\n{item['abstract']}"
        if item["speakers"]:
            names = ", ".join(f"{name} ({aff})" for _slug, name, aff in item["speakers"])
            description += f"\n\nIntervenants : {names}"
        vevent = icalendar.Event()
        vevent.add("uid", f"{item['uid']}@eventhub")
        vevent.add("sequence", item["sequence"])
        vevent.add("dtstamp", STAMP)
        vevent.add("dtstart", item["starts_at"].astimezone(zone))
        vevent.add("dtend", item["ends_at"].astimezone(zone))
        vevent.add("summary", item["title"])
        vevent.add("location", f"{item['room']}, {venue}")
        vevent.add("description", description)
        vevent.add("url", f"{base_url}/events/{SLUG}/slots/{slot_id}")
        vevent.add("categories", [label])
        calendar.add_component(vevent)
    return calendar.to_ical()


def best_of_interleaved(rounds: int, first, second) -> tuple[float, object, float, object]:
    """The shortest of ``rounds`` timed calls of each function, and their last results.

    The two alternate, so that both see the same load on a shared machine.
    """
    timings: dict[int, list[float]] = {0: [], 1: []}
    results: list[object] = [None, None]
    for _ in range(rounds):
        for index, function in enumerate((first, second)):
            gc.collect()
            started = time.perf_counter()
            results[index] = function()
            timings[index].append(time.perf_counter() - started)
    return min(timings[0]), results[0], min(timings[1]), results[1]


def timed(request, status: int) -> float:
    """Seconds one request takes; it must answer ``status``."""
    started = time.perf_counter()
    response = request()
    elapsed = time.perf_counter() - started
    assert response.status_code == status, response.status_code
    return elapsed


def main() -> int:
    """Build the data, time both sides, print the figures; exit 1 if a goal is missed."""
    rng = random.Random(2030)
    slots = plain_programme(rng)
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/bench.db",
            "SECRET_KEY": "bench",
            "RATELIMIT_ENABLED": False,
            "PUBLIC_URL": "http://localhost",
        })
        with app.app_context():
            upgrade_database()
            load_database(slots)
            db.session.remove()
            # The ids the database gave, in the export's order, to line the plain data up.
            rows = db.session.execute(
                db.select(Slot.id, Slot.uid).order_by(Slot.starts_at, Slot.room_id, Slot.id)
            ).all()
            db.session.remove()
        by_uid = {item["uid"]: item for item in slots}
        slot_ids = [row.id for row in rows]
        ordered = [by_uid[row.uid] for row in rows]
        client = app.test_client()

        def eventhub_export() -> bytes:
            response = client.get(f"/events/{SLUG}/programme.ics")
            assert response.status_code == 200, response.status_code
            return response.get_data()

        ours, exported, baseline, expected = best_of_interleaved(
            ROUNDS, eventhub_export, lambda: icalendar_alone(ordered, slot_ids, "http://localhost"))
        full = client.get(f"/events/{SLUG}/programme.ics")
        validators = {"If-None-Match": full.headers["ETag"],
                      "If-Modified-Since": full.headers["Last-Modified"]}
        polled = {
            name: min(timed(lambda name=name, value=value: client.get(
                f"/events/{SLUG}/programme.ics", headers={name: value}), 304)
                for _ in range(ROUNDS))
            for name, value in validators.items()
        }
        with app.app_context():
            db.engine.dispose()

    if exported != expected:
        print("The two calendars differ: the comparison would not be fair.", file=sys.stderr)
        return 2
    ratio = ours / baseline
    print(f"ICS export of {SLOTS} slots ({len(exported) / 1e6:.2f} MB), best of {ROUNDS}:")
    print(f"  icalendar alone (plain data in memory): {baseline * 1000:8.1f} ms")
    print(f"  eventhub GET programme.ics (query+build+serialise): {ours * 1000:8.1f} ms")
    print(f"  ratio {ratio:.2f}x (goal <= {GOAL}x): {'met' if ratio <= GOAL else 'MISSED'}")
    worst = max(polled.values()) / ours
    for name, seconds in polled.items():
        print(f"  a calendar polling with {name} (304): {seconds * 1000:8.2f} ms, "
              f"{seconds / ours:.4f}x the full export")
    print(f"  conditional-request ratio {worst:.4f}x (goal <= {CONDITIONAL_GOAL}x): "
          f"{'met' if worst <= CONDITIONAL_GOAL else 'MISSED'}")
    return 0 if ratio <= GOAL and worst <= CONDITIONAL_GOAL else 1


if __name__ == "__main__":
    sys.exit(main())
