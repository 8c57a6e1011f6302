"""Registration: settings per event, registrations, workshop choices, check-in scans."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eventhub.database import UTCDateTime, utcnow
from eventhub.extensions import db
from eventhub.labels import Labelled, label_of
from eventhub.programme.models import Event, Slot


class Attendance(Labelled):
    """How a person attends."""

    ONSITE = "onsite", _l("Sur place")
    REMOTE = "remote", _l("À distance")


class Status(Labelled):
    """Where a registration stands."""

    CONFIRMED = "confirmed", _l("Confirmée")
    WAITLISTED = "waitlisted", _l("Liste d'attente")
    CANCELLED = "cancelled", _l("Annulée")


class ScanResult(Labelled):
    """The answers of the check-in API (see docs/architecture.md)."""

    OK = "ok", _l("Bienvenue !")
    ALREADY_CHECKED_IN = "already_checked_in", _l("Déjà entré(e)")
    CANCELLED = "cancelled", _l("Billet annulé")
    WAITLISTED = "waitlisted", _l("En liste d'attente : pas de place")
    REMOTE = "remote", _l("Inscription à distance")
    WRONG_EVENT = "wrong_event", _l("Billet d'un autre événement")
    INVALID = "invalid", _l("Code invalide")
    UNDONE = "undone", _l("Arrivée annulée")


class RegistrationSettings(db.Model):
    """How an event takes registrations. No row means registration is closed."""

    __tablename__ = "registration_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(
        sa.ForeignKey("event.id", ondelete="CASCADE"), unique=True
    )
    onsite_capacity: Mapped[int] = mapped_column(default=0)
    remote_capacity: Mapped[int | None] = mapped_column()
    opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    event: Mapped[Event] = relationship()

    def is_open(self, now: datetime) -> bool:
        """Whether registrations are accepted at ``now``."""
        return (self.opens_at is None or self.opens_at <= now) and (
            self.closes_at is None or now < self.closes_at
        )


class Registration(db.Model):
    """One person's registration to one event, with its ticket."""

    __tablename__ = "registration"
    __table_args__ = (sa.UniqueConstraint("event_id", "email"),
                      sa.UniqueConstraint("event_id", "short_code"))

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(
        sa.ForeignKey("event.id", ondelete="CASCADE"), index=True
    )
    # The secret of the ticket page and agenda feed; never shown at the door.
    token: Mapped[str] = mapped_column(sa.String(64), unique=True)
    # What the QR code holds (tickets.new_code): random + HMAC, nothing personal.
    code: Mapped[str] = mapped_column(sa.String(60), unique=True)
    # The same ticket typed by hand at the door (tickets.new_short_code), within its event.
    short_code: Mapped[str] = mapped_column(sa.String(8))
    name: Mapped[str] = mapped_column(sa.String(200))
    email: Mapped[str] = mapped_column(sa.String(254))
    organisation: Mapped[str] = mapped_column(sa.String(200), default="")
    attendance: Mapped[str] = mapped_column(sa.String(10), default=Attendance.ONSITE)
    status: Mapped[str] = mapped_column(sa.String(12), default=Status.CONFIRMED)
    # The interface language at registration: every mail to this person is written in it,
    # whoever triggers it.
    language: Mapped[str] = mapped_column(sa.String(10), default="fr", server_default="fr")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    checked_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    event: Mapped[Event] = relationship()
    choices: Mapped[list[Choice]] = relationship(
        back_populates="registration", cascade="all, delete-orphan", order_by="Choice.rotation"
    )

    attendance_label = label_of(Attendance, "attendance")
    status_label = label_of(Status, "status")

    @property
    def printed_short_code(self) -> str:
        """The short code as printed for people: two groups of four, easier to copy."""
        return f"{self.short_code[:4]}-{self.short_code[4:]}"


class Choice(db.Model):
    """A workshop chosen for one rotation."""

    __tablename__ = "registration_choice"
    __table_args__ = (
        sa.UniqueConstraint("registration_id", "rotation"),
        sa.UniqueConstraint("registration_id", "slot_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(
        sa.ForeignKey("registration.id", ondelete="CASCADE")
    )
    slot_id: Mapped[int] = mapped_column(sa.ForeignKey("slot.id", ondelete="CASCADE"), index=True)
    rotation: Mapped[int] = mapped_column()

    registration: Mapped[Registration] = relationship(back_populates="choices")
    slot: Mapped[Slot] = relationship()


class Scan(db.Model):
    """Every check-in attempt, failed ones too: who, when, what, and the answer given."""

    __tablename__ = "checkin_scan"
    # Also the index of the event's scans (its leading column): every door scan writes
    # a row, and a second index on event_id alone made each write a quarter dearer.
    __table_args__ = (sa.UniqueConstraint("event_id", "nonce"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("event.id", ondelete="CASCADE"))
    registration_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("registration.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    code: Mapped[str] = mapped_column(sa.String(100))
    nonce: Mapped[str | None] = mapped_column(sa.String(64))
    result: Mapped[str] = mapped_column(sa.String(20))
    scanned_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The check-in time the answer reported (``already_checked_in``), so a nonce retry
    # answers exactly as the first call did.
    first_checked_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    registration: Mapped[Registration | None] = relationship()

    result_label = label_of(ScanResult, "result")
