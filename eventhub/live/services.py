"""Live rules: streams, the slot on air, asking, voting and moderating questions.

Plain functions over the models; Socket.IO handlers and views call them and turn
:class:`~eventhub.errors.Refused` into an acknowledgement or a form message.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from eventhub.database import utcnow, write_transaction
from eventhub.errors import Refused
from eventhub.extensions import db
from eventhub.live import publish
from eventhub.live.embed import Embed, UnsupportedStream, parse_stream_url
from eventhub.live.models import (
    NAME_MAX_LENGTH,
    PUBLIC_STATUSES,
    QUESTION_MAX_LENGTH,
    LiveSettings,
    Question,
    QuestionStatus,
    StreamSource,
    Vote,
)
from eventhub.programme.models import Event, Room, Slot

# The longest text ``ask`` cleans: room for spaces and control characters around a
# question of QUESTION_MAX_LENGTH, not for a megabyte.
RAW_QUESTION_MAX_LENGTH = 4 * QUESTION_MAX_LENGTH
MODERATION_ACTIONS = ("approve", "hide", "answer", "pin", "unpin")


# --- Events, rooms and the programme -------------------------------------------------


def event_room(event: Event, room_id: int | None) -> Room | None:
    """The room ``room_id`` of ``event``; ``unknown_room`` when it is not one of its rooms."""
    if room_id is None:
        return None
    room = db.session.get(Room, room_id)
    if room is None or room.event_id != event.id:
        raise Refused("unknown_room", _("Cette salle n'existe pas pour cet événement."))
    return room


def _slots(event: Event, room: Room | None):
    query = sa.select(Slot).where(Slot.event_id == event.id)
    if room is not None:
        # A room's page also follows the plenary slots, which have no room.
        query = query.where(sa.or_(Slot.room_id == room.id, Slot.room_id.is_(None)))
    return query.order_by(Slot.starts_at, Slot.room_id, Slot.id)


def current_slot(event: Event, room: Room | None = None,
                 now: datetime | None = None) -> Slot | None:
    """The slot on air at ``now`` (in ``room`` when given)."""
    now = now or utcnow()
    return db.session.scalars(
        _slots(event, room).where(Slot.starts_at <= now, Slot.ends_at > now)
    ).first()


def next_slot(event: Event, room: Room | None = None, now: datetime | None = None) -> Slot | None:
    """The next slot to start after ``now`` (in ``room`` when given)."""
    now = now or utcnow()
    return db.session.scalars(_slots(event, room).where(Slot.starts_at > now)).first()


def last_slot(event: Event, room: Room | None = None) -> Slot | None:
    """The slot that ends last (its replay is what a late viewer wants)."""
    return db.session.scalars(
        _slots(event, room).order_by(None).order_by(Slot.ends_at.desc(), Slot.id.desc())
    ).first()


def event_slots(event: Event, room: Room | None = None) -> list[Slot]:
    """Every slot of the event (or of ``room`` plus the plenary ones), in time order."""
    return list(db.session.scalars(_slots(event, room)))


def pick_slot(event: Event, slot_id: int | None, room: Room | None = None,
              now: datetime | None = None) -> Slot | None:
    """The slot a question goes to: the one picked, else the one on air."""
    if slot_id is None:
        return current_slot(event, room, now)
    slot = db.session.get(Slot, slot_id)
    if slot is None or slot.event_id != event.id:
        raise Refused("unknown_slot", _("Ce créneau n'appartient pas à cet événement."))
    return slot


# --- Streams ------------------------------------------------------------------------


def stream_for(event: Event, room: Room | None = None) -> StreamSource | None:
    """The stream of ``room``, else the event's own."""
    sources = db.session.scalars(
        sa.select(StreamSource).where(StreamSource.event_id == event.id)
    ).all()
    by_room = {source.room_id: source for source in sources}
    if room is not None and room.id in by_room:
        return by_room[room.id]
    return by_room.get(None)


def set_stream(event: Event, url: str, room: Room | None = None) -> StreamSource | None:
    """Save (or with an empty ``url``, remove) the stream of the event or of ``room``.

    Refuses (``unsupported_stream``) with the accepted forms for anything else.
    """
    room_id = room.id if room is not None else None
    source = db.session.scalar(
        sa.select(StreamSource).where(
            StreamSource.event_id == event.id,
            # Compared with None, SQLAlchemy writes IS NULL: the event's own stream.
            StreamSource.room_id == room_id,
        )
    )
    if not (url or "").strip():
        if source is not None:
            db.session.delete(source)
            db.session.commit()
        return None
    try:
        embed: Embed = parse_stream_url(url)
    except UnsupportedStream as exc:
        raise Refused("unsupported_stream", str(exc)) from exc
    if source is None:
        source = StreamSource(event=event, room_id=room_id)
        db.session.add(source)
    source.url = url.strip()
    source.provider = embed.provider
    source.embed_url = embed.embed_url
    db.session.commit()
    return source


# --- Settings and the room version --------------------------------------------------


