"""The registration demo: the live edition takes registrations; loading twice adds nothing."""

from __future__ import annotations

from eventhub.extensions import db
from eventhub.programme.services import find_event
from eventhub.registration import figures, services


def test_demo_opens_the_live_edition_with_a_few_people(runner, app):
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    assert "/tickets/" in first.output
    event = find_event("rencontres-teletravail-aujourdhui")
    settings = services.settings_for(event)
    assert (settings.onsite_capacity, settings.remote_capacity) == (120, None)
    assert settings.opens_at is None and settings.closes_at is None
    before = figures.stats(event)
    assert before.confirmed_onsite == 4 and before.checked_in == 2
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    db.session.expire_all()
    assert figures.stats(event) == before
