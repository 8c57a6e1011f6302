"""Organiser and moderator pages: moderation console, stream settings, exports."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from eventhub.accounts.auth import role_required
from eventhub.accounts.forms import EmptyForm
from eventhub.errors import Refused
from eventhub.extensions import db
from eventhub.live import export, services
from eventhub.live.embed import PROVIDER_NAMES
from eventhub.live.forms import ModerationSettingsForm, StreamForm
from eventhub.live.models import StreamSource
from eventhub.programme.models import Event, Room
from eventhub.programme.services import event_by_slug

bp = Blueprint("live_admin", __name__, url_prefix="/manage/events/<slug>")


@bp.get("/questions")
@role_required("moderator")
def questions(slug: str):
    """The moderation console: every question, newest first, with its actions."""
    event = event_by_slug(slug, include_drafts=True)
    listing = services.questions_for(event, moderator=True, newest_first=True)
    settings = services.settings_for(event)
    form = ModerationSettingsForm(premoderation=settings.premoderation)
    return render_template("live/console.html", event=event,
                           queue=services.console_queue(listing.questions),
                           actions_for=services.actions_for, settings=settings, form=form)


@bp.post("/questions/<int:question_id>/<action>")
@role_required("moderator")
def moderate(slug: str, question_id: int, action: str):
    """Apply a moderation action without JavaScript."""
    event = event_by_slug(slug, include_drafts=True)
    try:
        services.moderate(event, question_id, action)
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


@dataclass
class _Target:
    """Where a stream plays (the whole event, or one room), its stream and its form."""

    key: int  # 0 for the whole event, else the room's id
    label: str
    room: Room | None
    source: StreamSource | None
    form: StreamForm


def _targets(event: Event, posted: int | None = None) -> list[_Target]:
    """The event and each room, each form filled with its current address (so saving a
    form as shown keeps the stream); the ``posted`` one keeps what was submitted."""
    sources = {s.room_id or 0: s for s in db.session.scalars(
        db.select(StreamSource).where(StreamSource.event_id == event.id))}
    places = [(0, _("Tout l'événement"), None)] + [(r.id, r.name, r) for r in event.rooms]
    targets = []
    for key, label, room in places:
        source = sources.get(key)
        form = (StreamForm(prefix=f"stream{key}") if key == posted else
                StreamForm(formdata=None, prefix=f"stream{key}",
                           url=source.url if source else ""))
        targets.append(_Target(key, label, room, source, form))
    return targets


def _render_streams(event: Event, targets: list[_Target], status: int = 200):
    return render_template("live/streams.html", event=event, targets=targets,
                           provider_names=PROVIDER_NAMES), status


def _posted_target(event: Event) -> tuple[_Target, list[_Target]]:
    key = request.form.get("target", type=int)
    targets = _targets(event, key)
    target = next((t for t in targets if t.key == key), None)
    if target is None:
        abort(400)
    return target, targets


@bp.route("/stream", methods=["GET", "POST"])
@role_required("organiser")
def streams(slug: str):
    """The stream of the event and of each room: see each one, set or change it."""
    event = event_by_slug(slug, include_drafts=True)
    if request.method == "GET":
        return _render_streams(event, _targets(event))
    target, targets = _posted_target(event)
    if not target.form.validate():
        return _render_streams(event, targets, 400)
    try:
        services.set_stream(event, target.form.url.data, target.room)
    except Refused as exc:
        target.form.url.errors = [*target.form.url.errors, exc.message]
        return _render_streams(event, targets, 400)
    flash(_("Diffusion enregistrée."), "success")
    return redirect(url_for(".streams", slug=slug))


@bp.post("/stream/remove")
@role_required("organiser")
def remove_stream(slug: str):
    """Remove the stream of the event or of one room."""
    event = event_by_slug(slug, include_drafts=True)
    target, _targets_shown = _posted_target(event)
    if EmptyForm().validate_on_submit():
        services.set_stream(event, "", target.room)
        flash(_("Diffusion retirée."), "success")
    return redirect(url_for(".streams", slug=slug))
