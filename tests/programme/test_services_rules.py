"""The rules of programme/services.py stated one by one: every refusal with its field and
its exact message, the boundaries of each check, the orders lists come in, and what an
update keeps. Called without HTTP."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta

import pytest

from eventhub.errors import Refused
from eventhub.extensions import db
from eventhub.programme import services
from eventhub.programme.models import Event, Organisation, Room, Series, Slot, Speaker
from tests.conftest import recorded_statements

DAY = date(2030, 10, 28)
NEXT_DAY = date(2030, 10, 29)
WEB_ADDRESS = "Adresse web attendue, commençant par http:// ou https://."


def event_data(**overrides):
    """The fields of a valid two-day event, changed by ``overrides``."""
    data = {"slug": "aubrac", "title": "Rencontres de l'Aubrac", "start_date": DAY,
            "end_date": NEXT_DAY, "timezone": "Europe/Paris", "published": True}
    return {**data, **overrides}


def local(hhmm: str, day: date = DAY) -> datetime:
    """A naive wall-clock time, as the slot form gives it."""
    hour, minute = (int(part) for part in hhmm.split(":"))
    return datetime(day.year, day.month, day.day, hour, minute)


def slot_data(start="10:00", end="11:00", day=DAY, **overrides):
    """The fields of a valid slot on ``day``, changed by ``overrides``."""
    return {"kind": "conference", "title": "Fibre", "starts_at": local(start, day),
            "ends_at": local(end, day), **overrides}


def refusal(call, *args, **kwargs) -> Refused:
    """The refusal raised by ``call``; nothing may have been committed by it."""
    with pytest.raises(Refused) as caught:
        call(*args, **kwargs)
    db.session.rollback()
    return caught.value


@pytest.fixture
def event(app):
    """A published event over two days in Paris."""
    return services.create_event(event_data())


# --- Events -------------------------------------------------------------------------


def test_every_faulty_event_field_is_reported_at_once_with_its_message(app):
    refused = refusal(services.create_event, {
        "slug": "", "title": "  ", "start_date": None, "end_date": None,
        "timezone": "Mars/Olympus", "expected_participants": -1, "series_id": 999})
    assert refused.code == "invalid_field"
    assert refused.errors == {
        "slug": "Indiquez un identifiant d'adresse.",
        "title": "Indiquez un titre.",
        "start_date": "Indiquez la date de début.",
        "end_date": "Indiquez la date de fin.",
        "timezone": "Fuseau horaire inconnu.",
        "expected_participants": "Nombre positif attendu.",
        "series_id": "Série inconnue.",
    }
    assert db.session.query(Event).count() == 0


def test_event_slug_format_and_end_before_start_are_refused_with_their_message(app):
    refused = refusal(services.create_event, event_data(slug="Aubrac 2030", end_date=date(
        2030, 10, 27)))
    assert refused.errors == {
        "slug": "Uniquement des lettres minuscules sans accent, des chiffres et des tirets "
                "(par exemple « rencontres-2030 »).",
        "end_date": "La fin ne peut pas précéder le début.",
    }


def test_an_event_may_be_one_day_long_and_expect_nobody(app):
    event = services.create_event(event_data(end_date=DAY, expected_participants=0))
    assert (event.start_date, event.end_date, event.expected_participants) == (DAY, DAY, 0)


def test_event_texts_are_stripped_and_defaults_filled_in(app):
    series = services.save_series({"slug": "tour", "name": "Tour"})
    event = services.create_event({
        "slug": " aubrac ", "title": " Rencontres ", "theme": " Fibre ",
        "description": " Deux jours ", "audience": " Élus ", "venue_name": " Espace ",
        "venue_address": " 1 place ", "venue_commune": " Aumont ", "start_date": DAY,
        "end_date": DAY, "timezone": "", "series_id": series.id, "published": "on"})
    stored = db.session.get(Event, event.id)
    assert (stored.slug, stored.title, stored.theme, stored.description, stored.audience,
            stored.venue_name, stored.venue_address, stored.venue_commune) == (
        "aubrac", "Rencontres", "Fibre", "Deux jours", "Élus", "Espace", "1 place", "Aumont")
    assert (stored.timezone, stored.published, stored.series_id) == (
        "Europe/Paris", True, series.id)
    services.update_event(stored, event_data(series_id=0, published=""))
    assert (stored.series_id, stored.published) == (None, False)


def test_an_event_slug_taken_by_another_event_is_refused(app, event):
    other = services.create_event(event_data(slug="mende"))
    refused = refusal(services.update_event, other, event_data(slug="aubrac"))
    assert refused.errors == {"slug": "Cet identifiant est déjà utilisé."}
    services.update_event(event, event_data(title="Aubrac"))
    assert db.session.get(Event, event.id).title == "Aubrac"


def test_a_slug_won_by_a_simultaneous_update_is_refused_on_its_field(app, event, monkeypatch):
    other = services.create_event(event_data(slug="mende"))
    # Both checks found the slug free: the unique constraint decides.
    monkeypatch.setattr(services, "_check_slug", lambda errors, model, value, current_id: None)
    refused = refusal(services.update_event, other, event_data(slug="aubrac"))
    assert (refused.code, refused.errors) == (
        "invalid_field", {"slug": "Cet identifiant est déjà utilisé."})


# --- Reading ------------------------------------------------------------------------


def test_public_listing_splits_published_events_around_today(app, make_event):
    today = date(2031, 5, 14)
    for slug, start, end in [
        ("apres-demain", date(2031, 5, 16), date(2031, 5, 16)),
        ("demain", date(2031, 5, 15), date(2031, 5, 15)),
        ("finit-aujourdhui", date(2031, 5, 13), date(2031, 5, 14)),
        ("commence-aujourdhui", date(2031, 5, 14), date(2031, 5, 15)),
        ("hier", date(2031, 5, 13), date(2031, 5, 13)),
        ("l-an-dernier", date(2030, 5, 13), date(2030, 5, 13)),
        ("avant-hier", date(2031, 5, 12), date(2031, 5, 12)),
    ]:
        make_event(slug=slug, day=start, end_date=end)
    make_event(slug="brouillon", day=today, published=False)
    db.session.add_all([Series(slug="z", name="Zone blanche"), Series(slug="a", name="Aubrac")])
    db.session.commit()

    listing = services.public_listing(today)
    assert [e.slug for e in listing.today] == ["finit-aujourdhui", "commence-aujourdhui"]
    assert [e.slug for e in listing.upcoming] == ["demain", "apres-demain"]
    assert [e.slug for e in listing.past] == ["hier", "avant-hier", "l-an-dernier"]
    assert [s.name for s in listing.series] == ["Aubrac", "Zone blanche"]


def test_public_listing_s_today_is_the_day_in_paris(app, make_event, monkeypatch):
    make_event(slug="jeudi", day=date(2031, 5, 15))
    make_event(slug="mercredi", day=date(2031, 5, 14))
    # 22:30 UTC on Wednesday is already half past midnight on Thursday in Paris (UTC+2).
    monkeypatch.setattr(services, "utcnow", lambda: datetime(2031, 5, 14, 22, 30, tzinfo=UTC))
    listing = services.public_listing()
    assert ([e.slug for e in listing.today], [e.slug for e in listing.past]) == (
        ["jeudi"], ["mercredi"])


def test_a_room_or_slot_is_found_only_in_its_own_event(app, make_event):
    aubrac = make_event(slug="aubrac", slots=[
        {"start": "09:00", "end": "10:00", "title": "Accueil", "room": "Grange"}])
    mende = make_event(slug="mende")
    room, slot = aubrac.rooms[0], aubrac.slots[0]
    assert services.part_of_event(Slot, slot.id, aubrac.id) is slot
    for model, item_id, event_id in [(Room, room.id, mende.id), (Slot, slot.id, mende.id),
                                     (Slot, slot.id + 7, aubrac.id)]:
        refused = refusal(services.part_of_event, model, item_id, event_id)
        assert (refused.code, refused.message) == (
            "not_found", "Cet élément n'existe pas dans cet événement.")


def test_a_draft_is_found_only_when_drafts_are_asked_for(app, make_event):
    make_event(slug="brouillon", published=False)
    refused = refusal(services.event_by_slug, "brouillon")
    assert (refused.code, refused.message) == ("not_found", "Événement inconnu.")
    assert services.event_by_slug("brouillon", True).slug == "brouillon"
    assert services.find_event("brouillon") is None
    assert services.find_event("ailleurs", True) is None


def test_event_by_slug_loads_what_it_is_asked_to(app, event):
    organisation = services.save_organisation({"name": "Lozère Développement"})
    services.add_event_organisation(event, organisation.id, "organiser")
    db.session.expire_all()
    found = services.event_by_slug("aubrac", False, *services.with_organisations())
    with recorded_statements("SELECT") as selects:
        assert [link.organisation.name for link in found.organisations] == [
            "Lozère Développement"]
    assert selects == []


def test_speaker_slots_are_the_speakers_latest_first_drafts_on_request(app, make_event):
    ana = services.save_speaker({"name": "Ana"})
    leo = services.save_speaker({"name": "Léo"})
    aubrac = make_event(slug="aubrac", slots=[
        {"start": "09:00", "end": "10:00", "title": "Matin", "room": "Grange"},
        {"start": "14:00", "end": "15:00", "title": "Après-midi"},
        {"start": "16:00", "end": "17:00", "title": "Sans Ana"},
    ])
    draft = make_event(slug="brouillon", day=date(2030, 11, 5), published=False,
                       slots=[{"start": "09:00", "end": "10:00", "title": "Brouillon"}])
    for slot in (*aubrac.slots[:2], draft.slots[0]):
        services.save_slot(slot.event, {**slot_data(), "title": slot.title,
                                        "room_id": slot.room_id,
                                        "starts_at": services.to_local(slot.starts_at,
                                                                       "Europe/Paris"),
                                        "ends_at": services.to_local(slot.ends_at,
                                                                     "Europe/Paris")},
                           slot=slot, speaker_ids=[ana.id])
    services.save_slot(aubrac, slot_data("16:00", "17:00", title="Sans Ana"),
                       slot=aubrac.slots[2], speaker_ids=[leo.id])
    db.session.expire_all()

    assert [s.title for s in services.speaker_slots(ana)] == ["Après-midi", "Matin"]
    slots = services.speaker_slots(ana, include_drafts=True)
    assert [s.title for s in slots] == ["Brouillon", "Après-midi", "Matin"]
    # Events and rooms come with the slots: listing them costs no further query.
    with recorded_statements("SELECT") as selects:
        assert [(s.event.slug, s.room and s.room.name) for s in slots] == [
            ("brouillon", None), ("aubrac", None), ("aubrac", "Grange")]
    assert selects == []


def test_timetable_days_follow_the_events_zone_and_rows_put_roomless_slots_first(app):
    event = services.create_event(event_data(timezone="America/Montreal"))
    left, right = services.add_room(event, "Gauche"), services.add_room(event, "Droite")
    # Entered out of order: the timetable orders them.
    services.save_slot(event, slot_data("21:00", "22:00", day=NEXT_DAY, title="Veillée"))
    services.save_slot(event, slot_data("14:00", "15:00", title="Droite", room_id=right.id))
    services.save_slot(event, slot_data("14:00", "15:00", title="Gauche", room_id=left.id))
    services.save_slot(event, slot_data("14:00", "15:00", title="Partout"))
    # 21:00 in Montréal is already the next day in UTC: still the 28th here.
    services.save_slot(event, slot_data("21:00", "21:30", title="Soirée"))

    days = services.timetable(event)
    assert [day.day for day in days] == [DAY, NEXT_DAY]
    assert [[s.title for s in row.slots] for row in days[0].rows] == [
        ["Partout", "Gauche", "Droite"], ["Soirée"]]
    assert [[s.title for s in row.slots] for row in days[1].rows] == [["Veillée"]]


def test_a_timetable_row_grows_while_slots_overlap_its_end(app, event):
    services.save_slot(event, slot_data("09:00", "10:00", title="A"))
    services.save_slot(event, slot_data("09:30", "11:00", title="B"))
    # Overlaps B but not A: the same row, which now ends at 11:30.
    services.save_slot(event, slot_data("10:30", "11:30", title="C"))
    services.save_slot(event, slot_data("11:30", "12:00", title="D"))
    [day, *_] = services.timetable(event)
    assert [([s.title for s in row.slots], row.ends_at) for row in day.rows] == [
        (["A", "B", "C"], datetime(2030, 10, 28, 10, 30, tzinfo=UTC)),
        (["D"], datetime(2030, 10, 28, 11, 0, tzinfo=UTC))]


# --- Rooms --------------------------------------------------------------------------


def test_rooms_are_numbered_in_the_order_they_are_added(app, event):
    rooms = [services.add_room(event, name) for name in ("A", " B ", "C")]
    assert [(room.name, room.position) for room in rooms] == [("A", 0), ("B", 1), ("C", 2)]


def test_a_room_name_must_be_given_and_unique_within_the_event(app, event):
    services.add_room(event, "Salle A")
    refused = refusal(services.add_room, event, "  ")
    assert (refused.code, refused.errors) == (
        "invalid_field", {"name": "Indiquez le nom de la salle."})
    refused = refusal(services.add_room, event, " Salle A ")
    assert (refused.code, refused.errors) == (
        "invalid_field", {"name": "Cette salle existe déjà pour cet événement."})


def test_a_room_keeps_its_name_when_renamed_and_takes_its_capacity(app, event):
    room = services.add_room(event, "Salle A", capacity=30)
    other = services.add_room(event, "Salle B")
    assert (room.capacity, other.capacity) == (30, None)
    services.rename_room(room, "Salle A", capacity=40)
    assert (room.name, room.capacity) == ("Salle A", 40)
    refused = refusal(services.rename_room, other, "Salle A")
    assert refused.errors == {"name": "Cette salle existe déjà pour cet événement."}


def test_a_room_name_won_by_a_simultaneous_rename_is_refused_on_its_field(
        app, event, monkeypatch):
    services.add_room(event, "Salle A")
    other = services.add_room(event, "Salle B")
    monkeypatch.setattr(services, "_check_room_name", lambda event, name, current: name)
    refused = refusal(services.rename_room, other, "Salle A")
    assert (refused.code, refused.errors) == (
        "invalid_field", {"name": "Cette salle existe déjà pour cet événement."})


def test_a_room_cannot_move_past_either_end(app, event):
    first, _middle, last = (services.add_room(event, name) for name in ("A", "B", "C"))
    services.move_room(first, -1)
    services.move_room(last, +1)
    assert [room.name for room in event.rooms] == ["A", "B", "C"]
    services.move_room(first, +1)
    assert [(room.name, room.position) for room in event.rooms] == [
        ("B", 0), ("A", 1), ("C", 2)]


# --- Slots --------------------------------------------------------------------------


def test_every_faulty_slot_field_is_reported_at_once_with_its_message(app, event):
    other = services.create_event(event_data(slug="mende"))
    elsewhere = services.add_room(other, "Ailleurs")
    refused = refusal(services.save_slot, event, {
        "kind": "panel", "title": " ", "starts_at": None, "ends_at": None,
        "room_id": elsewhere.id, "rotation": 0, "capacity": 0,
        "replay_url": "ftp://example.org/x", "slides_url": "javascript:alert(1)"})
    assert refused.code == "invalid_field"
    assert refused.errors == {
        "kind": "Type de créneau inconnu.",
        "title": "Indiquez un titre.",
        "starts_at": "Indiquez la date et l'heure.",
        "ends_at": "Indiquez la date et l'heure.",
        "room_id": "Cette salle n'appartient pas à l'événement.",
        "rotation": "Nombre positif attendu.",
        "capacity": "Nombre positif attendu.",
        "replay_url": WEB_ADDRESS,
        "slides_url": WEB_ADDRESS,
    }
    assert db.session.query(Slot).count() == 0


@pytest.fixture
def server_in_new_york(monkeypatch):
    """The process's own zone set to New York (UTC-4 in October), then given back."""
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_slot_times_are_stored_as_utc_whatever_the_servers_zone(app, server_in_new_york):
    event = services.create_event(event_data())
    slot = services.save_slot(event, slot_data("10:00", "11:30")).slot
    # 10:00 in Paris (UTC+1 on 28 October 2030) is 09:00 UTC, not 05:00 in New York.
    assert [(t.utcoffset(), t.hour, t.minute) for t in (slot.starts_at, slot.ends_at)] == [
        (timedelta(0), 9, 0), (timedelta(0), 10, 30)]


