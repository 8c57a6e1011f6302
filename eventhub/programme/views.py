"""Public programme pages: home, series, event, timetable, slot and speaker pages.

Drafts answer 404 to the public; organisers see them with a "brouillon" banner.
"""

from __future__ import annotations

from flask import Blueprint, abort, render_template
from flask_login import current_user

from eventhub.programme import services
from eventhub.programme.models import Event, OrganisationRole

bp = Blueprint("programme", __name__)


def _is_organiser() -> bool:
    return current_user.is_authenticated and current_user.can("organiser")


def visible_event(slug: str, *options) -> Event:
    """The event called ``slug`` as the current visitor may see it: drafts only for
    organisers; refused as ``not_found`` (a 404) otherwise."""
    return services.event_by_slug(slug, _is_organiser(), *options)


@bp.get("/")
def index():
    """Upcoming and past published events, and the series."""
    listing = services.public_listing()
    return render_template("programme/index.html", listing=listing)


@bp.get("/series/<slug>")
def series(slug: str):
    """A series and its stops, linking each stop's event when there is one."""
    found = services.find_series(slug)
    if found is None:
        abort(404)
    return render_template("programme/series.html", series=found,
                           show_drafts=_is_organiser())


@bp.get("/events/<slug>")
def event(slug: str):
    """An event's page: what, when, where, for whom, by whom; calendar links."""
    found = visible_event(slug, *services.with_organisations())
    return render_template(
        "programme/event.html", event=found,
        organisers=found.organisations_with(OrganisationRole.ORGANISER),
        supporters=found.organisations_with(OrganisationRole.SUPPORTER),
    )


@bp.get("/events/<slug>/programme")
def timetable(slug: str):
    """The timetable: slots by day and time, parallel slots side by side."""
    found = visible_event(slug)
    return render_template("programme/timetable.html", event=found,
                           days=services.timetable(found))


@bp.get("/events/<slug>/slots/<int:slot_id>")
def slot(slug: str, slot_id: int):
    """One slot: details, speakers, replay and slides, calendar links."""
    found = visible_event(slug)
    item = services.find_slot(found, slot_id)
    if item is None:
        abort(404)
    return render_template("programme/slot.html", event=found, slot=item)


@bp.get("/speakers/<slug>")
def speaker(slug: str):
    """A speaker: affiliation, bio, and their slots across events."""
    found = services.find_speaker(slug)
    if found is None:
        abort(404)
    slots = services.speaker_slots(found, include_drafts=_is_organiser())
    return render_template("programme/speaker.html", speaker=found, slots=slots)
