"""Organiser pages: settings, attendee list, CSV export, dashboard, door scanner."""

from __future__ import annotations

import csv
import io
from dataclasses import asdict
from datetime import datetime
from zoneinfo import ZoneInfo

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from eventhub.accounts.auth import role_required
from eventhub.database import utcnow
from eventhub.programme.services import event_by_slug
from eventhub.registration import checkin, figures, forms, printing, services
from eventhub.registration.models import Attendance, ScanResult
from eventhub.spreadsheet import safe_cell

bp = Blueprint("registration_admin", __name__, url_prefix="/manage/events/<slug>")


def _local(moment: datetime | None, zone: str) -> datetime | None:
    return moment.astimezone(ZoneInfo(zone)).replace(tzinfo=None) if moment else None


def _utc(moment: datetime | None, zone: str) -> datetime | None:
    return moment.replace(tzinfo=ZoneInfo(zone)) if moment else None


@bp.route("/registration", methods=["GET", "POST"])
@role_required("organiser")
def settings(slug: str):
    """Capacity and opening dates of the event's registrations."""
    event = event_by_slug(slug, include_drafts=True)
    current = services.settings_for(event)
    form = forms.SettingsForm(data={
        "onsite_capacity": current.onsite_capacity if current else None,
        "remote_capacity": current.remote_capacity if current else None,
        "opens_at": _local(current.opens_at, event.timezone) if current else None,
        "closes_at": _local(current.closes_at, event.timezone) if current else None,
    } if request.method == "GET" else None)
    if form.validate_on_submit():
        saved = services.save_settings(
            event, form.onsite_capacity.data, form.remote_capacity.data,
            _utc(form.opens_at.data, event.timezone), _utc(form.closes_at.data, event.timezone))
        flash(_("Paramètres d'inscription enregistrés."), "success")
        warning = services.past_event_warning(event, saved)
        if warning:
            flash(warning, "warning")
        return redirect(url_for(".settings", slug=slug))
    return render_template("registration/admin/settings.html", event=event, form=form), (
        400 if request.method == "POST" else 200)


@bp.get("/attendees")
@role_required("organiser")
def attendees(slug: str):
    """Attendee list with search; printable."""
    event = event_by_slug(slug, include_drafts=True)
    query = request.args.get("q", "")
    return render_template("registration/admin/attendees.html", event=event, query=query,
                           registrations=services.search(event, query),
                           stats=figures.stats(event))


@bp.get("/attendees.csv")
@role_required("organiser")
def export_csv(slug: str):
    """Every registration as CSV (formula injection neutralised)."""
    event = event_by_slug(slug, include_drafts=True)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([_("Nom"), _("E-mail"), _("Organisation"), _("Participation"),
                     _("Statut"), _("Inscrit le"), _("Arrivé à"), _("Ateliers")])
    for r in services.search(event):
        writer.writerow([safe_cell(v) for v in (
            r.name, r.email, r.organisation, r.attendance, r.status,
            r.created_at.isoformat(), r.checked_in_at.isoformat() if r.checked_in_at else "",
            " | ".join(choice.slot.title for choice in r.choices))])
    return Response("\ufeff" + buffer.getvalue(), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="inscrits-{event.slug}.csv"'})


def _pdf(content: bytes, filename: str) -> Response:
    """A PDF to print; it names people, so no cache keeps it."""
    return Response(content, mimetype="application/pdf", headers={
        "Content-Disposition": f'inline; filename="{filename}"',
        "Cache-Control": "private, no-store"})


@bp.get("/badges.pdf")
@role_required("organiser")
def badges(slug: str):
    """Name badges of the confirmed attendees, eight to an A4 sheet, with their ticket QR."""
    event = event_by_slug(slug, include_drafts=True)
    return _pdf(printing.badges_pdf(event, printing.attendees(event)),
                f"badges-{event.slug}.pdf")


@bp.get("/checkin-list.pdf")
@role_required("organiser")
def checkin_list(slug: str):
    """The printable check-in list of confirmed on-site attendees, by surname."""
    event = event_by_slug(slug, include_drafts=True)
    return _pdf(printing.checkin_list_pdf(event, printing.attendees(event, Attendance.ONSITE),
                                          utcnow()),
                f"emargement-{event.slug}.pdf")


@bp.post("/attendees/<int:registration_id>/undo-checkin")
@role_required("organiser")
def undo_checkin(slug: str, registration_id: int):
    """Undo a check-in from the attendee list."""
    event = event_by_slug(slug, include_drafts=True)
    registration = services.registration_of(event, registration_id)
    if registration is None:
        abort(404)
    if checkin.undo(registration, current_user.id):
        flash(_("Arrivée annulée pour %(name)s.", name=registration.name), "success")
    return redirect(url_for(".attendees", slug=slug))


@bp.get("/dashboard")
@role_required("door")
def dashboard(slug: str):
    """Live figures: registered, checked in, remote, waiting."""
    event = event_by_slug(slug, include_drafts=True)
    return render_template("registration/admin/dashboard.html", event=event,
                           stats=asdict(figures.stats(event)), scans=checkin.scans(event, 20))


@bp.get("/scanner")
@role_required("door")
def scanner(slug: str):
    """The door scanner: camera, manual search, offline queue."""
    event = event_by_slug(slug, include_drafts=True)
    query = request.args.get("q", "").strip()
    found = services.search(event, query) if query else []
    return render_template("registration/admin/scanner.html", event=event, query=query,
                           found=found)


@bp.post("/scanner/checkin/<int:registration_id>")
@role_required("door")
def manual_checkin(slug: str, registration_id: int):
    """Check in someone found by name (no ticket at hand)."""
    event = event_by_slug(slug, include_drafts=True)
    registration = services.registration_of(event, registration_id)
    if registration is None:
        abort(404)
    answer = checkin.scan(event.slug, registration.code, current_user.id)
    ok = answer.result == ScanResult.OK
    flash(_("%(name)s : %(result)s", name=registration.name,
            result=ScanResult(answer.result).label),
          "success" if ok else "error")
    return redirect(url_for(".scanner", slug=slug))


