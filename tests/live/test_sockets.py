"""Socket.IO namespace /live through Flask-SocketIO's test client: every event, every error."""

from __future__ import annotations

import time

import pytest

from eventhub.extensions import socketio
from eventhub.live import services
from tests.conftest import AuthActions
from tests.live.helpers import (
    NS,
    live_event,
    moderator_client,
    received,
    viewer_client,
    wait_for,
)


@pytest.fixture
def live_app(make_app):
    """An app with a fast tick and small limits, inside an app context."""
    application = make_app(LIVE_TICK_SECONDS=0.05, LIVE_ASK_LIMIT="3 per minute",
                           LIVE_VOTE_LIMIT="4 per minute")
    with application.app_context():
        yield application


@pytest.fixture
def auth_client(live_app):
    """Account helpers on a client of ``live_app``."""
    return AuthActions(live_app.test_client())


def test_join_sends_the_current_list_and_acknowledges(live_app):
    event = live_event(premoderation=False)
    services.ask(event, "someone", "Déjà là ?")
    viewer = viewer_client(live_app, "v1")
    ack = viewer.emit("join", {"event": event.slug}, namespace=NS, callback=True)
    assert ack["ok"] is True and ack["event"] == event.slug and ack["moderator"] is False
    assert ack["slot"] == services.current_slot(event).id
    listing = received(viewer, "questions")[0]
    assert listing["full"] is True
    assert [q["text"] for q in listing["questions"]] == ["Déjà là ?"]
    assert set(listing["questions"][0]) == {"id", "text", "name", "votes", "status", "pinned",
                                            "slot", "created_at"}


def test_join_since_sends_only_changes(live_app):
    event = live_event(premoderation=False)
    services.ask(event, "a", "Ancienne ?")
    version = services.settings_for(event).version
    services.ask(event, "a", "Nouvelle ?")
    viewer = viewer_client(live_app, "v1")
    viewer.emit("join", {"event": event.slug, "since": version}, namespace=NS, callback=True)
    listing = received(viewer, "questions")[0]
    assert listing["full"] is False
    assert [q["text"] for q in listing["questions"]] == ["Nouvelle ?"]


@pytest.mark.parametrize(("payload", "error"), [
    ({"event": "nope"}, "unknown_event"),
    ("direct", "bad_request"),
    ({"event": "direct", "slot": "x"}, "bad_request"),
    ({"event": "direct", "slot": 999999}, "unknown_slot"),
    ({"event": "direct", "room": 999999}, "unknown_room"),
])
def test_join_errors(live_app, payload, error):
    live_event()
    viewer = viewer_client(live_app, "v1")
    ack = viewer.emit("join", payload, namespace=NS, callback=True)
    assert ack["ok"] is False and ack["error"] == error and ack["message"]


def test_ask_with_premoderation_reaches_moderators_and_the_asker_only(live_app, auth_client):
    event = live_event()
    asker, other = viewer_client(live_app, "asker"), viewer_client(live_app, "other")
    moderator = moderator_client(live_app)
    for client in (asker, other, moderator):
        assert client.emit("join", {"event": event.slug}, namespace=NS, callback=True)["ok"]
        client.get_received(NS)
    ack = asker.emit("ask", {"text": "<b>Fibre</b> ?", "name": "Léa"}, namespace=NS,
                     callback=True)
    assert ack["ok"] is True
    assert ack["question"]["status"] == "pending" and ack["question"]["text"] == "<b>Fibre</b> ?"
    assert [q["id"] for q in received(asker, "question")] == [ack["question"]["id"]]
    assert [q["status"] for q in received(moderator, "question")] == ["pending"]
    assert received(other, "question") == []

    ack2 = moderator.emit("moderate", {"question": ack["question"]["id"], "action": "approve"},
                          namespace=NS, callback=True)
    assert ack2["ok"] is True and ack2["question"]["status"] == "approved"
    assert [q["text"] for q in received(other, "question")] == ["<b>Fibre</b> ?"]

    moderator.emit("moderate", {"question": ack["question"]["id"], "action": "hide"},
                   namespace=NS, callback=True)
    hidden = received(other, "question")[0]
    assert hidden["status"] == "hidden" and hidden["text"] == ""


def test_ask_without_premoderation_reaches_everyone(live_app):
    event = live_event(premoderation=False)
    asker, other = viewer_client(live_app, "asker"), viewer_client(live_app, "other")
    for client in (asker, other):
        client.emit("join", {"event": event.slug}, namespace=NS, callback=True)
        client.get_received(NS)
    ack = asker.emit("ask", {"text": "Publiée tout de suite ?"}, namespace=NS, callback=True)
    assert ack["question"]["status"] == "approved" and ack["question"]["name"] == ""
    assert [q["text"] for q in received(other, "question")] == ["Publiée tout de suite ?"]


