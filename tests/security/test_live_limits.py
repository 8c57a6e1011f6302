"""Issue 12, item 4: one address cannot flood the live Q&A with fresh cookies, while a
room of 120 people behind one address can still ask and vote."""

from __future__ import annotations

import time

import pytest
import sqlalchemy as sa

from eventhub.extensions import db, socketio
from eventhub.live import services
from eventhub.live.models import Question
from eventhub.live.viewer import COOKIE
from tests.live.helpers import live_event


@pytest.fixture
def live_app(make_app):
    """Production limits, except that a cookie earns its right after 2 s rather than 20."""
    application = make_app(LIVE_VIEWER_MIN_AGE=2)
    with application.app_context():
        yield application


def _fresh_cookie(app, slug: str):
    """A viewer with the cookie the live page hands to a new visitor."""
    client = app.test_client()
    client.get(f"/events/{slug}/live")
    assert client.get_cookie(COOKIE) is not None
    return client


def _wait_until_aged() -> None:
    time.sleep(3.1)  # the cookie's time is in whole seconds


def _ask(client, slug: str, text: str) -> None:
    client.post(f"/events/{slug}/live/questions", data={"text": text})


def _asked() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Question))


def test_one_address_cannot_flood_questions_with_fresh_cookies(live_app):
    event = live_event()
    viewers = []
    for number in range(50):
        viewers.append(_fresh_cookie(live_app, event.slug))
        _ask(viewers[-1], event.slug, f"Flood {number}")
    assert _asked() == 0  # brand-new cookies have not earned the right to ask
    _wait_until_aged()
    for number, client in enumerate(viewers):
        _ask(client, event.slug, f"Flood {number}")
    assert _asked() == 20  # the address's ceiling per minute


def test_one_address_cannot_stuff_votes_with_fresh_cookies(live_app):
    event = live_event(premoderation=False)
    question = services.ask(event, "someone", "Une vraie question ?")
    url = f"/events/{event.slug}/live/questions/{question.id}/vote"
    for _ in range(30):
        _fresh_cookie(live_app, event.slug).post(url)
    db.session.refresh(question)
    assert question.votes == 0


def test_socket_asks_from_fresh_cookies_are_refused(live_app):
    event = live_event()
    http = _fresh_cookie(live_app, event.slug)
    sock = socketio.test_client(live_app, namespace="/live", flask_test_client=http)
    sock.emit("join", {"event": event.slug}, namespace="/live", callback=True)
    ack = sock.emit("ask", {"text": "Trop tôt ?"}, namespace="/live", callback=True)
    assert ack["ok"] is False and ack["error"] == "too_soon"
    _wait_until_aged()
    ack = sock.emit("ask", {"text": "Et maintenant ?"}, namespace="/live", callback=True)
    assert ack["ok"] is True
    sock.disconnect(namespace="/live")


def test_a_full_room_on_one_address_asks_and_votes(live_app):
    event = live_event(premoderation=False)
    question = services.ask(event, "someone", "La question de la salle ?")
    room = [_fresh_cookie(live_app, event.slug) for _ in range(120)]
    _wait_until_aged()
    for client in room:
        client.post(f"/events/{event.slug}/live/questions/{question.id}/vote")
    for number, client in enumerate(room[:15]):
        _ask(client, event.slug, f"Question {number} de la salle")
    db.session.refresh(question)
    assert question.votes == 120
    assert _asked() == 1 + 15
