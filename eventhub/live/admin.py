"""Organiser and moderator pages: moderation console, stream settings, exports."""

from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from eventhub.accounts.auth import role_required
from eventhub.errors import Refused
from eventhub.extensions import db
from eventhub.live import export, services
from eventhub.live.forms import ModerationSettingsForm, StreamForm
from eventhub.live.models import StreamSource
from eventhub.live.sockets import broadcast
from eventhub.programme.models import Event
from eventhub.programme.services import event_by_slug

bp = Blueprint("live_admin", __name__, url_prefix="/manage/events/<slug>")


@bp.get("/questions")
@role_required("moderator")
def questions(slug: str):
    """The moderation console: every question, newest first, with its actions."""
    event = event_by_slug(slug, include_drafts=True)
    listing = services.questions_for(event, moderator=True, order="time")
    settings = services.settings_for(event)
    form = ModerationSettingsForm(premoderation=settings.premoderation)
    return render_template("live/console.html", event=event, questions=listing.questions,
                           settings=settings, form=form)


@bp.post("/questions/<int:question_id>/<action>")
@role_required("moderator")
def moderate(slug: str, question_id: int, action: str):
    """Apply a moderation action without JavaScript."""
    event = event_by_slug(slug, include_drafts=True)
    try:
        for question in services.moderate(event, question_id, action):
            broadcast(question)
    except Refused as exc:
        flash(exc.message, "error")
    return redirect(url_for(".questions", slug=slug))


@bp.post("/questions/settings")
@role_required("moderator")
def moderation_settings(slug: str):
    """Switch pre-moderation on or off."""
    event = event_by_slug(slug, include_drafts=True)
    form = ModerationSettingsForm()
    if form.validate():
        services.set_premoderation(event, form.premoderation.data)
        flash(_("Réglages de modération enregistrés."), "success")
    return redirect(url_for(".questions", slug=slug))


@bp.get("/questions.csv")
@role_required("moderator")
def export_csv(slug: str):
    """The questions as CSV."""
    event = event_by_slug(slug, include_drafts=True)
    return Response(export.to_csv(event), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="{event.slug}-questions.csv"'})


@bp.get("/questions.md")
@role_required("moderator")
def export_markdown(slug: str):
    """The questions as Markdown."""
    event = event_by_slug(slug, include_drafts=True)
    return Response(export.to_markdown(event), mimetype="text/markdown", headers={
        "Content-Disposition": f'attachment; filename="{event.slug}-questions.md"'})


def _stream_form(event: Event) -> StreamForm:
    form = StreamForm()
    form.room.choices = [(0, _("Tout l'événement"))] + [(r.id, r.name) for r in event.rooms]
    return form


def _render_streams(event: Event, form: StreamForm, status: int = 200):
    sources = db.session.scalars(
        db.select(StreamSource).where(StreamSource.event_id == event.id)
    ).all()
    return render_template("live/streams.html", event=event, form=form, sources=sources), status


@bp.route("/stream", methods=["GET", "POST"])
@role_required("organiser")
def streams(slug: str):
    """Set the stream of the event or of a room (an empty address removes it)."""
    event = event_by_slug(slug, include_drafts=True)
    form = _stream_form(event)
    if request.method == "GET":
        return _render_streams(event, form)
    if not form.validate():
        return _render_streams(event, form, 400)
    room = next((r for r in event.rooms if r.id == form.room.data), None)
    try:
        source = services.set_stream(event, form.url.data or "", room)
    except Refused as exc:
        form.url.errors = [*form.url.errors, exc.message]
        return _render_streams(event, form, 400)
    flash(_("Diffusion enregistrée.") if source else _("Diffusion retirée."), "success")
    return redirect(url_for(".streams", slug=slug))