@pytest.mark.parametrize(("payload", "error"), [
    ({"text": ""}, "empty_question"),
    ({"text": "   "}, "empty_question"),
    ({"text": "x" * 301}, "question_too_long"),
    ({"text": "Ok ?", "slot": 999999}, "unknown_slot"),
    (["text"], "bad_request"),
])
def test_ask_errors(live_app, payload, error):
    event = live_event()
    viewer = viewer_client(live_app, "v1")
    viewer.emit("join", {"event": event.slug}, namespace=NS, callback=True)
    ack = viewer.emit("ask", payload, namespace=NS, callback=True)
    assert ack == {"ok": False, "error": error, "message": ack["message"]} and ack["message"]


def test_ask_before_join_and_without_viewer_cookie(live_app):
    event = live_event()
    viewer = viewer_client(live_app, "v1")
    assert viewer.emit("ask", {"text": "Hop ?"}, namespace=NS, callback=True)["error"] \
        == "not_joined"
    anonymous = socketio.test_client(live_app, namespace=NS)
    anonymous.emit("join", {"event": event.slug}, namespace=NS, callback=True)
    for name, payload in (("ask", {"text": "Hop ?"}), ("vote", {"question": 1})):
        ack = anonymous.emit(name, payload, namespace=NS, callback=True)
        assert ack["error"] == "no_viewer"
    forged = socketio.test_client(live_app, namespace=NS, auth={"viewer": "forged.value"})
    forged.emit("join", {"event": event.slug}, namespace=NS, callback=True)
    assert forged.emit("ask", {"text": "Hop ?"}, namespace=NS, callback=True)["error"] \
        == "no_viewer"


def test_ask_rate_limit_per_viewer(live_app):
    event = live_event()
    viewer = viewer_client(live_app, "v1")
    viewer.emit("join", {"event": event.slug}, namespace=NS, callback=True)
    acks = [viewer.emit("ask", {"text": f"Q{i} ?"}, namespace=NS, callback=True)
            for i in range(4)]
    assert [a["ok"] for a in acks] == [True, True, True, False]
    assert acks[-1]["error"] == "rate_limited" and "3" in acks[-1]["message"]
    other = viewer_client(live_app, "v2")
    other.emit("join", {"event": event.slug}, namespace=NS, callback=True)
    assert other.emit("ask", {"text": "Moi ?"}, namespace=NS, callback=True)["ok"]


def test_votes_are_coalesced_into_one_update_per_tick(live_app):
    event = live_event(premoderation=False)
    question = services.ask(event, "asker", "Votez ?")
    watcher = viewer_client(live_app, "watcher")
    watcher.emit("join", {"event": event.slug}, namespace=NS, callback=True)
    voters = [viewer_client(live_app, f"voter{i}") for i in range(5)]
    for voter in voters:
        voter.emit("join", {"event": event.slug}, namespace=NS, callback=True)
    time.sleep(0.2)
    watcher.get_received(NS)
    live_app.config["LIVE_TICK_SECONDS"] = 0.5
    for voter in voters:
        ack = voter.emit("vote", {"question": question.id}, namespace=NS, callback=True)
        assert ack["ok"] is True
    updates = wait_for(watcher, "votes")
    time.sleep(0.6)
    updates += received(watcher, "votes")
    assert len(updates) <= 2
    assert updates[-1] == {"questions": [{"id": question.id, "votes": 5}]}


@pytest.mark.parametrize(("target", "error"), [
    ("again", "already_voted"), (999999, "unknown_question"), ("pending", "not_votable"),
    ("text", "unknown_question"),
])
def test_vote_errors(live_app, target, error):
    event = live_event(premoderation=False)
    approved = services.ask(event, "asker", "Publiée ?")
    services.set_premoderation(event, True)
    pending = services.ask(event, "asker", "En attente ?")
    viewer = viewer_client(live_app, "v1")
    viewer.emit("join", {"event": event.slug}, namespace=NS, callback=True)
    question = {"again": approved.id, "pending": pending.id, "text": "1"}.get(target, target)
    if target == "again":
        assert viewer.emit("vote", {"question": question}, namespace=NS, callback=True)["ok"]
    ack = viewer.emit("vote", {"question": question}, namespace=NS, callback=True)
    assert ack["ok"] is False and ack["error"] == error and ack["message"]