def test_a_time_the_clocks_repeat_is_taken_at_its_first_occurrence(app):
    # 2030-10-27: Paris goes back from 03:00 to 02:00, so 02:30 happens twice.
    autumn = services.create_event(event_data(start_date=date(2030, 10, 27),
                                              end_date=date(2030, 10, 27)))
    slot = services.save_slot(autumn, slot_data("02:30", "03:30", day=date(2030, 10, 27))).slot
    assert (slot.starts_at, slot.ends_at) == (datetime(2030, 10, 27, 0, 30, tzinfo=UTC),
                                              datetime(2030, 10, 27, 2, 30, tzinfo=UTC))


def test_slot_times_are_refused_with_the_reason_they_cannot_be_stored(app):
    spring = services.create_event(event_data(start_date=date(2030, 3, 31),
                                              end_date=date(2030, 3, 31)))
    refused = refusal(services.save_slot, spring, slot_data("02:30", "04:00",
                                                            day=date(2030, 3, 31)))
    assert refused.errors == {"starts_at": "Cette heure n'existe pas dans le fuseau "
                                           "Europe/Paris (changement d'heure)."}
    far = services.create_event(event_data(slug="loin", timezone="America/Montreal"))
    refused = refusal(services.save_slot, far, slot_data(
        ends_at=datetime(9999, 12, 31, 23, 0)))
    assert refused.errors == {"ends_at": "Date hors des limites du calendrier."}


