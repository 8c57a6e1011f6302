"""Organiser accounts and the bearer tokens that scripts and scanners use."""

from __future__ import annotations

import secrets
from datetime import datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eventhub.accounts.roles import grants
from eventhub.database import UTCDateTime, utcnow
from eventhub.extensions import db


def new_session_stamp() -> str:
    """A fresh random session stamp."""
    return secrets.token_urlsafe(16)


class User(UserMixin, db.Model):
    """A person who runs events: admin, organiser, moderator or door staff."""

    __tablename__ = "user"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120), default="")
    role: Mapped[str] = mapped_column(sa.String(20))
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Part of every session and remember cookie: a new stamp ends them all (logout, a
    # new password, a new role, deactivation).
    session_stamp: Mapped[str] = mapped_column(sa.String(32), default=new_session_stamp)

    tokens: Mapped[list[ApiToken]] = relationship(
        back_populates="user", cascade="all, delete-orphan", order_by="ApiToken.id"
    )

    @property
    def is_active(self) -> bool:  # Flask-Login reads this to refuse disabled accounts.
        """Whether the account may log in."""
        return self.active

    def can(self, role: str) -> bool:
        """Whether this user may act with ``role``."""
        return self.active and grants(self.role, role)

    def get_id(self) -> str:
        """What the session and the remember cookie hold: the id and the session stamp,
        so that rotating the stamp ends every session of the account."""
        return f"{self.id}:{self.session_stamp}"

    @property
    def display_name(self) -> str:
        """The name, or the e-mail when no name was given."""
        return self.name or self.email


class ApiToken(db.Model):
    """A bearer token; only its SHA-256 is stored, the token itself is shown once."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"))
    label: Mapped[str] = mapped_column(sa.String(120), default="")
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    prefix: Mapped[str] = mapped_column(sa.String(12))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship(back_populates="tokens")

    @property
    def revoked(self) -> bool:
        """Whether the token no longer authenticates."""
        return self.revoked_at is not None
