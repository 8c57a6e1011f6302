"""Programme: series, events, rooms, slots, speakers and organisations."""

from __future__ import annotations

import uuid
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy import event as sa_event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eventhub.database import UTCDateTime, utcnow
from eventhub.extensions import db
from eventhub.labels import Labelled, label_of


class SlotKind(Labelled):
    """What a slot of the programme is."""

    WELCOME = "welcome", _l("Accueil")
    OPENING = "opening", _l("Ouverture")
    KEYNOTE = "keynote", _l("Conférence introductive")
    CONFERENCE = "conference", _l("Conférence")
    ROUND_TABLE = "round_table", _l("Table ronde")
    WORKSHOP = "workshop", _l("Atelier")
    BREAK = "break", _l("Pause")


class OrganisationRole(Labelled):
    """How an organisation takes part in an event."""

    ORGANISER = "organiser", _l("Organisateur")
    SUPPORTER = "supporter", _l("Partenaire")


class Organisation(db.Model):
    """A body that organises or supports events (Lozère Développement, MDECS…)."""

    __tablename__ = "organisation"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200), unique=True)
    short_name: Mapped[str] = mapped_column(sa.String(40), default="")
    url: Mapped[str] = mapped_column(sa.String(500), default="")
    description: Mapped[str] = mapped_column(sa.Text, default="")


class Series(db.Model):
    """A series of events, such as a tour with several stops."""

    __tablename__ = "series"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(120), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text, default="")

    stops: Mapped[list[SeriesStop]] = relationship(
        back_populates="series", cascade="all, delete-orphan", order_by="SeriesStop.position"
    )
    events: Mapped[list[Event]] = relationship(back_populates="series")