def test_a_slot_must_end_after_it_starts_within_the_event_dates(app, event):
    refused = refusal(services.save_slot, event, slot_data("10:00", "10:00"))
    assert refused.errors == {"ends_at": "Le créneau se termine avant de commencer."}
    refused = refusal(services.save_slot, event, slot_data(day=date(2030, 10, 27)))
    assert refused.errors == {"starts_at": "Le créneau est en dehors des dates de "
                                           "l'événement (2030-10-28 – 2030-10-29)."}
    # The first and the last day both belong to the event, as local days: 00:30 in Paris
    # on the first day is still the day before in UTC.
    assert services.save_slot(event, slot_data("00:30", "01:00")).saved
    assert services.save_slot(event, slot_data("17:00", "18:00", day=NEXT_DAY)).saved


def test_slot_values_are_stripped_and_one_is_the_least_rotation_and_capacity(app, event):
    slot = services.save_slot(event, slot_data(
        title=" Fibre ", abstract=" Ce qui change ", replay_url=" https://example.org/r ",
        slides_url=" https://example.org/s ", rotation=1, capacity=1,
        remote_speaker="on")).slot
    stored = db.session.get(Slot, slot.id)
    assert (stored.title, stored.abstract, stored.replay_url, stored.slides_url) == (
        "Fibre", "Ce qui change", "https://example.org/r", "https://example.org/s")
    assert (stored.rotation, stored.capacity, stored.remote_speaker) == (1, 1, True)


