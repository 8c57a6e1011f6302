"""Live rules without HTTP: asking, voting, moderating, listing, streams."""

from datetime import timedelta

import pytest

from eventhub.database import utcnow
from eventhub.errors import Refused
from eventhub.extensions import db
from eventhub.live import services
from eventhub.live.models import Question, Vote
from eventhub.programme.models import Event, Room, Slot
from tests.live.helpers import live_event


def test_question_goes_to_the_slot_on_air_and_waits_for_approval(app):
    event = live_event()
    question = services.ask(event, "viewer-1", "  Quel débit faut-il ?  ", "Léa")
    assert question.status == "pending"
    assert question.text == "Quel débit faut-il ?"
    assert question.slot.title == "Table ronde en cours"
    assert question.name == "Léa"


def test_picked_slot_and_moderation_off(app):
    event = live_event(premoderation=False)
    later = next(s for s in event.slots if s.title == "Atelier suivant")
    question = services.ask(event, "viewer-1", "Et après ?", slot_id=later.id)
    assert (question.status, question.slot_id) == ("approved", later.id)


@pytest.mark.parametrize(("text", "code"), [
    ("", "empty_question"), ("   \n\t ", "empty_question"), (None, "empty_question"),
    (42, "empty_question"), ("x" * 301, "question_too_long"),
])
def test_bad_questions_are_refused(app, text, code):
    event = live_event()
    with pytest.raises(Refused) as refused:
        services.ask(event, "viewer-1", text)
    assert refused.value.code == code
    assert app.extensions["sqlalchemy"].session().query(Question).count() == 0


def test_question_of_exactly_300_characters_is_kept(app):
    event = live_event()
    assert len(services.ask(event, "v", "é" * 300).text) == 300


def test_slot_of_another_event_is_refused(app):
    event, other = live_event(), live_event("autre")
    with pytest.raises(Refused) as refused:
        services.ask(event, "v", "Question ?", slot_id=other.slots[0].id)
    assert refused.value.code == "unknown_slot"


def test_one_vote_per_viewer(app):
    event = live_event(premoderation=False)
    question = services.ask(event, "asker", "Fibre ou satellite ?")
    assert services.vote(event, question.id, "v1").votes == 1
    assert services.vote(event, question.id, "v2").votes == 2
    with pytest.raises(Refused) as refused:
        services.vote(event, question.id, "v1")
    assert refused.value.code == "already_voted"
    assert app.extensions["sqlalchemy"].session().query(Vote).count() == 2


def test_votes_only_on_published_questions_of_the_event(app):
    event = live_event()
    pending = services.ask(event, "asker", "En attente ?")
    with pytest.raises(Refused) as refused:
        services.vote(event, pending.id, "v1")
    assert refused.value.code == "not_votable"
    other = live_event("autre", premoderation=False)
    foreign = services.ask(other, "asker", "Ailleurs ?")
    for wrong in (foreign.id, 999999, "1", None, True):
        with pytest.raises(Refused) as refused:
            services.vote(event, wrong, "v1")
        assert refused.value.code == "unknown_question"


def test_moderation_actions_and_a_single_pin(app):
    event = live_event()
    first = services.ask(event, "a", "Première ?")
    second = services.ask(event, "b", "Deuxième ?")
    services.moderate(event, first.id, "approve")
    assert first.status == "approved"
    services.moderate(event, first.id, "pin")
    changed = services.moderate(event, second.id, "pin")
    assert {q.id for q in changed} == {first.id, second.id}
    assert (first.pinned, second.pinned, second.status) == (False, True, "approved")
    services.moderate(event, second.id, "unpin")
    assert services.pinned_question(event) is None
    services.moderate(event, second.id, "answer")
    assert second.status == "answered"
    services.moderate(event, first.id, "hide")
    with pytest.raises(Refused) as refused:
        services.moderate(event, first.id, "pin")
    assert refused.value.code == "not_pinnable"
    with pytest.raises(Refused) as refused:
        services.moderate(event, first.id, "delete")
    assert refused.value.code == "unknown_action"


