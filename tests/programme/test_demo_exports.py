"""The demo's events publish a first version and export cleanly in every format."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET

import icalendar
import pypdf
import sqlalchemy as sa

from eventhub.extensions import db
from eventhub.programme.models import Event, Slot
from eventhub.registration.models import Registration, Status

ATOM = "{http://www.w3.org/2005/Atom}"


def test_demo_events_publish_and_export(runner, client, auth):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    auth.login("organiser")
    events = db.session.scalars(sa.select(Event).order_by(Event.slug)).all()
    assert len(events) == 4
    for event in events:
        slot_count = db.session.scalar(
            sa.select(sa.func.count()).select_from(Slot).where(Slot.event_id == event.id))
        assert event.programme_version == 1, event.slug

        ics = client.get(f"/events/{event.slug}/programme.ics")
        calendar = icalendar.Calendar.from_ical(ics.get_data())
        assert len(calendar.walk("VEVENT")) == slot_count
        assert client.get(f"/events/{event.slug}/programme.ics",
                          headers={"If-None-Match": ics.headers["ETag"]}).status_code == 304

        api = client.get(f"/api/v1/events/{event.slug}/programme")
        assert len(api.get_json()["slots"]) == slot_count

        page = client.get(f"/events/{event.slug}/changes").get_data(as_text=True)
        assert f"Première version publiée : {slot_count} créneaux." in page
        feed = ET.fromstring(  # noqa: S314 (our own output)
            client.get(f"/events/{event.slug}/changes.atom").get_data())
        assert [entry.findtext(f"{ATOM}title") for entry in feed.findall(f"{ATOM}entry")] == [
            "Version 1 du programme"]

        badges = pypdf.PdfReader(io.BytesIO(
            client.get(f"/manage/events/{event.slug}/badges.pdf").get_data()))
        text = "".join(page.extract_text() for page in badges.pages)
        confirmed = db.session.scalars(sa.select(Registration.name).where(
            Registration.event_id == event.id, Registration.status == Status.CONFIRMED)).all()
        assert len(badges.pages) == max(1, -(-len(confirmed) // 8))
        assert all(name in text for name in confirmed)
        listing = client.get(f"/manage/events/{event.slug}/checkin-list.pdf")
        assert pypdf.PdfReader(io.BytesIO(listing.get_data())).pages
