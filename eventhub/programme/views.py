"""Public programme pages: home, series, event, timetable, slot and speaker pages.

Drafts answer 404 to the public; organisers see them with a "brouillon" banner.
"""

from __future__ import annotations

from flask import Blueprint, abort, make_response, redirect, render_template
from flask_login import current_user

from eventhub.programme import exports, services
from eventhub.programme.models import Event, OrganisationRole
from eventhub.sharing import share_publicly

bp = Blueprint("programme", __name__)


def _is_organiser() -> bool:
    return current_user.is_authenticated and current_user.can("organiser")


def _event_or_404(slug: str) -> Event:
    """The event called ``slug`` as the current visitor may see it."""
    event = services.find_event(slug, include_drafts=_is_organiser())
    if event is None:
        abort(404)
    return event


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
    found = _event_or_404(slug)
    return render_template(
        "programme/event.html", event=found,
        organisers=found.organisations_with(OrganisationRole.ORGANISER),
        supporters=found.organisations_with(OrganisationRole.SUPPORTER),
    )


@bp.get("/events/<slug>/programme")
def timetable(slug: str):
    """The timetable: slots by day and time, parallel slots side by side.

    A client that asks for JSON, XML or plain text is sent to that export.
    """
    found = _event_or_404(slug)
    export = exports.negotiated_export(found.slug)
    if export is not None:
        response = redirect(export, 303)
        if found.published:
            # Another site's fetch follows a redirect only if it may read it too.
            share_publicly(response)
    else:
        response = make_response(render_template("programme/timetable.html", event=found,
                                                 days=services.timetable(found)))
    response.vary.add("Accept")
    return response


@bp.get("/events/<slug>/slots/<int:slot_id>")
def slot(slug: str, slot_id: int):
    """One slot: details, speakers, replay and slides, calendar links."""
    found = _event_or_404(slug)
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