def test_listing_visibility_order_and_versions(app):
    event = live_event()
    mine = services.ask(event, "me", "La mienne ?")
    theirs = services.ask(event, "them", "La leur ?")
    shown = services.ask(event, "them", "Publiée ?")
    services.moderate(event, shown.id, "approve")
    version = services.settings_for(event).version
    assert {q.id for q in services.questions_for(event, "me").questions} == {mine.id, shown.id}
    assert len(services.questions_for(event, moderator=True).questions) == 3
    services.vote(event, shown.id, "me")
    changed = services.questions_for(event, "me", since=version)
    assert [q.id for q in changed.questions] == [shown.id]
    assert changed.version == version + 1
    hidden_view = theirs.public_dict("me")
    assert hidden_view["text"] == "" and mine.public_dict("me")["text"] == "La mienne ?"
    by_time = services.questions_for(event, moderator=True, newest_first=True).questions
    assert by_time[0].id == shown.id


def test_streams_per_event_and_per_room(app):
    event = live_event()
    room = event.rooms[0]
    services.set_stream(event, "https://youtu.be/dQw4w9WgXcQ")
    assert services.stream_for(event, room).provider == "youtube"
    services.set_stream(event, "https://vimeo.com/76979871", room)
    assert services.stream_for(event, room).provider == "vimeo"
    assert services.stream_for(event).provider == "youtube"
    with pytest.raises(Refused) as refused:
        services.set_stream(event, "https://example.org/video.mp4")
    assert refused.value.code == "unsupported_stream"
    assert services.stream_for(event).provider == "youtube"
    services.set_stream(event, "", room)
    assert services.stream_for(event, room).provider == "youtube"


def test_now_next_and_premoderation_default(app):
    event = live_event()
    assert services.current_slot(event).title == "Table ronde en cours"
    assert services.next_slot(event).title == "Atelier suivant"
    other = Event(slug="neuf", title="Neuf", start_date=event.start_date,
                  end_date=event.start_date, published=True)
    db.session.add(other)
    db.session.commit()
    assert services.settings_for(other).premoderation is True
    assert services.ask(other, "v", "Modérée ?").status == "pending"


def test_hiding_or_answering_a_pinned_question_unpins_it(app):
    event = live_event()
    hidden = services.ask(event, "a", "À masquer ?")
    answered = services.ask(event, "b", "À répondre ?")
    services.moderate(event, hidden.id, "pin")
    services.moderate(event, hidden.id, "hide")
    assert (hidden.status, hidden.pinned) == ("hidden", False)
    assert services.pinned_question(event) is None
    services.moderate(event, answered.id, "pin")
    services.moderate(event, answered.id, "answer")
    assert (answered.status, answered.pinned) == ("answered", False)
    assert services.pinned_question(event) is None


def test_a_client_resyncing_after_a_pin_moved_sees_the_old_one_unpinned(app):
    event = live_event()
    first = services.ask(event, "a", "Première ?")
    second = services.ask(event, "b", "Deuxième ?")
    services.moderate(event, first.id, "pin")
    synced = services.settings_for(event).version
    services.moderate(event, second.id, "pin")
    changed = services.questions_for(event, "c", since=synced).questions
    assert {(q.id, q.pinned) for q in changed} == {(first.id, False), (second.id, True)}


def test_each_room_follows_its_own_talks_and_the_plenary_ones(app):
    now = utcnow()
    event = Event(slug="salles", title="Deux salles", start_date=now.date(),
                  end_date=now.date(), published=True)
    grande, petite = Room(event=event, name="Grande salle"), Room(event=event, name="Petite")
    hour = timedelta(hours=1)
    db.session.add_all([event, grande, petite,
                        Slot(event=event, room=grande, title="Grande en cours",
                             starts_at=now - hour, ends_at=now + hour),
                        Slot(event=event, room=petite, title="Petite en cours",
                             starts_at=now - hour, ends_at=now + hour),
                        Slot(event=event, room=grande, title="Grande ensuite",
                             starts_at=now + 2 * hour, ends_at=now + 3 * hour),
                        Slot(event=event, room=petite, title="Petite ensuite",
                             starts_at=now + 3 * hour, ends_at=now + 4 * hour),
                        Slot(event=event, room=None, title="Plénière",
                             starts_at=now + 5 * hour, ends_at=now + 6 * hour)])
    db.session.commit()
    assert services.current_slot(event, petite).title == "Petite en cours"
    assert services.current_slot(event, grande).title == "Grande en cours"
    assert services.next_slot(event, petite).title == "Petite ensuite"
    assert services.next_slot(event, grande).title == "Grande ensuite"
    assert [s.title for s in services.event_slots(event, petite)] == [
        "Petite en cours", "Petite ensuite", "Plénière"]
    assert services.last_slot(event, grande).title == "Plénière"
    assert len(services.event_slots(event)) == 5
