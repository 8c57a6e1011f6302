"""Registration rules without HTTP: capacity, waiting list, duplicates, workshops."""

from __future__ import annotations

from datetime import timedelta

import pytest

from eventhub.database import utcnow
from eventhub.errors import Refused, status_of
from eventhub.extensions import db
from eventhub.registration import figures, services
from eventhub.registration.models import Status
from tests.registration.conftest import concurrently, slot_id


def register(event, n, attendance="onsite", **kw):
    return services.register(event, f"Personne {n}", f"p{n}@example.org", attendance, **kw)


def test_confirmed_until_full_then_waitlisted(open_event):
    event = open_event(capacity=2)
    statuses = [register(event, i).status for i in range(4)]
    assert statuses == ["confirmed", "confirmed", "waitlisted", "waitlisted"]
    assert register(event, 9, "remote").status == "confirmed"  # remote unlimited


def test_remote_capacity_when_set(open_event):
    event = open_event(capacity=0, remote_capacity=1)
    assert [register(event, i, "remote").status for i in range(2)] == ["confirmed", "waitlisted"]


def test_cancel_promotes_the_first_waiting_person(open_event):
    event = open_event(capacity=1)
    first = register(event, 1)
    waiting = [register(event, 2), register(event, 3)]
    promoted = services.cancel(first)
    assert promoted.id == waiting[0].id
    db.session.refresh(waiting[1])
    assert (promoted.status, waiting[1].status) == ("confirmed", "waitlisted")
    assert first.status == "cancelled"
    assert services.cancel(first) is None  # twice changes nothing
    assert figures.stats(event).confirmed_onsite == 1


def test_cancelling_a_waiting_person_promotes_nobody(open_event):
    event = open_event(capacity=1)
    register(event, 1)
    waiting = register(event, 2)
    third = register(event, 3)
    assert services.cancel(waiting) is None
    assert third.status == Status.WAITLISTED


def test_duplicate_email_is_refused_whatever_its_case(open_event):
    event = open_event()
    services.register(event, "Ana", "ana@example.org", "onsite")
    with pytest.raises(Refused) as caught:
        services.register(event, "Ana bis", " ANA@Example.org ", "remote")
    assert (status_of(caught.value), caught.value.code) == (409, "duplicate_email")
    assert caught.value.field == "email"


def test_same_email_may_register_to_another_event(open_event):
    services.register(open_event(slug="a"), "Ana", "ana@example.org", "onsite")
    other = services.register(open_event(slug="b"), "Ana", "ana@example.org", "onsite")
    assert other.status == "confirmed"


@pytest.mark.parametrize(("name", "email", "attendance", "field"), [
    ("", "a@example.org", "onsite", "name"),
    ("Ana", "not-an-email", "onsite", "email"),
    ("Ana", None, "onsite", "email"),
    ("Ana", "a@example.org", "hybrid", "attendance"),
])
def test_bad_fields_are_named(open_event, name, email, attendance, field):
    event = open_event()
    with pytest.raises(Refused) as caught:
        services.register(event, name, email, attendance)
    assert (caught.value.code, caught.value.field) == ("invalid_field", field)


def test_closed_before_opening_and_after_closing(open_event):
    event = open_event()
    settings = services.settings_for(event)
    services.save_settings(event, 10, None, utcnow() + timedelta(hours=1), None)
    with pytest.raises(Refused) as caught:
        register(event, 1)
    assert (caught.value.code, status_of(caught.value)) == ("registration_closed", 403)
    services.save_settings(event, 10, None, None, utcnow() - timedelta(minutes=1))
    with pytest.raises(Refused):
        register(event, 1)
    assert settings.id == services.settings_for(event).id


def test_no_settings_means_closed(make_event):
    with pytest.raises(Refused) as caught:
        services.register(make_event(), "Ana", "a@example.org", "onsite")
    assert caught.value.code == "registration_closed"


def test_workshops_one_per_rotation_never_the_same_twice(workshops):
    a1, b1, b2 = (slot_id(workshops, t, r) for t, r in (("Atelier A", 1), ("Atelier B", 1),
                                                       ("Atelier B", 2)))
    a2 = slot_id(workshops, "Atelier A", 2)
    ok = services.register(workshops, "Ana", "ana@example.org", "onsite", choices=[a1, b2])
    assert sorted(c.slot_id for c in ok.choices) == sorted([a1, b2])
    for bad in ([a1, b1], [a1, a2]):
        with pytest.raises(Refused) as caught:
            services.register(workshops, "Bob", "bob@example.org", "onsite", choices=bad)
        assert caught.value.field == "choices"
    with pytest.raises(Refused):
        services.register(workshops, "Bob", "bob@example.org", "remote", choices=[a1])


def test_full_workshop_refused_and_freed_by_cancellation(workshops):
    a1, b2, c2 = (slot_id(workshops, t, r) for t, r in (("Atelier A", 1), ("Atelier B", 2),
                                                       ("Atelier C", 2)))
    first = register(workshops, 1, choices=[a1, b2])
    register(workshops, 2, choices=[a1, c2])
    with pytest.raises(Refused) as caught:
        register(workshops, 3, choices=[a1, b2])
    assert "complet" in caught.value.message and caught.value.field == "choices"
    services.cancel(first)
    assert sorted(c.slot_id for c in register(workshops, 3, choices=[a1, b2]).choices) == sorted(
        [a1, b2])


