"""Moderation of the directory (moderator role) and the venue of an event (organisers)."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from eventhub.accounts.auth import role_required
from eventhub.directory import services
from eventhub.directory.forms import (
    ApproveVenueForm,
    ConfirmForm,
    EventVenueForm,
    RejectForm,
    entry_form,
)
from eventhub.directory.models import (
    AuditAction,
    AuditEntry,
    EntryState,
    EventVenue,
    Teleworker,
    Venue,
)
from eventhub.errors import Refused
from eventhub.extensions import db
from eventhub.programme.services import event_by_slug

bp = Blueprint("directory_admin", __name__, url_prefix="/manage")

MODELS = {"membres": Teleworker, "lieux": Venue}
AUDIT_PAGE = 200


def _entry(kind: str, entry_id: int) -> Teleworker | Venue:
    model = MODELS.get(kind) or abort(404)
    return db.session.get(model, entry_id) or abort(404)


@bp.get("/annuaire")
@role_required("moderator")
def queue():
    """Applications waiting for a decision, then every entry."""
    def rows(model):
        return db.session.scalars(sa.select(model).order_by(model.created_at.desc())).all()

    people, places = rows(Teleworker), rows(Venue)
    return render_template(
        "directory/admin/queue.html", states=EntryState.labels(),
        pending_people=[p for p in people if p.state == EntryState.PENDING],
        pending_places=[v for v in places if v.state == EntryState.PENDING],
        people=people, places=places)


def _entry_page(kind: str, entry, form=None, status: int = 200, message: str | None = None):
    if message:
        flash(message, "error")
    is_person = kind == "membres"
    if form is None:
        form = entry_form(entry, filled=True)
    approve = ApproveVenueForm(kind=entry.kind) if not is_person else None
    return render_template(
        "directory/admin/entry.html", kind=kind, entry=entry, form=form, is_person=is_person,
        approve_form=approve, reject_form=RejectForm(), erase_form=ConfirmForm(),
        states=EntryState.labels()), status


@bp.route("/annuaire/<kind>/<int:entry_id>", methods=["GET", "POST"])
@role_required("moderator")
def entry(kind: str, entry_id: int):
    """One entry: its details, an edit form, and the moderation buttons."""
    item = _entry(kind, entry_id)
    if request.method == "GET":
        return _entry_page(kind, item)
    form = entry_form(item, filled=False)
    if not form.validate_on_submit():
        return _entry_page(kind, item, form, 400)
    try:
        warning = services.update_entry(item, form.data, current_user)
    except Refused as exc:
        return _entry_page(kind, item, form, 400, exc.message)
    if warning:
        flash(warning, "warning")
    flash(_("Fiche enregistrée."), "success")
    return redirect(url_for(".entry", kind=kind, entry_id=entry_id))


@bp.post("/annuaire/<kind>/<int:entry_id>/approve")
@role_required("moderator")
def approve(kind: str, entry_id: int):
    """Publish an entry (a venue with the kind the moderator chose)."""
    item = _entry(kind, entry_id)
    try:
        if kind == "membres":
            services.approve_teleworker(item, current_user)
        else:
            form = ApproveVenueForm()
            if not form.validate_on_submit():
                return _entry_page(kind, item, status=400,
                                   message=_("Choisissez le type du lieu."))
            services.approve_venue(item, form.kind.data, current_user)
    except Refused as exc:
        return _entry_page(kind, item, status=400, message=exc.message)
    flash(_("« %(name)s » est publiée ; le demandeur a reçu son lien privé.", name=item.name),
          "success")
    return redirect(url_for(".queue"))


@bp.post("/annuaire/<kind>/<int:entry_id>/reject")
@role_required("moderator")
def reject(kind: str, entry_id: int):
    """Refuse or unpublish an entry."""
    item = _entry(kind, entry_id)
    form = RejectForm()
    if not form.validate_on_submit():
        return _entry_page(kind, item, status=400)
    services.reject(item, current_user, form.reason.data or "")
    flash(_("« %(name)s » est refusée.", name=item.name), "success")
    return redirect(url_for(".queue"))


@bp.post("/annuaire/<kind>/<int:entry_id>/erase")
@role_required("moderator")
def erase(kind: str, entry_id: int):
    """Erase an entry and everything tied to it."""
    item = _entry(kind, entry_id)
    form = ConfirmForm()
    if not form.validate_on_submit():
        return _entry_page(kind, item, status=400,
                           message=_("Cochez la case pour confirmer l'effacement."))
    services.erase(item, current_user)
    flash(_("La fiche est effacée."), "success")
    return redirect(url_for(".queue"))


@bp.get("/annuaire/journal")
@role_required("moderator")
def audit():
    """Who applied, approved, changed or erased what, latest first."""
    rows = db.session.scalars(
        sa.select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        .limit(AUDIT_PAGE)).all()
    return render_template("directory/admin/audit.html", rows=rows,
                           actions=AuditAction.labels())


@bp.route("/events/<slug>/venue", methods=["GET", "POST"])
@role_required("organiser")
def event_venue(slug: str):
    """Choose the directory venue an event takes place in."""
    event = event_by_slug(slug, include_drafts=True)
    places = services.published_venues()
    form = EventVenueForm()
    form.venue.choices = [(0, _("— aucun lieu de l'annuaire —"))] + [
        (place.id, f"{place.name} ({place.commune})") for place in places]
    if request.method == "GET":
        link = db.session.scalar(sa.select(EventVenue).where(EventVenue.event_id == event.id))
        form.venue.data = link.venue_id if link else 0
    elif form.validate_on_submit():
        chosen = db.session.get(Venue, form.venue.data) if form.venue.data else None
        try:
            services.set_event_venue(event, chosen)
        except Refused as exc:
            flash(exc.message, "error")
            return render_template("directory/admin/event_venue.html", form=form,
                                   event=event), 400
        flash(_("Lieu de l'événement enregistré."), "success")
        return redirect(url_for(".event_venue", slug=slug))
    else:
        return render_template("directory/admin/event_venue.html", form=form, event=event), 400
    return render_template("directory/admin/event_venue.html", form=form, event=event)