def test_slots_that_only_touch_do_not_conflict_and_conflicts_come_in_time_order(app, event):
    room = services.add_room(event, "Salle")
    services.save_slot(event, slot_data("09:00", "10:00", title="Avant", room_id=room.id))
    services.save_slot(event, slot_data("12:00", "13:00", title="Après", room_id=room.id))
    assert services.save_slot(event, slot_data("10:00", "12:00", room_id=room.id)).saved
    result = services.save_slot(event, slot_data("09:30", "12:30", title="Long",
                                                 room_id=room.id))
    assert result.saved is False
    assert [slot.title for slot in result.conflicts] == ["Avant", "Fibre", "Après"]
    # Moving an existing slot onto another answers with that slot, unchanged until confirmed.
    before = services.room_conflicts(event, room.id, datetime(2030, 10, 28, 8, tzinfo=UTC),
                                     datetime(2030, 10, 28, 9, tzinfo=UTC))
    [early] = before
    moved = services.save_slot(event, slot_data("12:30", "13:30", title="Avant",
                                                room_id=room.id), slot=early)
    assert (moved.slot, moved.saved, [s.title for s in moved.conflicts]) == (
        early, False, ["Après"])


def test_a_slot_of_another_event_does_not_conflict(app, event, make_event):
    room = services.add_room(event, "Salle")
    other = make_event(slug="mende")
    # Bad data (a slot pointing at another event's room) still stays in its own event.
    db.session.add(Slot(event=other, room=room, title="Intrus",
                        starts_at=datetime(2030, 10, 28, 9, tzinfo=UTC),
                        ends_at=datetime(2030, 10, 28, 10, tzinfo=UTC)))
    db.session.commit()
    assert services.room_conflicts(event, room.id, datetime(2030, 10, 28, 9, tzinfo=UTC),
                                   datetime(2030, 10, 28, 10, tzinfo=UTC)) == []


