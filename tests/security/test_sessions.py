"""Issue 12, item 3: logging out, a new password, a new role or a disabled account end
the account's sessions, captured cookies and remember cookies included."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

import pytest

from eventhub.accounts import services
from eventhub.accounts.models import User
from eventhub.extensions import db, socketio
from eventhub.live import services as live_services
from tests.conftest import PASSWORD, AuthActions
from tests.live.helpers import live_event

SCANNER = "/manage/events/rencontres/scanner"


@pytest.fixture
def event(make_event):
    return make_event()


def _replay(app, **cookies):
    """A new client (another machine) holding only the captured ``cookies``."""
    thief = app.test_client()
    for name, value in cookies.items():
        thief.set_cookie(name, value)
    return thief


def _opens_scanner(client) -> bool:
    return client.get(SCANNER).status_code == 200


def test_captured_session_cookie_is_dead_after_logout(app, client, auth, event):
    auth.login("door")
    captured = client.get_cookie("session").value
    assert _opens_scanner(_replay(app, session=captured))
    client.post("/logout")
    assert not _opens_scanner(_replay(app, session=captured))


def test_replayed_remember_cookie_is_dead_after_logout(app, client, auth, event):
    user = auth.create("door")
    client.post("/login", data={"email": user.email, "password": PASSWORD, "remember": "y"})
    remember = client.get_cookie("remember_token").value
    assert _opens_scanner(_replay(app, remember_token=remember))
    client.post("/logout")
    assert not _opens_scanner(_replay(app, remember_token=remember))


def test_remember_cookie_lasts_thirty_days(client, auth):
    user = auth.create("door")
    response = client.post("/login", data={"email": user.email, "password": PASSWORD,
                                           "remember": "y"})
    cookie = next(h for h in response.headers.getlist("Set-Cookie")
                  if h.startswith("remember_token="))
    expires = parsedate_to_datetime(cookie.split("Expires=")[1].split(";")[0])
    assert timedelta(days=29) < expires - datetime.now(UTC) <= timedelta(days=30)


@pytest.mark.parametrize("change", ["password", "role", "deactivate", "everywhere"])
def test_account_changes_end_its_sessions(app, client, event, change):
    door = AuthActions(client).login("door")
    admin = app.test_client()
    AuthActions(admin).login("admin")
    assert _opens_scanner(client)
    if change == "password":
        services.set_password(db.session.get(User, door.id), "another long password")
    elif change == "role":
        admin.post(f"/admin/users/{door.id}", data={"role": "organiser", "active": "y"})
    elif change == "deactivate":
        admin.post(f"/admin/users/{door.id}", data={"role": "door"})
    else:
        admin.post(f"/admin/users/{door.id}/logout-everywhere")
    assert not _opens_scanner(client)
    assert _opens_scanner(admin)


def test_saving_an_unchanged_account_keeps_its_sessions(app, client, event):
    door = AuthActions(client).login("door")
    admin = app.test_client()
    AuthActions(admin).login("admin")
    admin.post(f"/admin/users/{door.id}", data={"role": "door", "active": "y"})
    assert _opens_scanner(client)


def test_moderator_socket_stops_moderating_once_deactivated(make_app):
    app = make_app(LIVE_TICK_SECONDS=0.05)
    with app.app_context():
        event = live_event()
        question = live_services.ask(event, "viewer", "Une question ?")
        http = app.test_client()
        moderator = AuthActions(http).login("moderator")
        sock = socketio.test_client(app, namespace="/live", flask_test_client=http)
        sock.emit("join", {"event": event.slug}, namespace="/live", callback=True)
        user = db.session.get(User, moderator.id)
        user.active = False
        db.session.commit()
        ack = sock.emit("moderate", {"question": question.id, "action": "approve"},
                        namespace="/live", callback=True)
        assert ack["ok"] is False and ack["error"] == "forbidden"
        db.session.expire_all()
        assert live_services.questions_for(event, None, True, None).questions[0].status \
            == "pending"
        sock.disconnect(namespace="/live")


def test_moderator_socket_stops_moderating_once_logged_out(make_app):
    app = make_app(LIVE_TICK_SECONDS=0.05)
    with app.app_context():
        event = live_event()
        question = live_services.ask(event, "viewer", "Une question ?")
        http = app.test_client()
        AuthActions(http).login("moderator")
        sock = socketio.test_client(app, namespace="/live", flask_test_client=http)
        sock.emit("join", {"event": event.slug}, namespace="/live", callback=True)
        http.post("/logout")
        ack = sock.emit("moderate", {"question": question.id, "action": "approve"},
                        namespace="/live", callback=True)
        assert ack["ok"] is False and ack["error"] == "forbidden"
        rejoined = sock.emit("join", {"event": event.slug}, namespace="/live", callback=True)
        assert rejoined["moderator"] is False
        sock.disconnect(namespace="/live")