class SeriesStop(db.Model):
    """One stop of a series: a city, and the event when eventhub holds it."""

    __tablename__ = "series_stop"

    id: Mapped[int] = mapped_column(primary_key=True)
    series_id: Mapped[int] = mapped_column(sa.ForeignKey("series.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(default=0)
    city: Mapped[str] = mapped_column(sa.String(120))
    event_id: Mapped[int | None] = mapped_column(sa.ForeignKey("event.id", ondelete="SET NULL"))

    series: Mapped[Series] = relationship(back_populates="stops")
    event: Mapped[Event | None] = relationship()


class Event(db.Model):
    """An event: one or more days of slots in one place."""

    __tablename__ = "event"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(120), unique=True)
    title: Mapped[str] = mapped_column(sa.String(300))
    theme: Mapped[str] = mapped_column(sa.String(500), default="")
    description: Mapped[str] = mapped_column(sa.Text, default="")
    audience: Mapped[str] = mapped_column(sa.Text, default="")
    start_date: Mapped[date] = mapped_column(sa.Date)
    end_date: Mapped[date] = mapped_column(sa.Date)
    timezone: Mapped[str] = mapped_column(sa.String(64), default="Europe/Paris")
    venue_name: Mapped[str] = mapped_column(sa.String(200), default="")
    venue_address: Mapped[str] = mapped_column(sa.String(300), default="")
    venue_commune: Mapped[str] = mapped_column(sa.String(120), default="")
    expected_participants: Mapped[int | None] = mapped_column()
    published: Mapped[bool] = mapped_column(default=False)
    series_id: Mapped[int | None] = mapped_column(sa.ForeignKey("series.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    series: Mapped[Series | None] = relationship(back_populates="events")
    rooms: Mapped[list[Room]] = relationship(
        back_populates="event", cascade="all, delete-orphan", order_by="Room.position"
    )
    slots: Mapped[list[Slot]] = relationship(
        back_populates="event",
        cascade="all, delete-orphan",
        order_by="(Slot.starts_at, Slot.room_id, Slot.id)",
    )
    organisations: Mapped[list[EventOrganisation]] = relationship(
        back_populates="event", cascade="all, delete-orphan", order_by="EventOrganisation.position"
    )

    @property
    def location(self) -> str:
        """Venue and commune, as one line."""
        parts = [self.venue_name, self.venue_address]
        if self.venue_commune and self.venue_commune != self.venue_name:
            parts.append(self.venue_commune)
        return ", ".join(p for p in parts if p)

    def organisations_with(self, role: str) -> list[Organisation]:
        """The organisations taking part with ``role`` (organiser or supporter)."""
        return [link.organisation for link in self.organisations if link.role == role]


class EventOrganisation(db.Model):
    """An organisation's part in an event."""

    __tablename__ = "event_organisation"
    __table_args__ = (sa.UniqueConstraint("event_id", "organisation_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("event.id", ondelete="CASCADE"))
    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisation.id", ondelete="CASCADE")
    )
    role: Mapped[str] = mapped_column(sa.String(20), default=OrganisationRole.ORGANISER)
    position: Mapped[int] = mapped_column(default=0)

    event: Mapped[Event] = relationship(back_populates="organisations")
    organisation: Mapped[Organisation] = relationship()


class Room(db.Model):
    """A room of an event, where slots take place side by side."""

    __tablename__ = "room"
    __table_args__ = (sa.UniqueConstraint("event_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("event.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(sa.String(120))
    position: Mapped[int] = mapped_column(default=0)
    capacity: Mapped[int | None] = mapped_column()

    event: Mapped[Event] = relationship(back_populates="rooms")


class Speaker(db.Model):
    """A person who speaks at one or more events."""

    __tablename__ = "speaker"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(120), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    affiliation: Mapped[str] = mapped_column(sa.String(300), default="")
    bio: Mapped[str] = mapped_column(sa.Text, default="")
    url: Mapped[str] = mapped_column(sa.String(500), default="")

    slot_links: Mapped[list[SlotSpeaker]] = relationship(
        back_populates="speaker", cascade="all, delete-orphan"
    )


class Slot(db.Model):
    """A time slot of an event: a talk, a round table, a workshop, a break…

    ``uid`` never changes, so calendars recognise the slot across exports;
    ``sequence`` grows each time something a calendar shows changes.
    """

    __tablename__ = "slot"

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(sa.String(64), unique=True, default=lambda: str(uuid.uuid4()))
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("event.id", ondelete="CASCADE"), index=True)
    room_id: Mapped[int | None] = mapped_column(sa.ForeignKey("room.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(sa.String(20), default=SlotKind.CONFERENCE)
    title: Mapped[str] = mapped_column(sa.String(300))
    abstract: Mapped[str] = mapped_column(sa.Text, default="")
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    rotation: Mapped[int | None] = mapped_column()
    capacity: Mapped[int | None] = mapped_column()
    remote_speaker: Mapped[bool] = mapped_column(default=False)
    replay_url: Mapped[str] = mapped_column(sa.String(500), default="")
    slides_url: Mapped[str] = mapped_column(sa.String(500), default="")
    sequence: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    event: Mapped[Event] = relationship(back_populates="slots")
    room: Mapped[Room | None] = relationship()
    speaker_links: Mapped[list[SlotSpeaker]] = relationship(
        back_populates="slot", cascade="all, delete-orphan", order_by="SlotSpeaker.position"
    )

    @property
    def speakers(self) -> list[Speaker]:
        """The slot's speakers, in the order given."""
        return [link.speaker for link in self.speaker_links]

    kind_label = label_of(SlotKind, "kind")


class SlotSpeaker(db.Model):
    """A speaker's place in a slot."""

    __tablename__ = "slot_speaker"
    __table_args__ = (sa.UniqueConstraint("slot_id", "speaker_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    slot_id: Mapped[int] = mapped_column(sa.ForeignKey("slot.id", ondelete="CASCADE"))
    speaker_id: Mapped[int] = mapped_column(sa.ForeignKey("speaker.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(default=0)

    slot: Mapped[Slot] = relationship(back_populates="speaker_links")
    speaker: Mapped[Speaker] = relationship(back_populates="slot_links")


# What a calendar shows of a slot; a change to any of these bumps its SEQUENCE.
CALENDAR_FIELDS = ("title", "abstract", "starts_at", "ends_at", "room_id", "kind")


def bump_sequence(slot: Slot) -> None:
    """Mark a slot as changed for calendars (its speakers changed, for instance)."""
    slot.sequence = (slot.sequence or 0) + 1
    slot.updated_at = utcnow()


@sa_event.listens_for(Slot, "before_update")
def _bump_on_change(mapper, connection, slot: Slot) -> None:
    """Grow SEQUENCE whenever a calendar-visible field of the slot really changed."""
    state = sa.inspect(slot)
    for name in CALENDAR_FIELDS:
        history = state.attrs[name].history
        if history.has_changes() and list(history.deleted) != list(history.added):
            bump_sequence(slot)
            return