def test_an_unknown_speaker_is_refused(app, event):
    refused = refusal(services.save_slot, event, slot_data(), speaker_ids=[999])
    assert (refused.code, refused.errors) == ("invalid_field",
                                              {"speakers": "Intervenant inconnu."})


def test_saving_a_slot_without_naming_speakers_keeps_them(app, event):
    ana = services.save_speaker({"name": "Ana"})
    slot = services.save_slot(event, slot_data(), speaker_ids=[ana.id, ana.id]).slot
    # A new slot starts at SEQUENCE 0, whatever its speakers.
    assert (slot.sequence, [s.name for s in slot.speakers]) == (0, ["Ana"])
    old = datetime(2020, 1, 1, tzinfo=UTC)
    slot.updated_at = old
    db.session.commit()
    services.save_slot(event, slot_data(title="Fibre optique"), slot=slot)
    assert [s.name for s in slot.speakers] == ["Ana"]
    assert slot.updated_at > old
    # New speakers without ``speaker_ids`` join the slot's current ones.
    services.save_slot(event, slot_data(), slot=slot, new_speakers=[{"name": "Léo"}])
    assert [s.name for s in slot.speakers] == ["Ana", "Léo"]


def test_a_new_slot_may_come_with_new_speakers_only(app, event):
    slot = services.save_slot(event, slot_data(), new_speakers=[{"name": " Zoé "}]).slot
    assert [(s.name, s.slug) for s in slot.speakers] == [("Zoé", "zoe")]


