"""Programme rules, called without HTTP."""

from datetime import UTC, date, datetime

import pytest

from eventhub.errors import Refused
from eventhub.extensions import db
from eventhub.programme import services
from eventhub.programme.models import Event, Slot, Speaker
from eventhub.text import slugify

DAY = date(2030, 10, 28)


def event_data(**overrides):
    data = {"slug": "rencontres-2030", "title": "Les Rencontres", "start_date": DAY,
            "end_date": DAY, "timezone": "Europe/Paris", "published": True}
    return {**data, **overrides}


def slot_data(start="10:00", end="11:00", day=DAY, **overrides):
    def local(hhmm):
        hour, minute = (int(p) for p in hhmm.split(":"))
        return datetime(day.year, day.month, day.day, hour, minute)

    data = {"kind": "conference", "title": "Infrastructures numériques",
            "starts_at": local(start), "ends_at": local(end)}
    return {**data, **overrides}


@pytest.fixture
def event(app):
    return services.create_event(event_data())


def test_create_event_stores_the_fields(app):
    event = services.create_event(event_data(theme="  du télétravail  ", expected_participants=100))
    stored = db.session.get(Event, event.id)
    assert (stored.slug, stored.theme, stored.expected_participants) == (
        "rencontres-2030", "du télétravail", 100)


@pytest.mark.parametrize(("overrides", "field", "words"), [
    ({"slug": "Rencontres 2030"}, "slug", "minuscules"),
    ({"slug": "-rencontres"}, "slug", "minuscules"),
    ({"slug": ""}, "slug", "identifiant"),
    ({"title": "  "}, "title", "titre"),
    ({"end_date": date(2030, 10, 27)}, "end_date", "précéder"),
    ({"timezone": "Mars/Olympus"}, "timezone", "inconnu"),
])
def test_create_event_refuses_bad_fields(app, overrides, field, words):
    with pytest.raises(Refused) as caught:
        services.create_event(event_data(**overrides))
    assert caught.value.code == "invalid_field" and field in caught.value.errors
    assert words in caught.value.errors[field]
    assert db.session.query(Event).count() == 0


def test_event_slug_is_unique_but_an_event_keeps_its_own(app, event):
    with pytest.raises(Refused) as caught:
        services.create_event(event_data(title="Autre"))
    assert "déjà utilisé" in caught.value.errors["slug"]
    services.update_event(event, event_data(title="Nouveau titre"))
    assert event.title == "Nouveau titre"


def test_slot_times_are_entered_in_the_event_zone_and_stored_in_utc(app, event):
    result = services.save_slot(event, slot_data("10:00", "11:30"))
    assert result.saved
    slot = db.session.get(Slot, result.slot.id)
    # Paris left summer time on the 27th: UTC+1.
    assert slot.starts_at == datetime(2030, 10, 28, 9, 0, tzinfo=UTC)
    assert slot.ends_at == datetime(2030, 10, 28, 10, 30, tzinfo=UTC)


def test_slot_timezone_conversion_across_the_dst_change(app):
    # 2030-10-27 is the last Sunday of October: Paris leaves summer time at 03:00.
    event = services.create_event(event_data(start_date=date(2030, 10, 26),
                                             end_date=date(2030, 10, 27)))
    before = services.save_slot(event, slot_data("10:00", "11:00", day=date(2030, 10, 26))).slot
    after = services.save_slot(event, slot_data("10:00", "11:00", day=date(2030, 10, 27))).slot
    assert before.starts_at.hour == 8  # UTC+2
    assert after.starts_at.hour == 9  # UTC+1
    assert services.to_local(after.starts_at, "Europe/Paris") == datetime(2030, 10, 27, 10, 0)


def test_a_time_the_clocks_skip_is_refused(app):
    # 2030-03-31: Paris jumps from 02:00 to 03:00; 02:30 does not exist.
    event = services.create_event(event_data(start_date=date(2030, 3, 31),
                                             end_date=date(2030, 3, 31)))
    with pytest.raises(Refused) as caught:
        services.save_slot(event, slot_data("02:30", "04:00", day=date(2030, 3, 31)))
    assert "changement" in caught.value.errors["starts_at"]


def test_another_timezone_is_honoured(app):
    event = services.create_event(event_data(timezone="America/Montreal"))
    slot = services.save_slot(event, slot_data("10:00", "11:00")).slot
    assert slot.starts_at == datetime(2030, 10, 28, 14, 0, tzinfo=UTC)


