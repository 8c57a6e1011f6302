"""Live: stream sources, moderation settings, questions and votes."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eventhub.database import UTCDateTime, utcnow
from eventhub.extensions import db
from eventhub.labels import Labelled, label_of
from eventhub.programme.models import Event, Room, Slot

QUESTION_MAX_LENGTH = 300
NAME_MAX_LENGTH = 80


class QuestionStatus(Labelled):
    """Where a question stands in moderation."""

    PENDING = "pending", _l("En attente de validation")
    APPROVED = "approved", _l("Publiée")
    HIDDEN = "hidden", _l("Masquée")
    ANSWERED = "answered", _l("Répondue")


# What viewers (not moderators) see of the list.
PUBLIC_STATUSES = (QuestionStatus.APPROVED, QuestionStatus.ANSWERED)


class StreamSource(db.Model):
    """The stream of an event (``room_id`` empty) or of one of its rooms."""

    __tablename__ = "live_stream"
    __table_args__ = (sa.UniqueConstraint("event_id", "room_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("event.id", ondelete="CASCADE"))
    room_id: Mapped[int | None] = mapped_column(sa.ForeignKey("room.id", ondelete="CASCADE"))
    url: Mapped[str] = mapped_column(sa.String(500))
    provider: Mapped[str] = mapped_column(sa.String(20))
    embed_url: Mapped[str] = mapped_column(sa.String(500))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    event: Mapped[Event] = relationship()
    room: Mapped[Room | None] = relationship()


class LiveSettings(db.Model):
    """Per-event moderation settings and the version counter of the event's live room.

    ``version`` grows with every change to the event's questions, so a client that
    reconnects can ask for what changed since the version it last saw.
    """

    __tablename__ = "live_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(
        sa.ForeignKey("event.id", ondelete="CASCADE"), unique=True
    )
    premoderation: Mapped[bool] = mapped_column(default=True)
    version: Mapped[int] = mapped_column(default=0)

    event: Mapped[Event] = relationship()


class Question(db.Model):
    """A question from the audience, attached to a slot of the programme."""

    __tablename__ = "live_question"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(
        sa.ForeignKey("event.id", ondelete="CASCADE"), index=True
    )
    slot_id: Mapped[int | None] = mapped_column(sa.ForeignKey("slot.id", ondelete="SET NULL"))
    viewer: Mapped[str] = mapped_column(sa.String(64))
    name: Mapped[str] = mapped_column(sa.String(NAME_MAX_LENGTH), default="")
    text: Mapped[str] = mapped_column(sa.String(QUESTION_MAX_LENGTH))
    status: Mapped[str] = mapped_column(sa.String(20), default=QuestionStatus.PENDING)
    pinned: Mapped[bool] = mapped_column(default=False)
    votes: Mapped[int] = mapped_column(default=0)
    version: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    event: Mapped[Event] = relationship()
    slot: Mapped[Slot | None] = relationship()

    status_label = label_of(QuestionStatus, "status")

    def to_dict(self) -> dict:
        """The question as it travels over Socket.IO (see docs/architecture.md)."""
        return {
            "id": self.id,
            "text": self.text,
            "name": self.name,
            "votes": self.votes,
            "status": self.status,
            "pinned": self.pinned,
            "slot": self.slot_id,
            "created_at": self.created_at.isoformat(),
        }

    def public_dict(self, viewer: str | None = None) -> dict:
        """The question as ``viewer`` may see it: the text of a hidden question, and of
        someone else's pending one, is withheld."""
        data = self.to_dict()
        own = viewer is not None and self.viewer == viewer
        if self.status == QuestionStatus.HIDDEN or (
                self.status == QuestionStatus.PENDING and not own):
            data.update(text="", name="")
        return data


class Vote(db.Model):
    """One viewer's vote for a question; the unique constraint makes it one per viewer."""

    __tablename__ = "live_vote"
    __table_args__ = (sa.UniqueConstraint("question_id", "viewer"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(
        sa.ForeignKey("live_question.id", ondelete="CASCADE")
    )
    viewer: Mapped[str] = mapped_column(sa.String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