def test_reordering_speakers_keeps_their_links_and_renumbers_them(app, event):
    ana = services.save_speaker({"name": "Ana"})
    leo = services.save_speaker({"name": "Léo"})
    slot = services.save_slot(event, slot_data(), speaker_ids=[ana.id, leo.id]).slot
    links = {link.speaker_id: link.id for link in slot.speaker_links}
    services.save_slot(event, slot_data(), slot=slot, speaker_ids=[leo.id, ana.id])
    db.session.expire_all()
    stored = db.session.get(Slot, slot.id)
    assert [(link.speaker_id, link.id, link.position) for link in stored.speaker_links] == [
        (leo.id, links[leo.id], 0), (ana.id, links[ana.id], 1)]


# --- Speakers, organisations, series -------------------------------------------------


def test_a_speaker_needs_a_name_and_a_web_address(app):
    refused = refusal(services.save_speaker, {"name": " ", "url": "ftp://example.org"})
    assert refused.code == "invalid_field"
    assert refused.errors == {"name": "Indiquez le nom.", "url": WEB_ADDRESS}
    assert db.session.query(Speaker).count() == 0


def test_a_speakers_fields_are_stripped_and_updated(app):
    speaker = services.save_speaker({"name": " Ana ", "affiliation": " MDECS ", "bio": " Bio ",
                                     "url": " https://example.org "})
    assert (speaker.slug, speaker.name, speaker.affiliation, speaker.bio, speaker.url) == (
        "ana", "Ana", "MDECS", "Bio", "https://example.org")
    services.save_speaker({"name": "Ana Martin", "affiliation": "Tilios"}, speaker)
    stored = db.session.get(Speaker, speaker.id)
    assert (stored.slug, stored.name, stored.affiliation, stored.bio) == (
        "ana", "Ana Martin", "Tilios", "")