def test_slot_ending_before_it_starts_is_refused(app, event):
    with pytest.raises(Refused) as caught:
        services.save_slot(event, slot_data("11:00", "10:00"))
    assert "termine avant de commencer" in caught.value.errors["ends_at"]
    assert db.session.query(Slot).count() == 0


def test_slot_outside_the_event_dates_is_refused(app, event):
    with pytest.raises(Refused) as caught:
        services.save_slot(event, slot_data(day=date(2030, 10, 29)))
    assert "en dehors des dates" in caught.value.errors["starts_at"]


def test_slot_just_inside_the_last_local_day_is_accepted(app, event):
    # 23:00–23:59 Paris on the event's day is 22:00 UTC: still the event's local day.
    assert services.save_slot(event, slot_data("23:00", "23:59")).saved


@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://example.org/x", "example.org"])
def test_replay_and_slides_must_be_http(app, event, url):
    with pytest.raises(Refused) as caught:
        services.save_slot(event, slot_data(replay_url=url, slides_url=url))
    assert set(caught.value.errors) == {"replay_url", "slides_url"}
    assert caught.value.field == "replay_url" and caught.value.as_json()["errors"] == {
        name: caught.value.errors[name] for name in ("replay_url", "slides_url")}


def test_overlap_in_the_same_room_is_a_warning_until_confirmed(app, event):
    room = services.add_room(event, "Salle POLeN")
    first = services.save_slot(event, slot_data("14:00", "16:00", room_id=room.id)).slot
    result = services.save_slot(event, slot_data("15:00", "17:00", title="Tiers lieux",
                                                 room_id=room.id))
    assert not result.saved
    assert result.conflicts == [first]
    assert db.session.query(Slot).count() == 1
    confirmed = services.save_slot(event, slot_data("15:00", "17:00", title="Tiers lieux",
                                                    room_id=room.id), confirm_conflicts=True)
    assert confirmed.saved and confirmed.conflicts == [first]
    assert db.session.query(Slot).count() == 2


def test_parallel_slots_in_different_rooms_do_not_conflict(app, event):
    one, two = services.add_room(event, "Salle 1"), services.add_room(event, "Salle 2")
    assert services.save_slot(event, slot_data("14:00", "16:00", room_id=one.id)).saved
    result = services.save_slot(event, slot_data("14:00", "16:00", room_id=two.id))
    assert result.saved and result.conflicts == []


def test_editing_a_slot_does_not_conflict_with_itself(app, event):
    room = services.add_room(event, "Salle 1")
    slot = services.save_slot(event, slot_data("14:00", "16:00", room_id=room.id)).slot
    result = services.save_slot(event, slot_data("14:30", "16:00", room_id=room.id), slot=slot)
    assert result.saved and result.conflicts == []


def test_a_room_of_another_event_is_refused(app, event):
    other = services.create_event(event_data(slug="autre"))
    room = services.add_room(other, "Ailleurs")
    with pytest.raises(Refused) as caught:
        services.save_slot(event, slot_data(room_id=room.id))
    assert "room_id" in caught.value.errors


def test_changing_speakers_bumps_the_sequence(app, event):
    alice = services.save_speaker({"name": "Céline Teixido", "affiliation": "AGT"})
    bob = services.save_speaker({"name": "Erwan Kezzar"})
    slot = services.save_slot(event, slot_data(), speaker_ids=[alice.id]).slot
    start = slot.sequence
    services.save_slot(event, slot_data(), slot=slot, speaker_ids=[alice.id])
    assert slot.sequence == start  # nothing changed
    services.save_slot(event, slot_data(), slot=slot, speaker_ids=[bob.id, alice.id])
    assert slot.sequence == start + 1
    assert [s.name for s in slot.speakers] == ["Erwan Kezzar", "Céline Teixido"]
    services.save_slot(event, slot_data(title="Nouveau titre"), slot=slot,
                       speaker_ids=[bob.id, alice.id])
    assert slot.sequence == start + 2  # the mapper event bumps other field changes


def test_new_speakers_are_created_with_the_slot_only(app, event):
    room = services.add_room(event, "Salle 1")
    services.save_slot(event, slot_data(room_id=room.id))
    pending = services.save_slot(event, slot_data(room_id=room.id), speaker_ids=[],
                                 new_speakers=[{"name": "Yoann Duriaux", "affiliation": "Tilios"}])
    assert not pending.saved
    assert db.session.query(Speaker).count() == 0
    done = services.save_slot(event, slot_data(room_id=room.id), speaker_ids=[],
                              new_speakers=[{"name": "Yoann Duriaux", "affiliation": "Tilios"}],
                              confirm_conflicts=True)
    assert [s.slug for s in done.slot.speakers] == ["yoann-duriaux"]