def test_change_choices_keeps_own_place(workshops):
    a1, b1, a2, b2, c2 = (slot_id(workshops, t, r) for t, r in (
        ("Atelier A", 1), ("Atelier B", 1), ("Atelier A", 2), ("Atelier B", 2),
        ("Atelier C", 2)))
    me = register(workshops, 1, choices=[a1, b2])
    register(workshops, 2, choices=[a1, c2])  # Atelier A rotation 1 is now full
    services.change_choices(me, [a1, c2])  # my own place in A1 still counts as mine
    assert sorted(c.slot_id for c in me.choices) == sorted([a1, c2])
    other = register(workshops, 3, choices=[b1, a2])  # C2 is full now: me and n°2
    with pytest.raises(Refused) as caught:
        services.change_choices(other, [b1, c2])
    assert (caught.value.code, caught.value.field) == ("invalid_field", "choices")
    assert sorted(c.slot_id for c in other.choices) == sorted([b1, a2])


def test_an_onsite_attendee_picks_a_workshop_in_every_rotation(workshops):
    a1, b2 = slot_id(workshops, "Atelier A", 1), slot_id(workshops, "Atelier B", 2)
    for choices, missing in (([], 1), ([a1], 2), ([b2], 1)):
        with pytest.raises(Refused) as caught:
            services.register(workshops, "Bob", "bob@example.org", "onsite", choices=choices)
        assert (caught.value.field, caught.value.details) == ("choices", {"rotation": missing})
        assert f"rotation {missing}" in caught.value.message
    assert services.search(workshops) == []
    remote = services.register(workshops, "Eve", "eve@example.org", "remote")
    assert remote.choices == []  # the rule is for the people in the room


def test_a_rotation_whose_workshops_are_all_full_is_not_required(workshops):
    ids = {(t, r): slot_id(workshops, t, r) for t in ("Atelier A", "Atelier B", "Atelier C")
           for r in (1, 2)}
    firsts = [ids["Atelier A", 1], ids["Atelier B", 1], ids["Atelier C", 1]]
    seconds = [ids["Atelier B", 2], ids["Atelier C", 2], ids["Atelier A", 2]]
    for n in range(6):  # two places each: rotation 1 fills up
        register(workshops, n, choices=[firsts[n % 3], seconds[n % 3]])
    late = register(workshops, 7, choices=[])
    assert late.choices == [] and late.status == "confirmed"


def test_burst_never_overbooks(app, open_event):
    event = open_event(capacity=10)
    event_id = event.id

    def work(i):
        from eventhub.programme.models import Event

        return services.register(db.session.get(Event, event_id), f"P{i}",
                                 f"p{i}@example.org", "onsite").status

    statuses = concurrently(app, 40, work)
    assert statuses.count("confirmed") == 10
    assert statuses.count("waitlisted") == 30
    assert figures.stats(event).confirmed_onsite == 10


def test_search_matches_name_email_and_organisation(open_event):
    event = open_event()
    services.register(event, "Ana Martin", "ana@example.org", "onsite", organisation="MDECS")
    services.register(event, "Bob", "bob@example.org", "onsite")
    assert [r.name for r in services.search(event, "mdecs")] == ["Ana Martin"]
    assert [r.name for r in services.search(event, "BOB@")] == ["Bob"]
    assert services.search(event, "%") == []
    assert len(services.search(event)) == 2


def test_stats_count_each_figure_apart(crowd):
    assert figures.stats(crowd) == figures.Stats(
        onsite_capacity=6, confirmed_onsite=4, confirmed_remote=2, waitlisted=1, checked_in=3)


def test_a_remote_registration_checked_in_in_the_past_is_no_arrival(crowd):
    remote = next(r for r in services.search(crowd) if r.attendance == "remote"
                  and r.status == "confirmed")
    remote.checked_in_at = remote.created_at  # as the door let remote tickets in before
    db.session.commit()
    assert figures.stats(crowd).checked_in == 3


def test_a_workshop_of_another_event_is_refused(workshops, open_event):
    other = open_event(slug="ailleurs", slots=[
        {"start": "10:00", "end": "11:00", "title": "Atelier Z", "kind": "workshop",
         "room": "Z", "rotation": 1, "capacity": 5}])
    foreign = slot_id(other, "Atelier Z", 1)
    with pytest.raises(Refused) as caught:
        register(workshops, 1, choices=[foreign])
    assert caught.value.field == "choices"
    assert "n'existe pas" in caught.value.message
    assert services.find_by_email(workshops, "p1@example.org") is None
    a1, b2 = slot_id(workshops, "Atelier A", 1), slot_id(workshops, "Atelier B", 2)
    me = register(workshops, 2, choices=[a1, b2])
    with pytest.raises(Refused):
        services.change_choices(me, [foreign, b2])
    assert sorted(c.slot_id for c in me.choices) == sorted([a1, b2])


def test_a_cancelled_registration_cannot_change_its_workshops(workshops):
    a1, b2, c2 = (slot_id(workshops, t, r) for t, r in (("Atelier A", 1), ("Atelier B", 2),
                                                       ("Atelier C", 2)))
    me = register(workshops, 1, choices=[a1, b2])
    services.cancel(me)
    with pytest.raises(Refused) as caught:
        services.change_choices(me, [a1, c2])
    assert caught.value.code == "cancelled"
    db.session.rollback()
    assert (me.status, me.choices) == (Status.CANCELLED, [])
    assert services.seats_taken(workshops).get(c2, 0) == 0
