"""Directory: teleworkers, venues (télécentres, comptoirs), contact messages, audit.

E-mail addresses live here and only here: nothing public ever reads them, the contact
form relays messages server-side.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eventhub.database import UTCDateTime, utcnow
from eventhub.extensions import db
from eventhub.labels import Labelled, label_of


class EntryState(Labelled):
    """Where an application stands: only approved entries are public."""

    PENDING = "pending", _l("En attente")
    APPROVED = "approved", _l("Publiée")
    REJECTED = "rejected", _l("Refusée")


class WorkerStatus(Labelled):
    """Whether a teleworker is employed or self-employed."""

    EMPLOYEE = "salarie", _l("Salarié")
    INDEPENDENT = "independant", _l("Indépendant")


class VenueKind(Labelled):
    """The kinds of place of the SoLozère network; the moderator decides it."""

    TELECENTRE = "telecentre", _l("Télécentre")
    COMPTOIR = "comptoir", _l("Comptoir")
    RESOURCE_CENTRE = "resource_centre", _l("Centre de ressources")


# The fixed list of services a venue may offer (code → label).
VENUE_SERVICES = {
    "wifi": _l("Wifi gratuit"),
    "private_offices": _l("Bureaux individuels privatifs"),
    "shared_space": _l("Espace de travail partagé"),
    "meeting_room": _l("Salle de réunion"),
    "videoconference": _l("Visioconférence"),
    "pro_connectivity": _l("Connectivité de niveau professionnel"),
    "printing": _l("Impression et photocopie"),
    "accessibility": _l("Accessible aux personnes à mobilité réduite"),
    "events": _l("Animations pour les télétravailleurs"),
}

teleworker_skill = sa.Table(
    "directory_teleworker_skill",
    db.metadata,
    sa.Column("teleworker_id", sa.ForeignKey("directory_teleworker.id", ondelete="CASCADE"),
              primary_key=True),
    sa.Column("skill_id", sa.ForeignKey("directory_skill.id", ondelete="CASCADE"),
              primary_key=True),
)


class Skill(db.Model):
    """A skill tag, shared between teleworkers; stored lower-case."""

    __tablename__ = "directory_skill"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(60), unique=True)


class Teleworker(db.Model):
    """A teleworker's entry in the directory."""

    __tablename__ = "directory_teleworker"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(140), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    status: Mapped[str] = mapped_column(sa.String(20))
    activity: Mapped[str] = mapped_column(sa.String(200))
    commune: Mapped[str] = mapped_column(sa.String(120), index=True)
    website: Mapped[str] = mapped_column(sa.String(300), default="")
    presentation: Mapped[str] = mapped_column(sa.Text, default="")
    email: Mapped[str] = mapped_column(sa.String(254))
    consent_at: Mapped[datetime] = mapped_column(UTCDateTime)
    state: Mapped[str] = mapped_column(sa.String(20), default=EntryState.PENDING, index=True)
    edit_token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    skills: Mapped[list[Skill]] = relationship(secondary=teleworker_skill,
                                               order_by=Skill.name)
    messages: Mapped[list[ContactMessage]] = relationship(
        back_populates="teleworker", cascade="all, delete-orphan", passive_deletes=True)

    status_label = label_of(WorkerStatus, "status")


class Venue(db.Model):
    """A place that welcomes teleworkers and accepted the quality charter."""

    __tablename__ = "directory_venue"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(140), unique=True)
    # None until a moderator decides it on approval.
    kind: Mapped[str | None] = mapped_column(sa.String(20))
    name: Mapped[str] = mapped_column(sa.String(200))
    address: Mapped[str] = mapped_column(sa.String(300))
    commune: Mapped[str] = mapped_column(sa.String(120), index=True)
    latitude: Mapped[float | None] = mapped_column(sa.Float)
    longitude: Mapped[float | None] = mapped_column(sa.Float)
    contact_name: Mapped[str] = mapped_column(sa.String(120))
    email: Mapped[str] = mapped_column(sa.String(254))
    website: Mapped[str] = mapped_column(sa.String(300), default="")
    opening_hours: Mapped[str] = mapped_column(sa.Text, default="")
    description: Mapped[str] = mapped_column(sa.Text, default="")
    services: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    open_to_public: Mapped[bool] = mapped_column(default=False)
    charter_version: Mapped[int] = mapped_column()
    charter_accepted_at: Mapped[datetime] = mapped_column(UTCDateTime)
    state: Mapped[str] = mapped_column(sa.String(20), default=EntryState.PENDING, index=True)
    edit_token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    messages: Mapped[list[ContactMessage]] = relationship(
        back_populates="venue", cascade="all, delete-orphan", passive_deletes=True)

    kind_label = label_of(VenueKind, "kind")

    @property
    def service_labels(self) -> list[str]:
        """The offered services in the reader's language, in the fixed list's order."""
        return [str(label) for code, label in VENUE_SERVICES.items() if code in self.services]


class ContactMessage(db.Model):
    """A relayed contact message. The text itself is not kept: it went out by e-mail."""

    __tablename__ = "directory_contact_message"

    id: Mapped[int] = mapped_column(primary_key=True)
    teleworker_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("directory_teleworker.id", ondelete="CASCADE"), index=True)
    venue_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("directory_venue.id", ondelete="CASCADE"), index=True)
    sender_name: Mapped[str] = mapped_column(sa.String(120))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    teleworker: Mapped[Teleworker | None] = relationship(back_populates="messages")
    venue: Mapped[Venue | None] = relationship(back_populates="messages")


class AuditEntry(db.Model):
    """Who approved, changed or erased which entry, and when.

    ``target_label`` names the entry while it exists; erasure blanks it everywhere so
    the log keeps the fact, not the person.
    """

    __tablename__ = "directory_audit"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    actor: Mapped[str] = mapped_column(sa.String(254))
    action: Mapped[str] = mapped_column(sa.String(40))
    target_type: Mapped[str] = mapped_column(sa.String(20))
    target_id: Mapped[int] = mapped_column()
    target_label: Mapped[str] = mapped_column(sa.String(200), default="")
    detail: Mapped[str] = mapped_column(sa.String(300), default="")


class EventVenue(db.Model):
    """The directory venue an event takes place in (kept here, not in the programme)."""

    __tablename__ = "directory_event_venue"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(
        sa.ForeignKey("event.id", ondelete="CASCADE"), unique=True)
    venue_id: Mapped[int] = mapped_column(
        sa.ForeignKey("directory_venue.id", ondelete="CASCADE"), index=True)

    venue: Mapped[Venue] = relationship()


class AuditAction(Labelled):
    """What an audit entry records."""

    APPLIED = "applied", _l("demande reçue")
    APPROVED = "approved", _l("publiée")
    REJECTED = "rejected", _l("refusée")
    EDITED = "edited", _l("modifiée")
    ERASED = "erased", _l("effacée")
