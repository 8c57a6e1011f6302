"""What the live services tell the rooms, called as the views and handlers call them:
each change reaches whoever may see it, as they may see it, with no handler's help."""

from __future__ import annotations

import pytest

from eventhub.errors import Refused
from eventhub.live import publish, services
from tests.live.helpers import NS, live_event, moderator_client, received, viewer_client, wait_for


@pytest.fixture
def live_app(make_app):
    """An app with a fast tick, inside an app context."""
    application = make_app(LIVE_TICK_SECONDS=0.05)
    with application.app_context():
        yield application


def joined(client, event) -> None:
    """``client`` joined ``event``, its first list read and dropped."""
    assert client.emit("join", {"event": event.slug}, namespace=NS, callback=True)["ok"]
    client.get_received(NS)


def test_a_question_asked_reaches_the_moderators_whole_and_waits_hidden_from_others(live_app):
    event = live_event(premoderation=True)
    asker, other, moderator = (viewer_client(live_app, "asker"), viewer_client(live_app, "other"),
                               moderator_client(live_app))
    for client in (asker, other, moderator):
        joined(client, event)
    question = services.ask(event, "asker", "Et le haut débit ?", name="Léa")
    assert [q["text"] for q in received(moderator, "question")] == ["Et le haut débit ?"]
    assert [(q["id"], q["text"], q["status"]) for q in received(asker, "question")] == [
        (question.id, "Et le haut débit ?", "pending")]
    assert received(other, "question") == []


def test_a_moderation_sends_every_question_it_changed(live_app):
    event = live_event(premoderation=False)
    first = services.ask(event, "a", "Première ?")
    second = services.ask(event, "b", "Seconde ?")
    services.moderate(event, first.id, "pin")
    viewer = viewer_client(live_app, "v")
    joined(viewer, event)
    services.moderate(event, second.id, "pin")
    sent = {q["id"]: q["pinned"] for q in received(viewer, "question")}
    assert sent == {second.id: True, first.id: False}


def test_a_hidden_question_reaches_viewers_without_its_text(live_app):
    event = live_event(premoderation=False)
    question = services.ask(event, "a", "Hors sujet ?", name="Zoé")
    viewer = viewer_client(live_app, "v")
    joined(viewer, event)
    services.moderate(event, question.id, "hide")
    assert [(q["id"], q["status"], q["text"], q["name"]) for q in received(viewer, "question")] \
        == [(question.id, "hidden", "", "")]


def test_a_vote_sends_the_new_count_on_the_next_tick(live_app):
    event = live_event(premoderation=False)
    question = services.ask(event, "a", "Votez ?")
    services.vote(event, question.id, "v1")
    viewer = viewer_client(live_app, "v")
    joined(viewer, event)
    services.vote(event, question.id, "v2")
    expected = {"questions": [{"id": question.id, "votes": 2}]}
    assert expected in wait_for(viewer, "votes", until=expected)


def test_a_published_question_reaches_this_events_viewers_only(live_app):
    event, other = live_event(premoderation=False), live_event("autre", premoderation=False)
    here, elsewhere = viewer_client(live_app, "ici"), viewer_client(live_app, "ailleurs")
    joined(here, event)
    joined(elsewhere, other)
    question = services.ask(event, "a", "Pour cette salle ?")
    assert [q["id"] for q in received(here, "question")] == [question.id]
    assert received(elsewhere, "question") == []


def test_vote_counts_reach_this_events_moderators_and_viewers_only(live_app):
    event, other = live_event(premoderation=False), live_event("autre", premoderation=False)
    question = services.ask(event, "a", "Votez ?")
    moderator, viewer = moderator_client(live_app), viewer_client(live_app, "v")
    elsewhere = viewer_client(live_app, "ailleurs")
    joined(moderator, event)
    joined(viewer, event)
    joined(elsewhere, other)
    services.vote(event, question.id, "v1")
    expected = {"questions": [{"id": question.id, "votes": 1}]}
    assert expected in wait_for(moderator, "votes", until=expected)
    assert expected in wait_for(viewer, "votes", until=expected)
    assert received(elsewhere, "votes") == []


def test_a_refused_moderation_sends_nothing(live_app):
    event = live_event(premoderation=False)
    question = services.ask(event, "a", "Masquée ?")
    services.moderate(event, question.id, "hide")
    moderator = moderator_client(live_app)
    joined(moderator, event)
    with pytest.raises(Refused):
        services.moderate(event, question.id, "pin")
    assert received(moderator, "question") == []


def test_current_votes_of_the_given_questions_only(live_app):
    event = live_event(premoderation=False)
    two = services.ask(event, "a", "Deux votes ?")
    none = services.ask(event, "b", "Aucun vote ?")
    services.ask(event, "c", "Pas demandée ?")
    for voter in ("v1", "v2"):
        services.vote(event, two.id, voter)
    assert publish.current_votes([two.id, none.id]) == {two.id: 2, none.id: 0}
    assert publish.current_votes([]) == {}
