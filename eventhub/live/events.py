"""Socket.IO namespace ``/live`` (DESIGN.md): join, ask, vote, moderate.

Handlers parse, call :mod:`eventhub.live.services` and emit. Each event room has two
Socket.IO rooms: ``event:<id>`` for viewers and ``mod:<id>`` for moderators, because
they do not see the same thing of pending and hidden questions. Vote counts and viewer
counts are gathered and sent once per tick (``LIVE_TICK_SECONDS``), not per change.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from flask import current_app, g, request
from flask_babel import gettext as _
from flask_login import current_user
from flask_socketio import ConnectionRefusedError, emit, join_room, leave_room

from eventhub.accounts.services import user_for_token
from eventhub.errors import Refused
from eventhub.extensions import db, socketio
from eventhub.live import ratelimit, services
from eventhub.live.models import Question, QuestionStatus
from eventhub.live.presence import presence
from eventhub.live.viewer import COOKIE, viewer_id
from eventhub.programme.models import Event
from eventhub.programme.services import find_event

NAMESPACE = "/live"


def viewer_room(event_id: int) -> str:
    """The Socket.IO room of an event's viewers."""
    return f"event:{event_id}"


def moderator_room(event_id: int) -> str:
    """The Socket.IO room of an event's moderators."""
    return f"mod:{event_id}"


def own_room(event_id: int, viewer: str) -> str:
    """The Socket.IO room of one viewer's tabs (their pending questions go there)."""
    return f"viewer:{event_id}:{viewer}"


@dataclass
class Client:
    """What this process knows of a connected socket."""

    viewer: str | None
    moderator: bool
    event_id: int | None = None
    room_id: int | None = None
    slot_id: int | None = None


# Per process; sticky sessions keep a socket on the process that knows it.
_clients: dict[str, Client] = {}


class Ticker:
    """Coalesces vote and viewer-count changes into one emission per room per tick."""

    def __init__(self):
        self._lock = threading.Lock()
        self._votes: dict[int, set[int]] = {}
        self._viewers: set[int] = set()
        self._running = False

    def votes_changed(self, event_id: int, question_id: int) -> None:
        """Remember that a question's vote count must go out."""
        with self._lock:
            self._votes.setdefault(event_id, set()).add(question_id)
        self._start()

    def viewers_changed(self, event_id: int) -> None:
        """Remember that an event's viewer count must go out."""
        with self._lock:
            self._viewers.add(event_id)
        self._start()

    def wait_idle(self, timeout: float = 5.0) -> bool:
        """Wait until nothing is left to send (shutdown, tests); whether it got idle."""
        deadline = time.monotonic() + timeout
        while self._running and time.monotonic() < deadline:
            socketio.sleep(0.02)
        return not self._running

    def _start(self) -> None:
        with self._lock:
            if self._running:
                return
            self._running = True
        socketio.start_background_task(self._run, current_app._get_current_object())

    def _run(self, app) -> None:
        # The task ends after an idle tick, so no thread outlives the traffic.
        while True:
            socketio.sleep(app.config["LIVE_TICK_SECONDS"])
            with self._lock:
                votes, self._votes = self._votes, {}
                viewers, self._viewers = self._viewers, set()
                if not votes and not viewers:
                    self._running = False
                    return
            with app.app_context():
                try:
                    self._flush(votes, viewers)
                except Exception:
                    # A failed tick must not stop the next ones.
                    app.logger.exception("live: sending vote and viewer counts failed")
                finally:
                    db.session.remove()

    @staticmethod
    def _flush(votes: dict[int, set[int]], viewers: set[int]) -> None:
        for event_id, question_ids in votes.items():
            counts = services.vote_counts(sorted(question_ids))
            payload = {"questions": [{"id": i, "votes": n} for i, n in counts.items()]}
            _emit_everyone(event_id, "votes", payload)
        for event_id in viewers:
            _emit_everyone(event_id, "viewers", {"count": presence().count(event_id)})