def test_vote_rate_limit(live_app):
    event = live_event(premoderation=False)
    ids = [services.ask(event, "asker", f"Q{i} ?").id for i in range(5)]
    viewer = viewer_client(live_app, "v1")
    viewer.emit("join", {"event": event.slug}, namespace=NS, callback=True)
    acks = [viewer.emit("vote", {"question": i}, namespace=NS, callback=True) for i in ids]
    assert [a["ok"] for a in acks] == [True, True, True, True, False]
    assert acks[-1]["error"] == "rate_limited"


def test_moderate_requires_a_moderator(live_app, auth_client):
    event = live_event()
    question = services.ask(event, "asker", "Modérez-moi ?")
    viewer = viewer_client(live_app, "v1")
    viewer.emit("join", {"event": event.slug}, namespace=NS, callback=True)
    ack = viewer.emit("moderate", {"question": question.id, "action": "approve"},
                      namespace=NS, callback=True)
    assert ack["error"] == "forbidden"
    door_http = live_app.test_client()
    AuthActions(door_http).login("door")
    door = socketio.test_client(live_app, namespace=NS, flask_test_client=door_http)
    door.emit("join", {"event": event.slug}, namespace=NS, callback=True)
    assert door.emit("moderate", {"question": question.id, "action": "approve"},
                     namespace=NS, callback=True)["error"] == "forbidden"
    assert services.questions_for(event, moderator=True).questions[0].status == "pending"


@pytest.mark.parametrize(("payload", "error"), [
    ({"question": 999999, "action": "approve"}, "unknown_question"),
    ({"question": "own", "action": "explode"}, "unknown_action"),
    ({"question": "hidden", "action": "pin"}, "not_pinnable"),
    (None, "bad_request"),
])
def test_moderate_errors(live_app, auth_client, payload, error):
    event = live_event()
    question = services.ask(event, "asker", "Q ?")
    hidden = services.ask(event, "asker", "Cachée ?")
    services.moderate(event, hidden.id, "hide")
    moderator = moderator_client(live_app)
    moderator.emit("join", {"event": event.slug}, namespace=NS, callback=True)
    if payload is not None:
        payload = {**payload, "question": {"own": question.id, "hidden": hidden.id}.get(
            payload["question"], payload["question"])}
    ack = moderator.emit("moderate", payload, namespace=NS, callback=True)
    assert ack["ok"] is False and ack["error"] == error


def test_moderator_by_bearer_token_sees_pending_and_pins(live_app, auth_client):
    event = live_event()
    question = services.ask(event, "asker", "Secrète ?")
    token = auth_client.token("moderator")["Authorization"].split()[1]
    moderator = moderator_client(live_app, token=token)
    ack = moderator.emit("join", {"event": event.slug}, namespace=NS, callback=True)
    assert ack["moderator"] is True
    assert [q["text"] for q in received(moderator, "questions")[0]["questions"]] == ["Secrète ?"]
    pin = moderator.emit("moderate", {"question": question.id, "action": "pin"}, namespace=NS,
                         callback=True)
    assert pin["question"]["pinned"] is True and pin["question"]["status"] == "approved"
    for action in ("unpin", "answer"):
        assert moderator.emit("moderate", {"question": question.id, "action": action},
                              namespace=NS, callback=True)["ok"]
    assert services.questions_for(event, moderator=True).questions[0].status == "answered"


def test_bad_token_is_refused_at_connect(live_app):
    client = socketio.test_client(live_app, namespace=NS, auth={"token": "nope"})
    assert not client.is_connected(NS)


def test_viewer_count_goes_out_on_join_and_leave(live_app):
    event = live_event()
    first = viewer_client(live_app, "v1")
    first.emit("join", {"event": event.slug}, namespace=NS, callback=True)
    second = viewer_client(live_app, "v2")
    ack = second.emit("join", {"event": event.slug}, namespace=NS, callback=True)
    assert ack["viewers"] == 2
    assert wait_for(first, "viewers", until={"count": 2})[-1] == {"count": 2}
    second.disconnect(NS)
    assert wait_for(first, "viewers", until={"count": 1})[-1] == {"count": 1}


def test_moderators_are_not_viewers_and_a_second_join_counts_once(live_app):
    event = live_event()
    viewer = viewer_client(live_app, "v1")
    viewer.emit("join", {"event": event.slug}, namespace=NS, callback=True)
    again = viewer.emit("join", {"event": event.slug}, namespace=NS, callback=True)
    moderator = moderator_client(live_app)
    watched = moderator.emit("join", {"event": event.slug}, namespace=NS, callback=True)
    other = viewer_client(live_app, "v2")
    second = other.emit("join", {"event": event.slug}, namespace=NS, callback=True)
    assert (again["viewers"], watched["moderator"], watched["viewers"], second["viewers"]) == (
        1, True, 1, 2)
