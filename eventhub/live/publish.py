"""What the live rooms are told: a question as each may see it, and the counts.

The live services call it once their change is committed (see docs/architecture.md,
"How a live question travels"); the Socket.IO handlers of :mod:`eventhub.live.sockets`
only answer their caller. Each event has two Socket.IO rooms: ``event:<id>`` for
viewers and ``mod:<id>`` for moderators, because they do not see the same thing of
pending and hidden questions. Vote counts and viewer counts are gathered and sent once
per tick (``LIVE_TICK_SECONDS``), not per change.
"""

from __future__ import annotations

import sqlalchemy as sa

from eventhub.coalesce import Coalescer
from eventhub.extensions import db, socketio
from eventhub.live.models import PUBLIC_STATUSES, Question, QuestionStatus
from eventhub.live.presence import presence

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


def current_votes(question_ids: list[int]) -> dict[int, int]:
    """Current vote counts of the given questions."""
    if not question_ids:
        return {}
    rows = db.session.execute(
        sa.select(Question.id, Question.votes).where(Question.id.in_(question_ids))
    )
    return dict(rows.all())


def _send_votes(changed: set[tuple[int, int]]) -> None:
    """Send the vote counts of the (event id, question id) pairs ``changed``."""
    by_event: dict[int, list[int]] = {}
    for event_id, question_id in changed:
        by_event.setdefault(event_id, []).append(question_id)
    for event_id, question_ids in by_event.items():
        counts = current_votes(sorted(question_ids))
        _emit_everyone(event_id, "votes",
                       {"questions": [{"id": i, "votes": n} for i, n in counts.items()]})


def _send_viewer_counts(event_ids: set[int]) -> None:
    for event_id in event_ids:
        _emit_everyone(event_id, "viewers", {"count": presence().count(event_id)})


# Votes and viewer counts go out once per tick, whatever the number of changes.
vote_counts = Coalescer("LIVE_TICK_SECONDS", _send_votes)
viewer_counts = Coalescer("LIVE_TICK_SECONDS", _send_viewer_counts)


def _emit_everyone(event_id: int, name: str, payload: dict) -> None:
    for room in (viewer_room(event_id), moderator_room(event_id)):
        socketio.emit(name, payload, to=room, namespace=NAMESPACE)


def broadcast(question: Question) -> None:
    """Send a new or changed question to whoever may see it, as they may see it."""
    event_id = question.event_id
    full = question.to_dict()
    socketio.emit("question", full, to=moderator_room(event_id), namespace=NAMESPACE)
    if question.status in PUBLIC_STATUSES or question.status == QuestionStatus.HIDDEN:
        socketio.emit("question", question.public_dict(), to=viewer_room(event_id),
                      namespace=NAMESPACE)
    else:
        socketio.emit("question", full, to=own_room(event_id, question.viewer),
                      namespace=NAMESPACE)
