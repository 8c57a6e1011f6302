"""Live rules at their edges: the slot on air at a change-over, rooms and streams of one
event only, the room version, pins, rankings and what a viewer is shown."""

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from eventhub.errors import Refused
from eventhub.extensions import db
from eventhub.live import services
from eventhub.live.embed import UnsupportedStream, parse_stream_url
from eventhub.live.models import QUESTION_MAX_LENGTH, LiveSettings, StreamSource
from eventhub.live.services import Phase
from eventhub.programme.models import Event, Room, Slot
from tests.live.helpers import live_event

# Far from the machine's clock, so that a rule reading the clock instead of the ``now``
# it is given picks another slot.
NINE = datetime(2030, 10, 28, 9, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)


@pytest.fixture
def day(app):
    """An event of 28 October 2030: two rooms busy from 9:00, a second talk in the large
    room at 10:00, a break from 11:00, then a plenary at 12:00 and a closing in the small
    room that ends with it. The small room's first talk was entered before the large
    room's, so its slot id is the lower while its room id is the higher."""
    event = Event(slug="journee", title="Journée", start_date=NINE.date(),
                  end_date=NINE.date(), published=True)
    grande = Room(event=event, name="Grande salle")
    db.session.add_all([event, grande])
    db.session.flush()
    petite = Room(event=event, name="Petite salle")
    db.session.add(petite)
    db.session.flush()
    for room, title, start, end in [
        (petite, "Petite matin", NINE, NINE + HOUR),
        (grande, "Grande matin", NINE, NINE + HOUR),
        (grande, "Grande midi", NINE + HOUR, NINE + 2 * HOUR),
        (None, "Plénière", NINE + 3 * HOUR, NINE + 4 * HOUR),
        (petite, "Clôture", NINE + 3.5 * HOUR, NINE + 4 * HOUR),
    ]:
        db.session.add(Slot(event=event, room=room, title=title, starts_at=start, ends_at=end))
        db.session.flush()
    db.session.commit()
    return event, grande, petite


def _title(slot: Slot | None) -> str | None:
    return slot.title if slot else None


def _refusal(call, *args, **kwargs) -> Refused:
    with pytest.raises(Refused) as refused:
        call(*args, **kwargs)
    return refused.value


# --- The programme ---------------------------------------------------------------------


def test_at_a_change_over_the_starting_slot_is_on_air_not_the_ending_one(day):
    event, grande, petite = day
    assert _title(services.current_slot(event, grande, NINE + HOUR)) == "Grande midi"
    assert _title(services.current_slot(event, petite, NINE + HOUR)) is None
    assert _title(services.next_slot(event, grande, NINE)) == "Grande midi"
    assert _title(services.next_slot(event, petite, NINE)) == "Plénière"
    # A slot starting right now is on air, not next.
    assert _title(services.next_slot(event, grande, NINE + HOUR)) == "Plénière"
    assert _title(services.next_slot(event, None, NINE + HOUR)) == "Plénière"


def test_slots_at_the_same_time_go_by_room(day):
    event, _grande, petite = day
    assert _title(services.current_slot(event, None, NINE)) == "Grande matin"
    assert _title(services.current_slot(event, petite, NINE)) == "Petite matin"
    assert [s.title for s in services.event_slots(event)] == [
        "Grande matin", "Petite matin", "Grande midi", "Plénière", "Clôture"]
    assert [s.title for s in services.event_slots(event, petite)] == [
        "Petite matin", "Plénière", "Clôture"]


def test_of_two_slots_ending_together_the_last_entered_is_the_last(day):
    event, grande, _petite = day
    assert _title(services.last_slot(event)) == "Clôture"
    assert _title(services.last_slot(event, grande)) == "Plénière"
    # The last entered is not the last when it ends earlier.
    db.session.add(Slot(event=event, room=grande, title="Accueil", starts_at=NINE - HOUR,
                        ends_at=NINE))
    db.session.commit()
    assert _title(services.last_slot(event, grande)) == "Plénière"


