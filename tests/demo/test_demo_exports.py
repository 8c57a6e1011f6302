"""The demo's events export cleanly in every format, each read back by its own reader."""

from __future__ import annotations

import icalendar
import sqlalchemy as sa

from eventhub.extensions import db
from eventhub.programme.models import Event, Room, Slot, SlotSpeaker, Speaker
from tests.programme.schedule_checks import valid_json, valid_xml

DEMO_EVENTS = {
    "rencontres-teletravail-aumont-aubrac",
    "tour-de-france-teletravail-mende-2014",
    "explorcamp-2-teletravail-territoires",
}


def _uids(response) -> set[str]:
    assert response.status_code == 200, response.request.path
    calendar = icalendar.Calendar.from_ical(response.get_data())
    return {str(vevent["uid"]) for vevent in calendar.walk("VEVENT")}


def test_every_demo_event_exports_cleanly(runner, client):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    events = db.session.scalars(sa.select(Event).where(Event.published.is_(True))).all()
    assert {event.slug for event in events} >= DEMO_EVENTS
    for event in events:
        slot_count = db.session.scalar(
            sa.select(sa.func.count()).select_from(Slot).where(Slot.event_id == event.id))
        base = f"/events/{event.slug}"

        document = valid_xml(client.get(f"{base}/schedule.xml").get_data())
        assert len(document.findall("day/room/event")) == slot_count

        data = valid_json(client.get(f"{base}/schedule.json").get_json())
        talks = [talk for day in data["schedule"]["conference"]["days"]
                 for room in day["rooms"].values() for talk in room]
        assert len(talks) == slot_count

        event_uids = _uids(client.get(f"{base}/programme.ics"))
        assert len(event_uids) == slot_count
        rooms = db.session.scalars(sa.select(Room).where(Room.event_id == event.id)).all()
        for room in rooms:
            assert _uids(client.get(f"{base}/rooms/{room.id}/programme.ics")) <= event_uids

        widget = client.get(f"{base}/widget.json").get_json()
        assert sum(len(row["slots"]) for day in widget["days"] for row in day["rows"]) == (
            slot_count)
        text = client.get(f"{base}/programme.txt").get_data().decode("utf-8")
        assert event.title in text

    speakers = db.session.scalars(sa.select(Speaker).join(SlotSpeaker).distinct()).all()
    assert speakers
    for speaker in speakers:
        assert _uids(client.get(f"/speakers/{speaker.slug}/talks.ics"))
