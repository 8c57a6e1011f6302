"""Public pages: the registration form, the ticket page and its QR, the agenda feed."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from eventhub.errors import Refused
from eventhub.extensions import limiter
from eventhub.programme.services import event_by_slug
from eventhub.registration import forms, mails, services, tickets
from eventhub.registration.models import Registration, Status
from eventhub.text import normalise_email

bp = Blueprint("registration", __name__)


def ticket_or_404(token: str) -> Registration:
    """The registration whose secret is ``token``, or 404."""
    registration = services.by_token(token)
    if registration is None:
        abort(404)
    return registration


@bp.route("/events/<slug>/register", methods=["GET", "POST"])
@limiter.limit("20 per minute", methods=["POST"])
def register(slug: str):
    """The registration form of an event."""
    event = event_by_slug(slug)
    rotations = services.workshop_rotations(event)
    form = forms.with_rotations(forms.RegistrationForm, rotations, services.seats_taken(event))()
    duplicate = False
    if form.validate_on_submit():
        try:
            registration = services.register(
                event, form.name.data, form.email.data, form.attendance.data,
                form.organisation.data, form.chosen_ids())
        except Refused as exc:
            duplicate = exc.code == "duplicate_email"
            name = (f"rotation_{exc.details['rotation']}" if "rotation" in exc.details
                    else exc.field or "")
            field = next((f for f in form if f.name == name), None)
            if field is None:
                flash(exc.message, "error")
            else:
                field.errors = [*field.errors, exc.message]
        else:
            mails.send_confirmation(registration)
            flash(_("Vous êtes inscrit(e). Un e-mail avec ce billet part à %(email)s ; gardez "
                    "aussi l'adresse de cette page : elle est votre billet.",
                    email=registration.email) if registration.status == "confirmed" else
                  _("Vous êtes sur la liste d'attente. Un e-mail part à %(email)s ; gardez "
                    "l'adresse de cette page pour suivre votre inscription.",
                    email=registration.email), "success")
            return redirect(url_for("registration.ticket", token=registration.token))
    status = 400 if request.method == "POST" else 200
    is_open = services.registration_open(event)
    return render_template("registration/register.html", event=event, is_open=is_open,
                           form=form, duplicate=duplicate, rotations=rotations), status


@bp.post("/events/<slug>/resend")
@limiter.limit("5 per minute")
def resend(slug: str):
    """Mail the ticket again to an address already registered (same answer either way)."""
    event = event_by_slug(slug)
    try:
        registration = services.find_by_email(event, normalise_email(
            request.form.get("email", "")))
    except Refused:
        registration = None
    if registration is not None and registration.status != Status.CANCELLED:
        mails.send_confirmation(registration)
    flash(_("Si cette adresse est inscrite, le billet vient de lui être renvoyé."), "success")
    return redirect(url_for("registration.register", slug=slug))


@bp.get("/tickets/<token>")
def ticket(token: str):
    """The ticket page: QR code, choices, agenda, cancellation."""
    registration = ticket_or_404(token)
    event = registration.event
    rotations = services.workshop_rotations(event)
    kept = {choice.slot_id for choice in registration.choices}
    form = forms.with_rotations(forms.ChoicesForm, rotations, services.seats_taken(event),
                                kept)(data={f"rotation_{c.rotation}": str(c.slot_id)
                                            for c in registration.choices})
    return render_template("registration/ticket.html", registration=registration,
                           event=event, form=form, rotations=rotations,
                           qr_svg=tickets.qr_svg_element(registration.code))


@bp.get("/tickets/<token>/qr.<ext>")
def qr_image(token: str, ext: str):
    """The QR image of a ticket, SVG or PNG (download)."""
    registration = ticket_or_404(token)
    if ext == "svg":
        return Response(tickets.qr_svg(registration.code), mimetype="image/svg+xml",
                        headers={"Cache-Control": "private, max-age=86400"})
    if ext == "png":
        return Response(tickets.qr_png(registration.code), mimetype="image/png", headers={
            "Cache-Control": "private, max-age=86400",
            "Content-Disposition": f'inline; filename="billet-{registration.event.slug}.png"'})
    abort(404)


@bp.route("/tickets/<token>/cancel", methods=["GET", "POST"])
def cancel(token: str):
    """Ask for confirmation, then cancel; the first waiting person is promoted."""
    registration = ticket_or_404(token)
    if request.method == "POST" and request.form.get("confirm") == "1":
        promoted = services.cancel(registration)
        if promoted is not None:
            mails.send_promotion(promoted)
        flash(_("Votre inscription est annulée."), "success")
        return redirect(url_for("registration.ticket", token=token))
    return render_template("registration/cancel.html", registration=registration,
                           event=registration.event)


@bp.post("/tickets/<token>/choices")
def change_choices(token: str):
    """Change one's workshops while places remain."""
    registration = ticket_or_404(token)
    event = registration.event
    form_class = forms.with_rotations(forms.ChoicesForm, services.workshop_rotations(event),
                                      services.seats_taken(event))
    form = form_class()
    if form.validate_on_submit():
        try:
            services.change_choices(registration, form.chosen_ids())
        except Refused as exc:
            flash(exc.message, "error")
        else:
            flash(_("Vos ateliers sont enregistrés."), "success")
    else:
        flash(_("Choix d'ateliers invalides."), "error")
    return redirect(url_for("registration.ticket", token=token))


@bp.get("/agenda/<token>.ics")
def agenda(token: str):
    """The registrant's own agenda: plenary slots and their workshops."""
    registration = ticket_or_404(token)
    return Response(mails.agenda_ics(registration), mimetype="text/calendar",
                    headers={"Content-Disposition": 'inline; filename="agenda.ics"'})
