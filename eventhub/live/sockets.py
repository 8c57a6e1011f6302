"""Socket.IO namespace ``/live``: join, ask, vote, moderate.

Handlers parse, call :mod:`eventhub.live.services` and acknowledge; the services tell
the rooms (:mod:`eventhub.live.publish`). Joining puts a socket in its event's room:
``event:<id>`` for viewers, ``mod:<id>`` for moderators.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import request
from flask_babel import gettext as _
from flask_socketio import emit, join_room, leave_room

from eventhub.accounts.auth import signed_in, socket_user
from eventhub.accounts.roles import Role
from eventhub.accounts.services import user_for_token
from eventhub.errors import Refused
from eventhub.extensions import db, socketio
from eventhub.live import ratelimit, services
from eventhub.live.presence import presence
from eventhub.live.publish import (
    NAMESPACE,
    moderator_room,
    own_room,
    viewer_counts,
    viewer_room,
)
from eventhub.live.viewer import COOKIE, read
from eventhub.programme.models import Event
from eventhub.programme.services import find_event


@dataclass
class Client:
    """What this process knows of a connected socket."""

    viewer: str | None
    moderator: bool
    # When the viewer's cookie was issued; None for an account without one.
    viewer_since: float | None = None
    # How the moderator signed in, to check again on each ``moderate``: the session's
    # id (account and stamp) or the bearer token.
    session_id: str | None = None
    token: str | None = None
    event_id: int | None = None
    room_id: int | None = None
    slot_id: int | None = None


# Per process; sticky sessions keep a socket on the process that knows it.
_clients: dict[str, Client] = {}


def _fail(code: str, message: str) -> dict:
    return {"ok": False, "error": code, "message": message}


def _payload(data: object) -> dict:
    if not isinstance(data, dict):
        raise Refused("bad_request", _("Le message doit être un objet JSON."))
    return data


def _optional_int(data: dict, key: str) -> int | None:
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool):
        raise Refused("bad_request", _("Le champ %(field)s doit être un nombre.", field=key))
    return value


def _joined() -> tuple[Client, Event]:
    client = _clients.get(request.sid)
    event = db.session.get(Event, client.event_id) if client and client.event_id else None
    if client is None or event is None:
        raise Refused("not_joined", _("Rejoignez d'abord le direct d'un événement."))
    return client, event


def _viewer(client: Client) -> str:
    if not client.viewer:
        raise Refused("no_viewer",
                      _("Rechargez la page du direct pour pouvoir poser une question ou voter."))
    return client.viewer


def _acknowledged(handler):
    """Turn ``Refused`` into ``{ok: false, error, message}``; others answer ``{ok: true, …}``."""

    def wrapped(data=None):
        try:
            return {"ok": True, **handler(data)}
        except Refused as exc:
            db.session.rollback()
            return _fail(exc.code, exc.message)

    wrapped.__name__ = handler.__name__
    wrapped.__doc__ = handler.__doc__
    return wrapped


def on_connect(auth=None):
    """Recognise the viewer (signed cookie) and a moderator (session or ``auth.token``)."""
    auth = auth if isinstance(auth, dict) else {}
    user = socket_user(auth)
    moderator = user is not None and user.can(Role.MODERATOR)
    cookie = read(request.cookies.get(COOKIE)) or read(auth.get("viewer"))
    viewer, since = cookie if cookie else (None, None)
    if viewer is None and user is not None:
        viewer = f"user:{user.id}"
    client = Client(viewer=viewer, moderator=moderator, viewer_since=since)
    if moderator:
        if auth.get("token"):
            client.token = str(auth["token"])
        else:
            client.session_id = user.get_id()
    _clients[request.sid] = client


def _still_moderator(client: Client) -> bool:
    """Whether the account this socket signed in with may still moderate: deactivated,
    demoted, logged out or its token revoked since, it may not."""
    if not client.moderator:
        return False
    user = signed_in(client.session_id) if client.session_id else user_for_token(client.token)
    return user is not None and user.can("moderator")


def on_disconnect(reason=None):
    """Forget the socket and its presence."""
    client = _clients.pop(request.sid, None)
    if client and client.event_id:
        presence().leave(client.event_id, request.sid)
        viewer_counts.changed(client.event_id)


@_acknowledged
def on_join(data):
    """``join {event, room?, slot?, since?}``: enter the event's room, receive ``questions``."""
    data = _payload(data)
    client = _clients.get(request.sid)
    event = find_event(str(data.get("event", "")))
    if event is None or client is None:
        raise Refused("unknown_event", _("Cet événement n'existe pas."))
    room = services.event_room(event, _optional_int(data, "room"))
    slot = services.pick_slot(event, _optional_int(data, "slot"), room)
    since = _optional_int(data, "since")
    # A moderator sees pending and hidden questions: the account is checked again.
    client.moderator = _still_moderator(client)
    if client.event_id:
        for name in (viewer_room(client.event_id), moderator_room(client.event_id)):
            leave_room(name)
        if client.viewer:
            leave_room(own_room(client.event_id, client.viewer))
        presence().leave(client.event_id, request.sid)
        viewer_counts.changed(client.event_id)
    client.event_id, client.room_id = event.id, room.id if room else None
    client.slot_id = slot.id if slot and data.get("slot") is not None else None
    join_room(moderator_room(event.id) if client.moderator else viewer_room(event.id))
    if client.viewer:
        join_room(own_room(event.id, client.viewer))
    if not client.moderator:
        presence().enter(event.id, request.sid)
        viewer_counts.changed(event.id)
    listing = services.questions_for(event, client.viewer, client.moderator, since)
    emit("questions", {
        "version": listing.version,
        "full": since is None,
        "questions": [q.to_dict() if client.moderator else q.public_dict(client.viewer)
                      for q in listing.questions],
    })
    return {"event": event.slug, "version": listing.version, "moderator": client.moderator,
            "slot": slot.id if slot else None, "viewers": presence().count(event.id)}