def test_another_events_slots_are_never_counted(day):
    event, _grande, _petite = day
    other = live_event("autre")
    assert len(services.event_slots(event)) == 5
    assert [s.title for s in services.event_slots(other)] == [
        "Table ronde en cours", "Atelier suivant"]


def test_a_question_asked_in_a_room_goes_to_that_rooms_slot(day):
    event, _grande, petite = day
    services.set_premoderation(event, False)
    in_petite = services.ask(event, "v", "Et ici ?", room=petite, now=NINE)
    anywhere = services.ask(event, "v", "Et partout ?", now=NINE)
    assert (_title(in_petite.slot), _title(anywhere.slot)) == ("Petite matin", "Grande matin")
    # During the break no slot is on air: the question belongs to no slot.
    assert services.ask(event, "v", "Pendant la pause ?", now=NINE + 2.5 * HOUR).slot_id is None


def test_a_room_is_one_of_the_events_rooms(day):
    event, grande, _petite = day
    other_room = live_event("autre").rooms[0]
    assert services.event_room(event, None) is None
    assert services.event_room(event, grande.id) is grande
    for wrong in (other_room.id, 999999):
        refused = _refusal(services.event_room, event, wrong)
        assert (refused.code, refused.message) == (
            "unknown_room", "Cette salle n'existe pas pour cet événement.")


@pytest.mark.parametrize(("hours", "expected"), [
    (0, Phase.DURING),   # the first slot starts
    (2, Phase.BREAK),    # the last slot before the break ends
    (3, Phase.DURING),   # the plenary starts after the break
    (4, Phase.AFTER),    # the last slots end
])
def test_the_phase_at_the_edges_of_the_slots(day, hours, expected):
    event, _grande, _petite = day
    assert services.phase(services.event_slots(event), NINE + hours * HOUR) == expected


# --- Streams and settings --------------------------------------------------------------


def test_streams_of_one_event_never_touch_anothers(app):
    event, other = live_event(), live_event("autre")
    room = event.rooms[0]
    services.set_stream(other, "https://youtu.be/dQw4w9WgXcQ")
    # Nothing to remove yet: removing is harmless.
    assert services.set_stream(event, "") is None
    source = services.set_stream(event, "  https://vimeo.com/76979871  ")
    assert source.url == "https://vimeo.com/76979871"
    assert (source.provider, source.embed_url) == (
        "vimeo", parse_stream_url("https://vimeo.com/76979871").embed_url)
    assert services.stream_for(other).provider == "youtube"
    assert services.stream_for(event).provider == "vimeo"
    # Saving again replaces the stream, for the event and for a room alike.
    services.set_stream(event, "https://youtu.be/dQw4w9WgXcQ")
    services.set_stream(event, "https://vimeo.com/76979871", room)
    services.set_stream(event, "https://youtu.be/dQw4w9WgXcQ", room)
    rows = db.session.scalars(sa.select(StreamSource).where(StreamSource.event_id == event.id))
    assert sorted((s.room_id or 0, s.provider) for s in rows) == [
        (0, "youtube"), (room.id, "youtube")]
    services.set_stream(event, None)
    assert services.stream_for(event) is None
    assert services.stream_for(event, room).room_id == room.id


def test_an_unsupported_stream_is_refused_with_the_accepted_forms(app):
    event = live_event()
    refused = _refusal(services.set_stream, event, "https://example.org/video.mp4")
    with pytest.raises(UnsupportedStream) as unsupported:
        parse_stream_url("https://example.org/video.mp4")
    assert (refused.code, refused.message) == ("unsupported_stream", str(unsupported.value))


def test_settings_start_premoderated_at_version_zero_and_keep_a_switch(app):
    event = live_event()
    fresh = Event(slug="neuf", title="Neuf", start_date=event.start_date,
                  end_date=event.start_date, published=True)
    db.session.add(fresh)
    db.session.commit()
    settings = services.settings_for(fresh)
    assert (settings.premoderation, settings.version) == (True, 0)
    services.set_premoderation(fresh, False)
    db.session.rollback()
    stored = db.session.scalar(sa.select(LiveSettings).where(LiveSettings.event_id == fresh.id))
    assert stored.premoderation is False