def test_an_organisation_needs_a_unique_name_and_a_web_address(app):
    first = services.save_organisation({"name": " Tilios ", "short_name": " T ",
                                        "url": " https://tilios.fr ",
                                        "description": " Tiers-lieux "})
    assert (first.name, first.short_name, first.url, first.description) == (
        "Tilios", "T", "https://tilios.fr", "Tiers-lieux")
    refused = refusal(services.save_organisation, {"name": "", "url": "tilios.fr"})
    assert refused.errors == {"name": "Indiquez le nom.", "url": WEB_ADDRESS}
    refused = refusal(services.save_organisation, {"name": "Tilios"})
    assert (refused.code, refused.errors) == (
        "invalid_field", {"name": "Une organisation porte déjà ce nom."})
    second = services.save_organisation({"name": "MDECS"})
    refused = refusal(services.save_organisation, {"name": "Tilios"}, second)
    assert refused.errors == {"name": "Une organisation porte déjà ce nom."}
    services.save_organisation({"name": "Tilios", "short_name": "TL"}, first)
    assert db.session.get(Organisation, first.id).short_name == "TL"


def test_an_organisation_name_won_by_a_simultaneous_request_is_refused(app, monkeypatch):
    services.save_organisation({"name": "Tilios"})
    # The check finds the name free, as it would before the other request commits.
    monkeypatch.setattr(db.session, "scalar", lambda *args, **kwargs: None)
    refused = refusal(services.save_organisation, {"name": "Tilios"})
    assert (refused.code, refused.errors) == (
        "invalid_field", {"name": "Une organisation porte déjà ce nom."})


def test_organisations_are_named_once_per_role_in_the_order_added(app, event):
    tilios = services.save_organisation({"name": "Tilios"})
    mdecs = services.save_organisation({"name": "MDECS"})
    for organisation_id in (None, 999):
        refused = refusal(services.add_event_organisation, event, organisation_id, "organiser")
        assert (refused.code, refused.errors) == (
            "invalid_field", {"organisation_id": "Organisation inconnue."})
    refused = refusal(services.add_event_organisation, event, tilios.id, "sponsor")
    assert (refused.code, refused.errors) == ("invalid_field", {"role": "Rôle inconnu."})
    services.add_event_organisation(event, tilios.id, "organiser")
    services.add_event_organisation(event, tilios.id, "supporter")
    services.add_event_organisation(event, mdecs.id, "organiser")
    refused = refusal(services.add_event_organisation, event, tilios.id, "organiser")
    assert (refused.code, refused.errors) == (
        "invalid_field", {"organisation_id": "Déjà associée à l'événement avec ce rôle."})
    assert [(link.organisation.name, link.role, link.position)
            for link in event.organisations] == [
        ("Tilios", "organiser", 0), ("Tilios", "supporter", 1), ("MDECS", "organiser", 2)]


def test_a_series_needs_a_name_and_keeps_its_own_slug(app):
    refused = refusal(services.save_series, {"slug": "tour", "name": " "})
    assert (refused.code, refused.errors) == ("invalid_field", {"name": "Indiquez le nom."})
    series = services.save_series({"slug": " tour ", "name": " Tour ", "description": " D "})
    assert (series.slug, series.name, series.description) == ("tour", "Tour", "D")
    services.save_series({"slug": "tour", "name": "Tour 2030"}, series)
    assert db.session.get(Series, series.id).name == "Tour 2030"
    refused = refusal(services.save_series, {"slug": "tour", "name": "Autre"})
    assert refused.errors == {"slug": "Cet identifiant est déjà utilisé."}


