"""Public programme pages: home, series, event, timetable, changes, slot and speaker pages.

Drafts answer 404 to the public; organisers see them with a "brouillon" banner.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, Response, abort, make_response, redirect, render_template, session
from flask_babel import get_locale
from flask_login import current_user

from eventhub.programme import conditional, exports, services, versions
from eventhub.programme.models import Event, OrganisationRole
from eventhub.sharing import share_publicly

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


def _programme_page(event: Event, name: str, build: Callable[[], str],
                    mimetype: str = "text/html") -> Response:
    """A page of ``event``'s programme, answered 304 while the programme is unchanged.

    Anonymous readers all get the same page in their language, so it has validators.
    A signed-in reader's page holds their name and a form token, and a page with a
    pending message must show it: those are built every time and kept private.
    """

    def page() -> Response:
        built = make_response(build())
        built.mimetype = mimetype
        return built

    if current_user.is_authenticated or session.get("_flashes"):
        response = page()
        response.headers["Cache-Control"] = "private, no-cache"
        return response
    response = conditional.respond(event, f"{name}:{get_locale()}", page)
    # Without it a browser may reuse its copy unchecked (heuristic freshness).
    response.headers["Cache-Control"] = "no-cache"
    response.vary.add("Cookie")  # the reader's chosen language is in the session
    return response


@bp.get("/events/<slug>/programme")
def timetable(slug: str):
    """The timetable: slots by day and time, parallel slots side by side.

    A client that asks for JSON, XML or plain text is sent to that export.
    """
    found = visible_event(slug)
    export = exports.negotiated_export(found.slug)
    if export is not None:
        response = redirect(export, 303)
        if found.published:
            # Another site's fetch follows a redirect only if it may read it too.
            share_publicly(response)
    else:
        response = _programme_page(found, "programme", lambda: render_template(
            "programme/timetable.html", event=found, days=services.timetable(found)))
    response.vary.add("Accept")
    return response


@bp.get("/events/<slug>/changes")
def changes(slug: str):
    """What changed in each published version of the programme, latest first."""
    found = visible_event(slug)
    return _programme_page(found, "changes", lambda: render_template(
        "programme/changes.html", event=found, history=versions.history(found),
        describe=versions.describe))


@bp.get("/events/<slug>/changes.atom")
def changes_feed(slug: str):
    """The same as an Atom feed: one entry per published version."""
    found = visible_event(slug)
    return _programme_page(found, "changes.atom", lambda: render_template(
        "programme/changes.atom.xml", event=found, history=versions.history(found),
        describe=versions.describe, atom_id=versions.atom_id),
        mimetype="application/atom+xml")


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