def settings_for(event: Event) -> LiveSettings:
    """The event's live settings, created the first time with the model's defaults
    (pre-moderation on, version 0)."""
    settings = db.session.scalar(sa.select(LiveSettings).where(LiveSettings.event_id == event.id))
    if settings is not None:
        return settings
    try:
        with db.session.begin_nested():
            settings = LiveSettings(event_id=event.id)
            db.session.add(settings)
        db.session.commit()
    except IntegrityError:
        # Another request created it at the same moment.
        db.session.rollback()
        settings = db.session.scalar(
            sa.select(LiveSettings).where(LiveSettings.event_id == event.id)
        )
    return settings


def set_premoderation(event: Event, enabled: bool) -> LiveSettings:
    """Switch pre-moderation of the event's questions on or off."""
    settings = settings_for(event)
    settings.premoderation = enabled
    db.session.commit()
    return settings


def _bump_version(event_id: int) -> int:
    """Grow the event room's version inside the current transaction and return it."""
    db.session.execute(
        sa.update(LiveSettings)
        .where(LiveSettings.event_id == event_id)
        .values(version=LiveSettings.version + 1)
    )
    return db.session.scalar(
        sa.select(LiveSettings.version).where(LiveSettings.event_id == event_id)
    )


# --- Questions ----------------------------------------------------------------------


def clean_text(text: object, limit: int) -> str:
    """``text`` as a stripped string with control characters removed, or ``""``."""
    if not isinstance(text, str):
        return ""
    kept = "".join(c for c in text if c == "\n" or c.isprintable())
    return kept.strip()[: limit + 1]


def ask(event: Event, viewer: str, text: object, name: object = "", slot_id: int | None = None,
        room: Room | None = None, now: datetime | None = None) -> Question:
    """Record a question from ``viewer`` and send it to whoever may see it; it waits for
    approval when pre-moderation is on."""
    # Refused before cleaning, which walks every character: a megabyte of text would
    # hold the worker for a second.
    if isinstance(text, str) and len(text) > RAW_QUESTION_MAX_LENGTH:
        raise Refused(
            "question_too_long",
            _("La question dépasse %(max)d caractères.", max=QUESTION_MAX_LENGTH),
        )
    body = clean_text(text, QUESTION_MAX_LENGTH)
    if not body:
        raise Refused("empty_question", _("La question est vide."))
    if len(body) > QUESTION_MAX_LENGTH:
        raise Refused(
            "question_too_long",
            _("La question dépasse %(max)d caractères.", max=QUESTION_MAX_LENGTH),
        )
    author = clean_text(name, NAME_MAX_LENGTH)[:NAME_MAX_LENGTH]
    slot = pick_slot(event, slot_id, room, now)
    settings = settings_for(event)
    status = QuestionStatus.PENDING if settings.premoderation else QuestionStatus.APPROVED
    with write_transaction():
        version = _bump_version(event.id)
        question = Question(event_id=event.id, slot_id=slot.id if slot else None, viewer=viewer,
                            name=author, text=body, status=status, version=version)
        db.session.add(question)
    publish.broadcast(question)
    return question


def _event_question(event: Event, question_id: object) -> Question:
    if not isinstance(question_id, int) or isinstance(question_id, bool):
        raise Refused("unknown_question", _("Cette question n'existe pas."))
    question = db.session.get(Question, question_id)
    if question is None or question.event_id != event.id:
        raise Refused("unknown_question", _("Cette question n'existe pas."))
    return question


def vote(event: Event, question_id: object, viewer: str) -> Question:
    """Add ``viewer``'s vote to a published question (its count goes out on the next
    tick); a second vote is refused."""
    question = _event_question(event, question_id)
    if question.status != QuestionStatus.APPROVED:
        raise Refused("not_votable", _("On ne peut voter que pour une question publiée."))
    try:
        with write_transaction():
            db.session.add(Vote(question_id=question.id, viewer=viewer))
            db.session.flush()
            version = _bump_version(event.id)
            db.session.execute(
                sa.update(Question).where(Question.id == question.id)
                .values(votes=Question.votes + 1, version=version)
            )
    except IntegrityError as exc:
        raise Refused("already_voted", _("Vous avez déjà voté pour cette question.")) from exc
    db.session.refresh(question)
    publish.vote_counts.changed((event.id, question.id))
    return question


def moderate(event: Event, question_id: object, action: object) -> list[Question]:
    """Apply a moderation ``action``, send every question that changed, and return them.

    Pinning a question publishes it and unpins the one pinned before (one at a time).
    """
    if action not in MODERATION_ACTIONS:
        raise Refused("unknown_action", _("Action de modération inconnue."))
    question = _event_question(event, question_id)
    changed = [question]
    with write_transaction():
        version = _bump_version(event.id)
        if action == "approve":
            question.status = QuestionStatus.APPROVED
        elif action == "hide":
            question.status = QuestionStatus.HIDDEN
            question.pinned = False
        elif action == "answer":
            question.status = QuestionStatus.ANSWERED
            question.pinned = False
        elif action == "pin":
            if question.status == QuestionStatus.HIDDEN:
                raise Refused("not_pinnable",
                              _("Une question masquée ne peut pas être épinglée."))
            for other in db.session.scalars(sa.select(Question).where(
                    Question.event_id == event.id, Question.pinned.is_(True),
                    Question.id != question.id)):
                other.pinned = False
                other.version = version
                changed.append(other)
            question.pinned = True
            if question.status == QuestionStatus.PENDING:
                question.status = QuestionStatus.APPROVED
        else:
            question.pinned = False
        question.version = version
    for each in changed:
        publish.broadcast(each)
    return changed


