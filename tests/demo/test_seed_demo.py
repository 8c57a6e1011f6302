"""`flask seed-demo` loads the seeds' events and the live edition, and is idempotent."""

from datetime import date

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


def test_the_live_edition_moves_to_the_day_it_is_loaded(app):
    demo_programme.load(Report(), today=date(2030, 3, 1))
    live = db.session.scalar(sa.select(Event).where(Event.slug == demo_programme.LIVE_DEMO_SLUG))
    first = live.slots[0]
    assert first.starts_at.isoformat() == "2030-03-01T08:00:00+00:00"  # 09:00 Paris, winter
    demo_programme.load(Report(), today=date(2030, 7, 1))
    db.session.refresh(live)
    assert live.start_date == date(2030, 7, 1)
    assert live.slots[0].starts_at.isoformat() == "2030-07-01T07:00:00+00:00"  # 09:00, summer
    assert live.slots[-1].ends_at.isoformat() == "2030-07-01T16:00:00+00:00"  # 18:00 Paris
