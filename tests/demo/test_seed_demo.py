"""`flask seed-demo` loads the seeds' events and the live edition, and is idempotent."""

from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from eventhub.demo import Report
from eventhub.demo import programme as demo_programme
from eventhub.extensions import db
from eventhub.programme.models import Event, Slot, Speaker


def _snapshot():
    """Every row of every table, to compare two loads."""
    return {
        table.name: sorted(map(repr, db.session.execute(sa.select(table)).all()))
        for table in db.metadata.sorted_tables
    }


def test_seed_demo_loads_the_three_events_and_today_edition(runner, app):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    assert "password:" in result.output
    slugs = set(db.session.scalars(sa.select(Event.slug)))
    assert slugs == {
        "rencontres-teletravail-aumont-aubrac",
        "tour-de-france-teletravail-mende-2014",
        "explorcamp-2-teletravail-territoires",
        "rencontres-teletravail-aujourdhui",
    }
    mende = db.session.scalar(sa.select(Event).where(Event.slug.like("tour-de-france%")))
    assert mende.series.name == "Tour de France du télétravail et du coworking 2014"
    assert [stop.city for stop in mende.series.stops][-1] == "Mende"
    assert mende.series.stops[-1].event is mende
    workshops = [s for s in mende.slots if s.kind == "workshop"]
    assert len(workshops) == 2 and workshops[0].starts_at == workshops[1].starts_at
    assert workshops[0].room_id != workshops[1].room_id
    oziol = db.session.scalar(sa.select(Speaker).where(Speaker.slug == "sebastien-oziol"))
    assert oziol.affiliation == "Lozère Développement"


def test_explorcamp_has_two_rotations_of_three_workshops(runner, app):
    runner.invoke(args=["seed-demo"])
    rows = db.session.execute(
        sa.select(Slot.rotation, sa.func.count()).join(Event)
        .where(Event.slug == "explorcamp-2-teletravail-territoires", Slot.kind == "workshop")
        .group_by(Slot.rotation).order_by(Slot.rotation)
    ).all()
    assert rows == [(1, 3), (2, 3)]


def test_running_it_twice_changes_nothing(runner, app):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    db.session.expire_all()
    before = _snapshot()
    second = runner.invoke(args=["seed-demo"])
    assert second.exit_code == 0, second.output
    db.session.expire_all()
    assert _snapshot() == before


@pytest.mark.parametrize(("now", "keynote_start", "days"), [
    # 19:44 in Paris (winter): the keynote began at 19:25, the day runs past midnight.
    (datetime(2030, 3, 1, 18, 44, tzinfo=UTC), "2030-03-01T18:25:00+00:00",
     (date(2030, 3, 1), date(2030, 3, 2))),
    # 09:02 in Paris (summer).
    (datetime(2030, 7, 1, 7, 2, tzinfo=UTC), "2030-07-01T06:45:00+00:00",
     (date(2030, 7, 1), date(2030, 7, 1))),
])
def test_the_live_edition_is_on_air_whenever_the_demo_is_loaded(app, now, keynote_start, days):
    demo_programme.load(Report(), now=now)
    live = db.session.scalar(sa.select(Event).where(Event.slug == demo_programme.LIVE_DEMO_SLUG))
    keynote = next(slot for slot in live.slots if slot.kind == "keynote")
    assert keynote.starts_at.isoformat() == keynote_start
    assert keynote.starts_at <= now < keynote.ends_at
    assert (live.start_date, live.end_date) == days
    # The programme keeps its shape: the day closes 8 h 30 after the keynote's start.
    assert max(s.ends_at for s in live.slots) - keynote.starts_at == timedelta(hours=8, minutes=30)
    assert live.slots[0].ends_at - live.slots[0].starts_at == timedelta(minutes=30)


def test_loading_again_while_on_air_moves_nothing(app):
    now = datetime(2030, 3, 1, 18, 44, tzinfo=UTC)
    demo_programme.load(Report(), now=now)
    report = Report()
    demo_programme.load(report, now=now + timedelta(minutes=30))
    live = db.session.scalar(sa.select(Event).where(Event.slug == demo_programme.LIVE_DEMO_SLUG))
    assert next(s for s in live.slots if s.kind == "keynote").starts_at.isoformat() == (
        "2030-03-01T18:25:00+00:00")
    assert "already on air" in report.lines[-1]
    demo_programme.load(report, now=now + timedelta(hours=3))
    db.session.refresh(live)
    keynote = next(s for s in live.slots if s.kind == "keynote")
    assert keynote.starts_at.isoformat() == "2030-03-01T21:25:00+00:00"
