"""A visitor walks the demo: an event, in English, its timetable, its calendar file."""

from pathlib import Path

import icalendar
import sqlalchemy as sa

from eventhub.demo import Report
from eventhub.demo import programme as demo_programme
from eventhub.extensions import db
from eventhub.programme.models import Event


def test_demo_event_in_english_timetable_and_ics_download(page, live_server, app):
    demo_programme.load(Report())
    mende = db.session.scalar(
        sa.select(Event).where(Event.slug == "tour-de-france-teletravail-mende-2014"))
    titles = {slot.title for slot in mende.slots}

    page.goto(live_server + "/")
    page.get_by_role("link", name=mende.title).first.click()
    assert page.get_by_role("heading", level=1).inner_text() == mende.title

    page.get_by_role("link", name="English").click()
    assert page.locator("html").get_attribute("lang") == "en"
    page.get_by_role("link", name="See the programme").click()
    assert page.url.endswith(f"/events/{mende.slug}/programme")
    workshops = [page.get_by_text(title, exact=True).first for title in (
        "S'installer en entrepreneur solo à la campagne",
        "Tiers lieux : un modèle économique vivable en milieu rural")]
    boxes = [w.bounding_box() for w in workshops]
    assert abs(boxes[0]["y"] - boxes[1]["y"]) < 2 and boxes[0]["x"] != boxes[1]["x"]

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the programme (.ics)").click()
    calendar = icalendar.Calendar.from_ical(Path(download_info.value.path()).read_bytes())
    summaries = {str(event["SUMMARY"]) for event in calendar.walk("VEVENT")}
    assert summaries == titles