def test_a_series_slug_won_by_a_simultaneous_request_is_refused(app, monkeypatch):
    services.save_series({"slug": "tour", "name": "Tour"})
    monkeypatch.setattr(services, "_check_slug", lambda errors, model, value, current_id: None)
    refused = refusal(services.save_series, {"slug": "tour", "name": "Autre"})
    assert (refused.code, refused.errors) == (
        "invalid_field", {"slug": "Cet identifiant est déjà utilisé."})


def test_stops_need_a_city_and_a_known_event_and_come_in_order(app, event):
    series = services.save_series({"slug": "tour", "name": "Tour"})
    refused = refusal(services.add_stop, series, " ")
    assert (refused.code, refused.errors) == ("invalid_field", {"city": "Indiquez la ville."})
    refused = refusal(services.add_stop, series, "Mende", 999)
    assert (refused.code, refused.errors) == ("invalid_field",
                                              {"event_id": "Événement inconnu."})
    stops = [services.add_stop(series, " Mende ", event.id), services.add_stop(series, "Rodez", 0)]
    assert [(s.city, s.event_id, s.position) for s in stops] == [
        ("Mende", event.id, 0), ("Rodez", None, 1)]


# --- Lists and deletions ------------------------------------------------------------


def test_lists_come_by_name_and_events_newest_first(app, make_event):
    for name in ("Zoé", "Ana"):
        services.save_speaker({"name": name})
        services.save_organisation({"name": f"Structure {name}"})
        services.save_series({"slug": f"tour-{len(name)}-{name[0].lower()}", "name": name})
    make_event(slug="ancien", day=date(2029, 5, 1))
    make_event(slug="brouillon", day=date(2031, 5, 1), published=False)
    make_event(slug="recent", day=date(2030, 5, 1))
    assert [s.name for s in services.list_speakers()] == ["Ana", "Zoé"]
    assert [o.name for o in services.list_organisations()] == ["Structure Ana", "Structure Zoé"]
    assert [s.name for s in services.list_series()] == ["Ana", "Zoé"]
    assert [e.slug for e in services.list_events()] == ["brouillon", "recent", "ancien"]


def test_a_slot_is_found_only_within_its_event(app, make_event):
    aubrac = make_event(slug="aubrac", slots=[{"start": "09:00", "end": "10:00", "title": "A"}])
    mende = make_event(slug="mende", slots=[{"start": "09:00", "end": "10:00", "title": "M"}])
    slot = aubrac.slots[0]
    assert services.find_slot(aubrac, slot.id) is slot
    assert services.find_slot(mende, slot.id) is None


def test_deleting_slots_stops_and_organisation_links(app, event):
    slot = services.save_slot(event, slot_data()).slot
    series = services.save_series({"slug": "tour", "name": "Tour"})
    stop = services.add_stop(series, "Mende", event.id)
    services.add_event_organisation(event, services.save_organisation({"name": "Tilios"}).id,
                                    "organiser")
    services.delete_slot(slot)
    services.delete_stop(stop)
    services.remove_event_organisation(event.organisations[0])
    db.session.expire_all()
    found = services.find_series("tour")
    assert (db.session.query(Slot).count(), found.stops, event.organisations) == (0, [], [])


def test_a_taken_slug_or_name_is_reported_with_the_other_faults_before_any_write(app, event):
    # The checks find what is taken, so the form shows it with everything else at once
    # (the unique constraint alone would only be reached once the rest is right).
    refused = refusal(services.create_event, event_data(title=""))
    assert refused.errors == {"slug": "Cet identifiant est déjà utilisé.",
                              "title": "Indiquez un titre."}
    services.save_series({"slug": "tour", "name": "Tour"})
    refused = refusal(services.save_series, {"slug": "tour", "name": ""})
    assert refused.errors == {"slug": "Cet identifiant est déjà utilisé.",
                              "name": "Indiquez le nom."}
    services.save_organisation({"name": "Tilios"})
    refused = refusal(services.save_organisation, {"name": "Tilios", "url": "tilios.fr"})
    assert refused.errors == {"name": "Une organisation porte déjà ce nom.",
                              "url": WEB_ADDRESS}