@_acknowledged
def on_ask(data):
    """``ask {text, name?, slot?}``: acknowledged with the new question."""
    data = _payload(data)
    client, event = _joined()
    viewer = _viewer(client)
    slot_id = _optional_int(data, "slot") or client.slot_id
    ratelimit.check("ask", viewer, request.remote_addr, client.viewer_since)
    room = services.event_room(event, client.room_id)
    question = services.ask(event, viewer, data.get("text"), data.get("name") or "",
                            slot_id=slot_id, room=room)
    return {"question": question.to_dict()}


@_acknowledged
def on_vote(data):
    """``vote {question}``: one vote per viewer; counts go out on the next tick."""
    data = _payload(data)
    client, event = _joined()
    viewer = _viewer(client)
    ratelimit.check("vote", viewer, request.remote_addr, client.viewer_since)
    question = services.vote(event, data.get("question"), viewer)
    return {"question": question.to_dict()}


@_acknowledged
def on_moderate(data):
    """``moderate {question, action}`` for moderators: approve, hide, answer, pin, unpin."""
    data = _payload(data)
    client, event = _joined()
    if not _still_moderator(client):
        raise Refused("forbidden", _("Seuls les modérateurs peuvent modérer les questions."))
    changed = services.moderate(event, data.get("question"), data.get("action"))
    return {"question": changed[0].to_dict()}


def register() -> None:
    """Attach the handlers to the app's Socket.IO server.

    Called from ``init_app``: each ``socketio.init_app`` builds a new server, and
    Flask-SocketIO only replays decorators that ran before the first one.
    """
    for name, handler in (("connect", on_connect), ("disconnect", on_disconnect),
                          ("join", on_join), ("ask", on_ask), ("vote", on_vote),
                          ("moderate", on_moderate)):
        socketio.on_event(name, handler, namespace=NAMESPACE)
