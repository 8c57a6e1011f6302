"""Registration rules called directly (no HTTP), at their edges: the closing instant, the
length limits, what each refusal says, which waiting person moves up, and which
workshops count against which places."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from eventhub.errors import Refused
from eventhub.extensions import db
from eventhub.programme.models import Slot
from eventhub.registration import services, sockets, tickets
from tests.registration.conftest import slot_id

DAY = date(2030, 10, 28)
# The last slot ends at 18:00 in Paris, 17:00 UTC.
SLOTS = [{"start": "09:00", "end": "10:00", "title": "Accueil"},
         {"start": "16:00", "end": "18:00", "title": "Table ronde"}]
EVENT_END = datetime(2030, 10, 28, 17, 0, tzinfo=UTC)


@pytest.fixture
def clock(monkeypatch):
    """``clock(at)``: the registration rules read ``at`` as now."""

    def set_now(at: datetime) -> None:
        monkeypatch.setattr(services, "utcnow", lambda: at)

    return set_now


@pytest.fixture
def published(monkeypatch):
    """The events whose live figures were sent, in order."""
    sent: list[int] = []
    monkeypatch.setattr(sockets, "publish_stats", sent.append)
    return sent


def refusal(call, *args, **kwargs) -> Refused:
    with pytest.raises(Refused) as caught:
        call(*args, **kwargs)
    return caught.value


# --- Opening and closing ----------------------------------------------------------------


def test_registration_closes_at_the_event_end_itself(open_event, clock):
    event = open_event(slots=SLOTS, day=DAY)
    clock(EVENT_END - timedelta(microseconds=1))
    assert services.registration_open(event) is True
    clock(EVENT_END)
    assert services.registration_open(event) is False
    refused = refusal(services.register, event, "Ana", "ana@example.org", "onsite")
    assert (refused.code, refused.message) == ("registration_closed",
                                               "Les inscriptions sont fermées.")


def test_an_organiser_closing_date_replaces_the_event_end(open_event, clock):
    event = open_event(slots=SLOTS, day=DAY)
    closes = EVENT_END - timedelta(hours=5)
    services.save_settings(event, 3, None, None, closes)
    clock(closes - timedelta(microseconds=1))
    assert services.registration_open(event) is True
    clock(closes)
    assert services.registration_open(event) is False


def test_an_event_without_settings_is_closed(make_event):
    event = make_event()
    assert services.registration_open(event) is False
    refused = refusal(services.register, event, "Ana", "ana@example.org", "onsite")
    assert (refused.code, refused.message) == ("registration_closed",
                                               "Les inscriptions ne sont pas ouvertes.")


def test_an_unpublished_event_takes_no_registration(open_event):
    event = open_event(published=False)
    refused = refusal(services.register, event, "Ana", "ana@example.org", "onsite")
    assert refused.code == "registration_closed"
    assert services.search(event) == []


def test_an_event_without_slots_ends_at_midnight_after_its_last_day_in_its_zone(make_event):
    event = make_event(slug="sans-programme", day=date(2030, 1, 6), end_date=date(2030, 1, 7),
                       timezone="Europe/Paris")
    # Midnight in Paris in winter (UTC+1) is 23:00 UTC the day before.
    assert services.event_end(event) == datetime(2030, 1, 7, 23, 0, tzinfo=UTC)


def test_the_past_event_warning_at_the_edges(open_event, clock):
    event = open_event(slots=SLOTS, day=DAY)
    settings = services.settings_for(event)
    clock(EVENT_END - timedelta(microseconds=1))
    assert services.past_event_warning(event, settings) is None
    clock(EVENT_END)
    closed = ("Cet événement est terminé : les inscriptions restent fermées. Pour les "
              "rouvrir, fixez une date de clôture à venir.")
    assert services.past_event_warning(event, settings) == closed
    # A closing date reached at this very instant keeps registration closed.
    settings = services.save_settings(event, 3, None, None, EVENT_END)
    assert services.past_event_warning(event, settings) == closed
    settings = services.save_settings(event, 3, None, None, EVENT_END + timedelta(seconds=1))
    assert services.past_event_warning(event, settings) == (
        "Cet événement est terminé, mais les inscriptions restent ouvertes jusqu'à la "
        "date de clôture choisie.")


def test_saving_settings_changes_the_same_row_and_sends_the_figures(open_event, published):
    event = open_event(capacity=3)
    first = services.settings_for(event)
    published.clear()
    opens, closes = EVENT_END - timedelta(days=9), EVENT_END - timedelta(days=2)
    saved = services.save_settings(event, 7, 2, opens, closes)
    db.session.expire_all()
    again = services.settings_for(event)
    assert again.id == first.id == saved.id
    assert (again.onsite_capacity, again.remote_capacity, again.opens_at, again.closes_at) == (
        7, 2, opens, closes)
    assert published == [event.id]


def test_places_are_counted_per_event(open_event):
    full = open_event(capacity=2)
    for n in range(2):
        services.register(full, f"P{n}", f"p{n}@example.org", "onsite")
    other = open_event(slug="autre", capacity=1)
    # The two confirmed elsewhere take none of this event's one place.
    assert services.register(other, "Ana", "ana@example.org", "onsite").status == "confirmed"
    assert services.register(other, "Bob", "bob@example.org", "onsite").status == "waitlisted"


# --- The fields of a registration -------------------------------------------------------


def test_a_name_of_200_characters_is_the_longest_taken(open_event):
    event = open_event()
    longest = "A" * 200
    assert services.register(event, f"  {longest} ", "a@example.org", "onsite").name == longest
    refused = refusal(services.register, event, "B" * 201, "b@example.org", "onsite")
    assert (refused.code, refused.field, refused.message) == (
        "invalid_field", "name", "Indiquez votre nom (200 caractères au plus).")


@pytest.mark.parametrize("name", [None, 42, "   "])
def test_a_missing_name_is_refused(open_event, name):
    refused = refusal(services.register, open_event(), name, "a@example.org", "onsite")
    assert (refused.code, refused.field) == ("invalid_field", "name")


def test_an_unknown_attendance_is_refused_by_name(open_event):
    refused = refusal(services.register, open_event(), "Ana", "a@example.org", "both")
    assert (refused.field, refused.message) == (
        "attendance", "Choisissez « sur place » ou « à distance ».")


def test_the_organisation_is_trimmed_and_cut_to_200_characters(open_event):
    event = open_event()
    long = services.register(event, "Ana", "a@example.org", "onsite", " " + "M" * 250)
    assert long.organisation == "M" * 200
    nothing = services.register(event, "Bob", "b@example.org", "onsite", ["MDECS"])
    assert nothing.organisation == ""


def test_the_email_is_stored_normalised(open_event):
    ana = services.register(open_event(), "Ana", "  Ana@Example.ORG ", "onsite")
    assert services.find_by_email(ana.event, "ana@example.org").id == ana.id


def test_a_duplicate_email_is_refused_with_its_reason(open_event):
    event = open_event()
    services.register(event, "Ana", "ana@example.org", "onsite")
    refused = refusal(services.register, event, "Ana", "ana@example.org", "onsite")
    assert refused.message == ("Cette adresse est déjà inscrite : nous pouvons vous renvoyer "
                               "votre billet.")


def test_a_registration_holds_its_own_ticket_and_sends_the_figures(open_event, published):
    event = open_event()
    published.clear()
    ana = services.register(event, "Ana", "ana@example.org", "onsite")
    bob = services.register(event, "Bob", "bob@example.org", "remote")
    assert tickets.is_authentic(ana.code) and tickets.is_authentic(bob.code)
    assert len({ana.code, bob.code}) == 2 and len({ana.token, bob.token}) == 2
    assert (ana.email, ana.attendance, bob.attendance) == ("ana@example.org", "onsite",
                                                           "remote")
    assert published == [event.id, event.id]


def test_a_short_code_taken_in_the_event_is_drawn_again(open_event, monkeypatch):
    event, other = open_event(), open_event(slug="autre")
    draws = iter(["AAAA2222", "AAAA2222", "BBBB3333", "AAAA2222"])
    monkeypatch.setattr(tickets, "new_short_code", lambda: next(draws))
    first = services.register(event, "Ana", "ana@example.org", "onsite")
    second = services.register(event, "Bob", "bob@example.org", "onsite")
    # Another event's ticket may hold the same short code: the door asks for its own event.
    elsewhere = services.register(other, "Cléo", "cleo@example.org", "onsite")
    assert (first.short_code, second.short_code, elsewhere.short_code) == (
        "AAAA2222", "BBBB3333", "AAAA2222")


# --- Reading registrations --------------------------------------------------------------


def test_a_registration_id_of_another_event_opens_nothing(open_event):
    event, other = open_event(), open_event(slug="autre")
    ana = services.register(event, "Ana", "ana@example.org", "onsite")
    assert services.registration_of(event, ana.id).id == ana.id
    assert services.registration_of(other, ana.id) is None
    assert services.registration_of(event, ana.id + 1000) is None


def test_a_ticket_page_secret_opens_its_own_registration_only(open_event):
    event = open_event()
    ana = services.register(event, "Ana", "ana@example.org", "onsite")
    bob = services.register(event, "Bob", "bob@example.org", "onsite")
    assert services.by_token(bob.token).id == bob.id
    assert services.by_token(ana.token).id == ana.id
    assert services.by_token("inconnu") is None


def test_search_trims_escapes_and_sorts_by_name_then_registration(open_event):
    event = open_event()
    later_zoe = services.register(event, "Zoé", "zoe1@example.org", "onsite", "a_b")
    services.register(event, "Ana", "ana@example.org", "onsite", "axb")
    second_zoe = services.register(event, "Zoé", "zoe2@example.org", "onsite", "c\\d%o")
    assert [r.email for r in services.search(event, "  zoé ")] == [
        later_zoe.email, second_zoe.email]
    # Wildcards and the escape character typed in the box are searched as they are.
    assert [r.email for r in services.search(event, "a_b")] == [later_zoe.email]
    assert [r.email for r in services.search(event, "c\\d")] == [second_zoe.email]
    assert [r.email for r in services.search(event, "%o")] == [second_zoe.email]
    assert [r.name for r in services.search(event, "   ")] == ["Ana", "Zoé", "Zoé"]


def test_search_takes_wildcards_literally_in_each_field(open_event):
    event = open_event()
    services.register(event, "Li_Na", "lina@example.org", "onsite")
    services.register(event, "Oscar", "o_k@example.org", "onsite")
    services.register(event, "Lina Ok", "ok@example.org", "onsite", "Lian")
    assert [r.name for r in services.search(event, "i_n")] == ["Li_Na"]  # by name only
    assert [r.name for r in services.search(event, "o_k")] == ["Oscar"]  # by e-mail only


# --- Cancelling ---------------------------------------------------------------------------


def test_cancelling_dates_the_cancellation_and_sends_the_figures(open_event, published):
    event = open_event()
    ana = services.register(event, "Ana", "ana@example.org", "onsite")
    published.clear()
    before = datetime.now(UTC)
    assert services.cancel(ana) is None
    assert ana.status == "cancelled"
    assert before <= ana.cancelled_at <= datetime.now(UTC)
    assert published == [event.id]


def test_a_freed_place_goes_to_the_first_waiting_person_of_the_same_attendance(open_event):
    event = open_event(capacity=1, remote_capacity=1)
    here = services.register(event, "Ana", "ana@example.org", "onsite")
    services.register(event, "Bob", "bob@example.org", "remote")
    waiting_remote = services.register(event, "Cléo", "cleo@example.org", "remote")
    waiting_here = services.register(event, "Dan", "dan@example.org", "onsite")
    promoted = services.cancel(here)
    assert promoted.id == waiting_here.id
    db.session.refresh(waiting_remote)
    assert waiting_remote.status == "waitlisted"


def test_the_waiting_list_is_served_by_time_of_registration(open_event):
    event = open_event(capacity=1)
    ana = services.register(event, "Ana", "ana@example.org", "onsite")
    bob = services.register(event, "Bob", "bob@example.org", "onsite")
    cleo = services.register(event, "Cléo", "cleo@example.org", "onsite")
    dan = services.register(event, "Dan", "dan@example.org", "onsite")
    # Cléo registered first of the waiting people; Dan at the same instant as Bob, after
    # him.
    cleo.created_at = bob.created_at - timedelta(minutes=1)
    dan.created_at = bob.created_at
    db.session.commit()
    assert services.cancel(ana).id == cleo.id
    assert services.cancel(cleo).id == bob.id
    assert services.cancel(bob).id == dan.id


def test_a_waiting_person_of_another_event_never_moves_up(open_event):
    event, other = open_event(capacity=1), open_event(slug="autre", capacity=0)
    services.register(other, "Bob", "bob@example.org", "onsite")  # waits there
    ana = services.register(event, "Ana", "ana@example.org", "onsite")
    assert services.cancel(ana) is None


# --- Workshops ------------------------------------------------------------------------------


def test_workshop_rotations_hold_the_workshops_of_the_event_in_order(open_event):
    slots = [
        # Rotations go by their number, even one the organiser placed earlier in the day.
        {"start": "08:00", "end": "09:00", "title": "Atelier matinal", "kind": "workshop",
         "room": "A", "rotation": 2},
        {"start": "10:00", "end": "11:00", "title": "Atelier B", "kind": "workshop",
         "room": "B", "rotation": 1},
        {"start": "09:30", "end": "11:00", "title": "Atelier A", "kind": "workshop",
         "room": "A", "rotation": 1},
        {"start": "10:00", "end": "11:00", "title": "Atelier C", "kind": "workshop",
         "room": "C", "rotation": 1},
        {"start": "12:00", "end": "13:00", "title": "Libre", "kind": "workshop"},
        {"start": "09:00", "end": "09:30", "title": "Accueil", "rotation": 1},
    ]
    event = open_event(slots=slots)
    open_event(slug="autre", slots=slots[:2])
    rotations = services.workshop_rotations(event)
    assert {number: [s.title for s in group] for number, group in rotations.items()} == {
        1: ["Atelier A", "Atelier B", "Atelier C"], 2: ["Atelier matinal"]}
    assert list(rotations) == [1, 2]


def test_seats_taken_count_confirmed_and_waiting_people_of_the_event(workshops, open_event):
    a1, b1, b2 = (slot_id(workshops, t, r) for t, r in (("Atelier A", 1), ("Atelier B", 1),
                                                       ("Atelier B", 2)))
    a2, c2 = slot_id(workshops, "Atelier A", 2), slot_id(workshops, "Atelier C", 2)
    services.register(workshops, "Ana", "ana@example.org", "onsite", choices=[a1, b2])
    services.register(workshops, "Bob", "bob@example.org", "onsite", choices=[a1, c2])
    services.cancel(services.register(workshops, "Cléo", "cleo@example.org", "onsite",
                                      choices=[b1, a2]))
    other = open_event(slug="autre", slots=[
        {"start": "10:00", "end": "11:00", "title": "Atelier Z", "kind": "workshop",
         "room": "Z", "rotation": 1, "capacity": 5}])
    services.register(other, "Dan", "dan@example.org", "onsite",
                      choices=[slot_id(other, "Atelier Z", 1)])
    assert services.seats_taken(workshops) == {a1: 2, b2: 1, c2: 1}


@pytest.mark.parametrize("choices", [["1"], [True], [1.0]])
def test_a_choice_that_is_no_slot_number_is_refused(workshops, choices):
    refused = refusal(services.register, workshops, "Ana", "ana@example.org", "onsite",
                      choices=choices)
    assert (refused.field, refused.message) == ("choices", "Choix d'ateliers invalides.")


def test_choices_that_are_no_list_are_refused(workshops):
    refused = refusal(services.register, workshops, "Ana", "ana@example.org", "onsite",
                      choices="12")
    assert (refused.code, refused.field, refused.message) == (
        "invalid_field", "choices", "Choix d'ateliers invalides.")


def test_each_workshop_refusal_says_why(workshops):
    a1, a2 = slot_id(workshops, "Atelier A", 1), slot_id(workshops, "Atelier A", 2)
    b1 = slot_id(workshops, "Atelier B", 1)
    cases = [
        ([a1], "remote", "Les ateliers sont réservés aux participants sur place."),
        ([a1, b1], "onsite", "Choisissez un seul atelier par rotation."),
        ([a1, a2], "onsite", "Vous ne pouvez pas suivre deux fois le même atelier."),
        ([a1, 10**6], "onsite", "Cet atelier n'existe pas pour cet événement."),
    ]
    for choices, attendance, message in cases:
        refused = refusal(services.register, workshops, "Ana", "ana@example.org", attendance,
                          choices=choices)
        assert (refused.code, refused.field, refused.message) == (
            "invalid_field", "choices", message)
    refused = refusal(services.register, workshops, "Ana", "ana@example.org", "onsite",
                      choices=[a1])
    assert (refused.code, refused.field, refused.message) == (
        "invalid_field", "choices", "Choisissez un atelier pour la rotation 2.")


def test_the_same_workshop_is_recognised_whatever_its_spacing_and_case(open_event):
    event = open_event(slots=[
        {"start": "10:00", "end": "11:00", "title": "Atelier Vélo", "kind": "workshop",
         "room": "A", "rotation": 1},
        {"start": "11:15", "end": "12:15", "title": " atelier vélo ", "kind": "workshop",
         "room": "A", "rotation": 2},
    ])
    ids = [slot.id for slot in sorted(event.slots, key=lambda s: s.rotation)]
    refused = refusal(services.register, event, "Ana", "ana@example.org", "onsite",
                      choices=ids)
    assert refused.message == "Vous ne pouvez pas suivre deux fois le même atelier."


SMALL_WORKSHOPS = [
    {"start": "10:00", "end": "11:00", "title": "Forge", "kind": "workshop", "room": "A",
     "rotation": 1, "capacity": 1},
    {"start": "10:00", "end": "11:00", "title": "Jardin", "kind": "workshop", "room": "B",
     "rotation": 1, "capacity": 3},
    {"start": "11:15", "end": "12:15", "title": "Cuisine", "kind": "workshop", "room": "A",
     "rotation": 2, "capacity": 1},
    {"start": "11:15", "end": "12:15", "title": "Atelier libre", "kind": "workshop",
     "room": "B", "rotation": 2},
]


def _ids(event) -> dict[str, int]:
    return {slot.title: slot.id for slot in event.slots}


def test_a_workshop_of_one_place_takes_one_person(open_event):
    event = open_event(slots=SMALL_WORKSHOPS)
    ids = _ids(event)
    ana = services.register(event, "Ana", "ana@example.org", "onsite",
                            choices=[ids["Forge"], ids["Cuisine"]])
    assert sorted(c.slot_id for c in ana.choices) == sorted([ids["Forge"], ids["Cuisine"]])
    assert [c.rotation for c in ana.choices] == [1, 2]
    refused = refusal(services.register, event, "Bob", "bob@example.org", "onsite",
                      choices=[ids["Forge"], ids["Atelier libre"]])
    assert refused.message == "L'atelier « Forge » est complet."


def test_a_workshop_without_capacity_is_never_full(open_event):
    event = open_event(slots=SMALL_WORKSHOPS)
    ids = _ids(event)
    people = [services.register(event, f"P{n}", f"p{n}@example.org", "onsite",
                                choices=[ids["Jardin"], ids["Atelier libre"]])
              for n in range(3)]
    assert services.seats_taken(event)[ids["Atelier libre"]] == len(people)
    # Rotation 1 is full now (Forge had one place, taken below; Jardin three), but
    # rotation 2 keeps its workshop without a limit: it must still be chosen.
    services.register(event, "Forge", "forge@example.org", "onsite",
                      choices=[ids["Forge"], ids["Cuisine"]])
    late = refusal(services.register, event, "Eve", "eve@example.org", "onsite", choices=[])
    assert late.details == {"rotation": 2}


def test_changing_workshops_counts_my_own_place_as_free(open_event):
    event = open_event(slots=SMALL_WORKSHOPS)
    ids = _ids(event)
    ana = services.register(event, "Ana", "ana@example.org", "onsite",
                            choices=[ids["Forge"], ids["Cuisine"]])
    # Forge and Cuisine have one place each, and it is mine: I may move to Jardin and
    # back to Forge without anyone taking it in between.
    services.change_choices(ana, [ids["Jardin"], ids["Cuisine"]])
    services.change_choices(ana, [ids["Cuisine"], ids["Forge"]])
    assert sorted(c.slot_id for c in ana.choices) == sorted([ids["Forge"], ids["Cuisine"]])
    assert services.seats_taken(event) == {ids["Forge"]: 1, ids["Cuisine"]: 1}


def test_a_rotation_whose_only_free_place_is_mine_may_not_be_left_out(open_event):
    event = open_event(slots=SMALL_WORKSHOPS[:1] + SMALL_WORKSHOPS[2:3])
    ids = _ids(event)
    # Nobody holds Cuisine's one place yet: rotation 2 may not be left out.
    early = refusal(services.register, event, "Zoé", "zoe@example.org", "onsite",
                    choices=[ids["Forge"]])
    assert early.details == {"rotation": 2}
    ana = services.register(event, "Ana", "ana@example.org", "onsite",
                            choices=[ids["Forge"], ids["Cuisine"]])
    # Every workshop is full, Ana holding each place: leaving one out would free it, so
    # she must still choose it.
    for kept, missing in ((ids["Forge"], 2), (ids["Cuisine"], 1), (None, 1)):
        refused = refusal(services.change_choices, ana, [kept] if kept else [])
        assert refused.details == {"rotation": missing}
    # Someone else finds nothing left to choose, and comes without workshops.
    bob = services.register(event, "Bob", "bob@example.org", "onsite", choices=[])
    assert bob.choices == []


def _cuisine_overbooked(open_event):
    """Ana (Forge and Cuisine) and Bob (Cuisine) registered while Cuisine had two places,
    then the organiser gave it one: the event, its slot ids and Ana."""
    event = open_event(slots=[SMALL_WORKSHOPS[0], {**SMALL_WORKSHOPS[2], "capacity": 2}])
    ids = _ids(event)
    ana = services.register(event, "Ana", "ana@example.org", "onsite",
                            choices=[ids["Forge"], ids["Cuisine"]])
    services.register(event, "Bob", "bob@example.org", "onsite", choices=[ids["Cuisine"]])
    db.session.get(Slot, ids["Cuisine"]).capacity = 1
    db.session.commit()
    return event, ids, ana


def test_a_rotation_full_without_my_place_may_be_left_out(open_event):
    event, ids, ana = _cuisine_overbooked(open_event)
    # Bob's place alone fills Cuisine, so Ana leaving it frees nothing anyone could choose.
    services.change_choices(ana, [ids["Forge"]])
    assert [c.slot_id for c in ana.choices] == [ids["Forge"]]
    assert services.seats_taken(event) == {ids["Forge"]: 1, ids["Cuisine"]: 1}


def test_a_place_held_stays_mine_when_the_workshop_gets_fewer_places(open_event):
    event, ids, ana = _cuisine_overbooked(open_event)
    # Two people hold Cuisine's one place: Ana keeps hers when she confirms her choices,
    # and nobody new gets in.
    services.change_choices(ana, [ids["Cuisine"], ids["Forge"]])
    assert services.seats_taken(event) == {ids["Forge"]: 1, ids["Cuisine"]: 2}
    services.cancel(ana)
    refused = refusal(services.register, event, "Eve", "eve@example.org", "onsite",
                      choices=[ids["Forge"], ids["Cuisine"]])
    assert refused.message == "L'atelier « Cuisine » est complet."


def test_a_cancelled_registration_changes_no_workshop(open_event):
    event = open_event(slots=SMALL_WORKSHOPS)
    ids = _ids(event)
    ana = services.register(event, "Ana", "ana@example.org", "onsite",
                            choices=[ids["Forge"], ids["Cuisine"]])
    services.cancel(ana)
    refused = refusal(services.change_choices, ana, [ids["Jardin"], ids["Atelier libre"]])
    assert (refused.code, refused.message) == ("cancelled", "Cette inscription est annulée.")
    assert services.seats_taken(event) == {}