def test_settings_created_by_a_simultaneous_request_are_the_ones_read(app, monkeypatch):
    event, other = live_event(), live_event("autre")
    services.set_premoderation(event, False)
    services.ask(event, "a", "Une question ?")
    services.set_premoderation(other, True)
    # Another request creates the settings between this one's read and its insert: the
    # read is made to miss them once, and the insert then meets the unique event.
    read = db.session.scalar
    missed = []

    def late_read(statement, *args, **kwargs):
        if not missed:
            missed.append(statement)
            return None
        return read(statement, *args, **kwargs)

    monkeypatch.setattr(db.session, "scalar", late_read)
    settings = services.settings_for(event)
    assert len(missed) == 1
    assert (settings.event_id, settings.premoderation, settings.version) == (event.id, False, 1)


# --- Questions -------------------------------------------------------------------------


def test_the_raw_text_may_carry_room_for_spaces_but_no_more(app):
    event = live_event()
    raw_limit = 4 * QUESTION_MAX_LENGTH
    padded = " " * (raw_limit - QUESTION_MAX_LENGTH) + "q" * QUESTION_MAX_LENGTH
    assert len(services.ask(event, "v", padded).text) == QUESTION_MAX_LENGTH
    refused = _refusal(services.ask, event, "v", " " + padded)
    assert (refused.code, refused.message) == (
        "question_too_long", "La question dépasse 300 caractères.")


@pytest.mark.parametrize(("text", "code", "message"), [
    ("q" * 301, "question_too_long", "La question dépasse 300 caractères."),
    (" \x07 ", "empty_question", "La question est vide."),
])
def test_a_refused_question_says_why(app, text, code, message):
    refused = _refusal(services.ask, live_event(), "v", text)
    assert (refused.code, refused.message) == (code, message)


def test_clean_text_drops_control_characters_and_keeps_one_too_many(app):
    assert services.clean_text("  Ligne 1\nLigne\x07 2\x1b  ", 300) == "Ligne 1\nLigne 2"
    # One character past the limit is kept, so that the caller can tell it was too long.
    assert services.clean_text("abcdefghijklmnop", 10) == "abcdefghijk"
    assert services.clean_text(42, 10) == ""


def test_the_name_is_cleaned_cut_and_optional(app):
    event = live_event()
    assert services.ask(event, "v", "Sans nom ?").name == ""
    assert services.ask(event, "v", "Nom bizarre ?", name=42).name == ""
    long_name = services.ask(event, "v", "Nom long ?", name=" Léa\x07 " + "x" * 100)
    assert long_name.name == "Léa " + "x" * 76


def test_every_change_grows_the_events_version_by_one_and_no_other(app):
    event = live_event(premoderation=False)
    other = live_event("autre")
    other_version = services.settings_for(other).version
    start = services.settings_for(event).version
    question = services.ask(event, "a", "Première ?")
    bystander = services.ask(event, "b", "Seconde ?")
    assert question.version == start + 1
    assert services.vote(event, question.id, "v1").version == start + 3
    assert (question.votes, bystander.votes) == (1, 0)
    services.moderate(event, question.id, "answer")
    assert question.version == start + 4 == services.settings_for(event).version
    assert services.settings_for(other).version == other_version


