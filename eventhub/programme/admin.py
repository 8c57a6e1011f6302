"""Organiser pages of the programme."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, render_template

from eventhub.accounts.auth import role_required
from eventhub.extensions import db
from eventhub.programme.models import Event

bp = Blueprint("programme_admin", __name__, url_prefix="/manage")


@bp.get("/events")
@role_required("organiser")
def events():
    """Every event, drafts included, newest first."""
    rows = db.session.scalars(sa.select(Event).order_by(Event.start_date.desc())).all()
    return render_template("programme/admin/events.html", events=rows)