ticker = Ticker()


def _emit_everyone(event_id: int, name: str, payload: dict) -> None:
    for room in (viewer_room(event_id), moderator_room(event_id)):
        socketio.emit(name, payload, to=room, namespace=NAMESPACE)


def broadcast(question: Question) -> None:
    """Send a new or changed question to whoever may see it, as they may see it."""
    event_id = question.event_id
    full = question.to_dict()
    socketio.emit("question", full, to=moderator_room(event_id), namespace=NAMESPACE)
    if question.status in services.PUBLIC_STATUSES or question.status == QuestionStatus.HIDDEN:
        socketio.emit("question", services.public_view(question), to=viewer_room(event_id),
                      namespace=NAMESPACE)
    else:
        socketio.emit("question", full, to=own_room(event_id, question.viewer),
                      namespace=NAMESPACE)


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
    # ``g`` belongs to the app context, which an enclosing one (tests, tasks) may share:
    # make Flask-Login read this connection's session rather than a cached user.
    g.pop("_login_user", None)
    user = current_user if current_user.is_authenticated else None
    if auth.get("token"):
        user = user_for_token(str(auth["token"]))
        if user is None:
            raise ConnectionRefusedError({"error": "invalid_token",
                                          "message": _("Jeton invalide ou révoqué.")})
    moderator = user is not None and user.can("moderator")
    viewer = viewer_id(request.cookies.get(COOKIE)) or viewer_id(auth.get("viewer"))
    if viewer is None and user is not None:
        viewer = f"user:{user.id}"
    _clients[request.sid] = Client(viewer=viewer, moderator=moderator)


def on_disconnect(reason=None):
    """Forget the socket and count one viewer less."""
    client = _clients.pop(request.sid, None)
    if client and client.event_id:
        presence().change(client.event_id, -1)
        ticker.viewers_changed(client.event_id)


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
    if client.event_id:
        for name in (viewer_room(client.event_id), moderator_room(client.event_id)):
            leave_room(name)
        if client.viewer:
            leave_room(own_room(client.event_id, client.viewer))
        presence().change(client.event_id, -1)
        ticker.viewers_changed(client.event_id)
    client.event_id, client.room_id = event.id, room.id if room else None
    client.slot_id = slot.id if slot and data.get("slot") is not None else None
    join_room(moderator_room(event.id) if client.moderator else viewer_room(event.id))
    if client.viewer:
        join_room(own_room(event.id, client.viewer))
    presence().change(event.id, 1)
    ticker.viewers_changed(event.id)
    listing = services.questions_for(event, client.viewer, client.moderator, since)
    emit("questions", {
        "version": listing.version,
        "full": since is None,
        "questions": [q.to_dict() if client.moderator else services.public_view(q, client.viewer)
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
    ratelimit.check("ask", viewer)
    room = services.event_room(event, client.room_id)
    question = services.ask(event, viewer, data.get("text"), data.get("name") or "",
                            slot_id=slot_id, room=room)
    broadcast(question)
    return {"question": question.to_dict()}


@_acknowledged
def on_vote(data):
    """``vote {question}``: one vote per viewer; counts go out on the next tick."""
    data = _payload(data)
    client, event = _joined()
    viewer = _viewer(client)
    ratelimit.check("vote", viewer)
    question = services.vote(event, data.get("question"), viewer)
    ticker.votes_changed(event.id, question.id)
    return {"question": question.to_dict()}


@_acknowledged
def on_moderate(data):
    """``moderate {question, action}`` for moderators: approve, hide, answer, pin, unpin."""
    data = _payload(data)
    client, event = _joined()
    if not client.moderator:
        raise Refused("forbidden", _("Seuls les modérateurs peuvent modérer les questions."))
    changed = services.moderate(event, data.get("question"), data.get("action"))
    for question in changed:
        broadcast(question)
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
