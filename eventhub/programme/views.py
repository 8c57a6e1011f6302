"""Public programme pages."""

from __future__ import annotations

from flask import Blueprint, render_template

from eventhub.programme import services

bp = Blueprint("programme", __name__)


@bp.get("/")
def index():
    """Upcoming and past published events, and the series."""
    listing = services.public_listing()
    return render_template("programme/index.html", listing=listing)