def test_each_refusal_about_a_question_says_why(app):
    event = live_event()
    pending = services.ask(event, "a", "En attente ?")
    hidden = services.ask(event, "b", "Masquée ?")
    services.moderate(event, hidden.id, "hide")
    published = services.ask(event, "c", "Publiée ?")
    services.moderate(event, published.id, "approve")
    services.vote(event, published.id, "v1")
    other_slot = live_event("autre").slots[0]
    for refused, expected in [
        (_refusal(services.vote, event, "1", "v1"),
         ("unknown_question", "Cette question n'existe pas.")),
        (_refusal(services.vote, event, 999999, "v1"),
         ("unknown_question", "Cette question n'existe pas.")),
        (_refusal(services.vote, event, pending.id, "v1"),
         ("not_votable", "On ne peut voter que pour une question publiée.")),
        (_refusal(services.vote, event, published.id, "v1"),
         ("already_voted", "Vous avez déjà voté pour cette question.")),
        (_refusal(services.moderate, event, pending.id, "delete"),
         ("unknown_action", "Action de modération inconnue.")),
        (_refusal(services.moderate, event, hidden.id, "pin"),
         ("not_pinnable", "Une question masquée ne peut pas être épinglée.")),
        (_refusal(services.ask, event, "v", "Ailleurs ?", slot_id=other_slot.id),
         ("unknown_slot", "Ce créneau n'appartient pas à cet événement.")),
    ]:
        assert (refused.code, refused.message) == expected


def test_one_pin_per_event_and_pinning_keeps_an_answered_question_answered(app):
    event, other = live_event(), live_event("autre")
    foreign = services.ask(other, "x", "Ailleurs ?")
    services.moderate(other, foreign.id, "pin")
    waiting = services.ask(event, "a", "En attente ?")
    answered = services.ask(event, "b", "Répondue ?")
    services.moderate(event, answered.id, "answer")
    assert [q.id for q in services.moderate(event, waiting.id, "pin")] == [waiting.id]
    assert (waiting.status, waiting.pinned) == ("approved", True)
    # Pinning the pinned question again changes only that one.
    assert [q.id for q in services.moderate(event, waiting.id, "pin")] == [waiting.id]
    changed = services.moderate(event, answered.id, "pin")
    assert [q.id for q in changed] == [answered.id, waiting.id]
    assert (answered.status, answered.pinned, waiting.pinned) == ("answered", True, False)
    # The unpinned one changed too: a client resyncing from before sees it.
    assert waiting.version == answered.version == services.settings_for(event).version
    assert services.pinned_question(event) is answered
    assert services.pinned_question(other) is foreign


def _aged(question, minutes: int, votes: int = 0):
    """Give ``question`` a creation time ``minutes`` after a fixed origin, and votes."""
    question.created_at = NINE + timedelta(minutes=minutes)
    question.votes = votes
    return question


def test_listings_rank_by_votes_then_age_and_by_time_newest_first(app):
    event = live_event(premoderation=False)
    later = _aged(services.ask(event, "a", "Plus récente"), 2, votes=2)
    earlier = _aged(services.ask(event, "b", "Plus ancienne"), 1, votes=2)
    top = _aged(services.ask(event, "c", "La plus votée"), 5, votes=3)
    # Entered in the same minute: the last entered first by time, the first by votes.
    twin_a = _aged(services.ask(event, "d", "Jumelle A"), 0)
    twin_b = _aged(services.ask(event, "e", "Jumelle B"), 0)
    db.session.commit()
    by_votes = services.questions_for(event, moderator=True).questions
    assert [q.text for q in by_votes] == [top.text, earlier.text, later.text, twin_a.text,
                                          twin_b.text]
    by_time = services.questions_for(event, moderator=True, newest_first=True).questions
    assert [q.text for q in by_time] == [top.text, later.text, earlier.text, twin_b.text,
                                         twin_a.text]


def test_since_a_version_only_later_changes_are_listed_and_only_this_events(app):
    event, other = live_event(premoderation=False), live_event("autre", premoderation=False)
    seen = services.ask(event, "a", "Déjà vue ?")
    since = seen.version
    services.ask(other, "x", "Ailleurs ?")
    fresh = services.ask(event, "b", "Nouvelle ?")
    listing = services.questions_for(event, "a", since=since)
    assert [q.id for q in listing.questions] == [fresh.id]
    assert listing.version == fresh.version