@dataclass
class Listing:
    """The questions a client sees, and the room version they reflect."""

    version: int
    questions: list[Question]


def questions_for(event: Event, viewer: str | None = None, moderator: bool = False,
                  since: int | None = None, newest_first: bool = False) -> Listing:
    """What a viewer (published plus their own pending) or a moderator (all) sees, the
    pinned question first, then the most voted, or the newest with ``newest_first``.

    With ``since``, only the questions changed after that room version (hidden ones
    included, so a client can drop them).
    """
    settings = settings_for(event)
    query = sa.select(Question).where(Question.event_id == event.id)
    if since is not None:
        query = query.where(Question.version > since)
    elif not moderator:
        visible = Question.status.in_(PUBLIC_STATUSES)
        if viewer:
            visible = sa.or_(visible, sa.and_(Question.viewer == viewer,
                                               Question.status == QuestionStatus.PENDING))
        query = query.where(visible)
    # The pinned question is the one the room is on: it leads whichever the order.
    query = query.order_by(Question.pinned.desc())
    if newest_first:
        query = query.order_by(Question.created_at.desc(), Question.id.desc())
    else:
        query = query.order_by(Question.votes.desc(), Question.created_at, Question.id)
    return Listing(settings.version, list(db.session.scalars(query)))


def pinned_question(event: Event) -> Question | None:
    """The pinned question of the event, if any."""
    return db.session.scalar(
        sa.select(Question).where(Question.event_id == event.id, Question.pinned.is_(True))
    )


def top_questions(event: Event, limit: int = 3) -> list[Question]:
    """The most voted published questions that are not pinned."""
    return list(db.session.scalars(
        sa.select(Question)
        .where(Question.event_id == event.id, Question.status == QuestionStatus.APPROVED,
               Question.pinned.is_(False))
        .order_by(Question.votes.desc(), Question.created_at, Question.id)
        .limit(limit)
    ))


class Phase(StrEnum):
    """Where a live stands: the page says it, and offers only what makes sense then."""

    BEFORE = "before"
    DURING = "during"
    BREAK = "break"  # between two slots of the programme
    AFTER = "after"


def phase(slots: list[Slot], now: datetime | None = None) -> Phase:
    """The phase of the live whose programme is ``slots`` at ``now``.

    A live without a programme makes no claim: it is taken as running.
    """
    now = now or utcnow()
    if not slots:
        return Phase.DURING
    if now >= max(slot.ends_at for slot in slots):
        return Phase.AFTER
    if now < min(slot.starts_at for slot in slots):
        return Phase.BEFORE
    if any(slot.starts_at <= now < slot.ends_at for slot in slots):
        return Phase.DURING
    return Phase.BREAK


def actions_for(question: Question) -> list[str]:
    """The moderation actions that fit ``question``'s state, the most likely first.

    A waiting question is published or hidden; a published one is answered, pinned or
    unpinned (whichever it is not), or hidden; an answered or hidden one can be
    published again. The console's script offers the same (static/js/live-console.js).
    """
    if question.status == QuestionStatus.PENDING:
        return ["approve", "hide"]
    if question.status == QuestionStatus.APPROVED:
        return ["answer", "unpin" if question.pinned else "pin", "hide"]
    return ["approve"]


def console_queue(questions: list[Question]) -> dict[str, list[Question]]:
    """The moderation console's lists: waiting questions oldest first (a queue), then the
    published ones as the room ranks them (the pinned one, then by votes), then the
    answered and the hidden, newest first."""
    by_status: dict[str, list[Question]] = {status: [] for status in QuestionStatus}
    for question in questions:
        by_status[question.status].append(question)
    newest_first = sorted(questions, key=lambda q: (q.created_at, q.id), reverse=True)
    return {
        "pending": sorted(by_status["pending"], key=lambda q: (q.created_at, q.id)),
        "approved": sorted(by_status["approved"],
                           key=lambda q: (not q.pinned, -q.votes, q.created_at, q.id)),
        "answered": [q for q in newest_first if q.status == QuestionStatus.ANSWERED],
        "hidden": [q for q in newest_first if q.status == QuestionStatus.HIDDEN],
    }


def voted_by(event: Event, viewer: str | None) -> set[int]:
    """The questions of ``event`` that ``viewer`` has voted for (shown as voted)."""
    if not viewer:
        return set()
    return set(db.session.scalars(
        sa.select(Vote.question_id).join(Question)
        .where(Question.event_id == event.id, Vote.viewer == viewer)))