def test_speaker_slugs_are_unique(app):
    first = services.save_speaker({"name": "Gaëlle Ottan"})
    second = services.save_speaker({"name": "Gaelle Ottan"})
    assert (first.slug, second.slug) == ("gaelle-ottan", "gaelle-ottan-2")
    services.save_speaker({"name": "Gaëlle Ottan", "bio": "Myexpertteam"}, first)
    assert first.slug == "gaelle-ottan"


def test_speaker_slug_won_by_a_simultaneous_request_is_tried_again(app, monkeypatch):
    """Both requests find "gaelle-ottan" free; the loser's insert retries, not 500."""
    first = services.save_speaker({"name": "Gaëlle Ottan"})
    real = services.unique_slug
    calls = []

    def stale_check(model, text, current_id=None):
        # The first check runs as if the other speaker were not committed yet.
        calls.append(text)
        return slugify(text) if len(calls) == 1 else real(model, text, current_id)

    monkeypatch.setattr(services, "unique_slug", stale_check)
    second = services.save_speaker({"name": "Gaelle Ottan", "affiliation": "AGT"})
    assert len(calls) == 2
    assert (first.slug, second.slug, second.affiliation) == ("gaelle-ottan", "gaelle-ottan-2",
                                                             "AGT")
    assert db.session.query(Speaker).count() == 2


def test_rooms_are_added_renamed_reordered_and_deleted(app, event):
    a = services.add_room(event, "Salle A")
    b = services.add_room(event, "Salle B")
    with pytest.raises(Refused) as caught:
        services.add_room(event, "Salle A")
    assert (caught.value.code, caught.value.field) == ("invalid_field", "name")
    services.move_room(b, -1)
    assert [r.name for r in event.rooms] == ["Salle B", "Salle A"]
    services.rename_room(a, "Amphi")
    slot = services.save_slot(event, slot_data(room_id=a.id)).slot
    services.delete_room(a)
    db.session.expire_all()
    assert [r.name for r in event.rooms] == ["Salle B"]
    assert db.session.get(Slot, slot.id).room_id is None


def test_timetable_puts_overlapping_slots_in_one_row_by_room_order(app, event):
    left, right = services.add_room(event, "Gauche"), services.add_room(event, "Droite")
    services.save_slot(event, slot_data("09:00", "09:20", title="Ouverture"))
    services.save_slot(event, slot_data("14:00", "16:00", title="Tiers lieux", room_id=right.id))
    services.save_slot(event, slot_data("14:00", "16:00", title="Solo", room_id=left.id))
    services.save_slot(event, slot_data("16:00", "16:30", title="Clôture"))
    [day] = services.timetable(event)
    assert [[s.title for s in row.slots] for row in day.rows] == [
        ["Ouverture"], ["Solo", "Tiers lieux"], ["Clôture"]]


def test_event_organisations_and_series(app, event):
    org = services.save_organisation({"name": "Lozère Développement", "url": "https://lozere.fr"})
    services.add_event_organisation(event, org.id, "organiser")
    with pytest.raises(Refused):
        services.add_event_organisation(event, org.id, "organiser")
    assert event.organisations_with("organiser") == [org]
    series = services.save_series({"slug": "tour-2014", "name": "Tour de France 2014"})
    services.add_stop(series, "Saint-Étienne")
    services.add_stop(series, "Mende", event.id)
    assert [(s.city, s.event) for s in services.find_series("tour-2014").stops] == [
        ("Saint-Étienne", None), ("Mende", event)]
    with pytest.raises(Refused):
        services.save_series({"slug": "Tour 2014", "name": "x"})


def test_slug_won_by_a_simultaneous_request_is_refused_not_a_crash(app, event, monkeypatch):
    """The check passes for both requests; the loser's write is refused with a message."""
    monkeypatch.setattr(services, "_check_slug", lambda errors, model, value, current_id: None)
    with pytest.raises(Refused) as caught:
        services.create_event(event_data(title="Autre"))
    assert "déjà utilisé" in caught.value.errors["slug"]
    assert db.session.query(Event).count() == 1


def test_room_name_won_by_a_simultaneous_request_is_refused(app, event, monkeypatch):
    services.add_room(event, "Salle A")
    monkeypatch.setattr(services, "_check_room_name", lambda event, name, current: name)
    with pytest.raises(Refused) as caught:
        services.add_room(event, "Salle A")
    assert "existe déjà" in caught.value.errors["name"]
    assert [room.name for room in db.session.get(Event, event.id).rooms] == ["Salle A"]