def test_a_viewer_sees_the_published_and_their_own_waiting_but_not_their_hidden(app):
    event = live_event()
    mine = services.ask(event, "me", "La mienne ?")
    mine_hidden = services.ask(event, "me", "Ma masquée ?")
    services.moderate(event, mine_hidden.id, "hide")
    answered = services.ask(event, "them", "Répondue ?")
    services.moderate(event, answered.id, "answer")
    services.ask(event, "them", "La leur ?")
    assert {q.id for q in services.questions_for(event, "me").questions} == {
        mine.id, answered.id}
    assert {q.id for q in services.questions_for(event).questions} == {answered.id}


def test_the_public_dict_withholds_only_hidden_and_others_waiting_questions(app):
    event = live_event()
    waiting = services.ask(event, "me", "En attente ?", name="Léa")
    hidden = services.ask(event, "me", "Masquée ?", name="Léa")
    services.moderate(event, hidden.id, "hide")
    published = services.ask(event, "me", "Publiée ?", name="Léa")
    services.moderate(event, published.id, "approve")
    for question, viewer, shown in [
        (waiting, "me", True), (waiting, "them", False), (waiting, None, False),
        (hidden, "me", False), (published, "them", True), (published, None, True),
    ]:
        view = question.public_dict(viewer)
        expected = (question.text, "Léa") if shown else ("", "")
        assert (view["text"], view["name"]) == expected, (question.text, viewer)
        assert (view["id"], view["status"]) == (question.id, question.status)


def test_top_questions_are_this_events_most_voted_published_unpinned_three(app):
    event, other = live_event(premoderation=False), live_event("autre", premoderation=False)
    _aged(services.ask(other, "x", "Ailleurs"), 0, votes=7)
    pinned = services.ask(event, "a", "Épinglée")
    services.moderate(event, pinned.id, "pin")
    _aged(pinned, 0, votes=5)
    answered = services.ask(event, "b", "Répondue")
    services.moderate(event, answered.id, "answer")
    _aged(answered, 0, votes=9)
    # Votes first: the older questions with fewer votes come after.
    later = _aged(services.ask(event, "c", "Plus récente"), 2, votes=2)
    earlier = _aged(services.ask(event, "d", "Plus ancienne"), 1, votes=2)
    third = _aged(services.ask(event, "e", "Troisième"), 0, votes=1)
    _aged(services.ask(event, "f", "Quatrième"), -1, votes=0)
    db.session.commit()
    assert [q.text for q in services.top_questions(event)] == [
        earlier.text, later.text, third.text]


def test_voted_by_counts_only_this_events_votes(app):
    event, other = live_event(premoderation=False), live_event("autre", premoderation=False)
    here = services.ask(event, "a", "Ici ?")
    services.ask(event, "b", "Ici aussi ?")
    there = services.ask(other, "a", "Ailleurs ?")
    services.vote(event, here.id, "v1")
    services.vote(other, there.id, "v1")
    services.vote(event, here.id, "v2")
    assert services.voted_by(event, "v1") == {here.id}
    assert services.voted_by(other, "v1") == {there.id}
    assert services.voted_by(event, None) == services.voted_by(event, "") == set()


def test_the_console_queue_orders_each_list_whatever_order_it_is_given(app):
    event = live_event()
    asked = [services.ask(event, viewer, f"Question {viewer}") for viewer in "abcdefghi"]
    first_wait, second_wait, answered_old, answered_new, hidden_old, hidden_new = asked[:6]
    quiet, popular, pinned = asked[6:]
    for question, action in [(answered_old, "answer"), (answered_new, "answer"),
                             (hidden_old, "hide"), (hidden_new, "hide"), (quiet, "approve"),
                             (popular, "approve"), (pinned, "pin")]:
        services.moderate(event, question.id, action)
    for minutes, question in enumerate(asked):
        _aged(question, minutes, votes=2 if question is popular else 0)
    queue = services.console_queue(list(reversed(asked)))
    assert {status: [q.text for q in questions] for status, questions in queue.items()} == {
        "pending": [first_wait.text, second_wait.text],
        "approved": [pinned.text, popular.text, quiet.text],
        "answered": [answered_new.text, answered_old.text],
        "hidden": [hidden_new.text, hidden_old.text],
    }
    assert services.console_queue(asked)["answered"] == [answered_new, answered_old]
