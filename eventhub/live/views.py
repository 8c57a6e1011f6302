"""Public live pages: the live page (player and questions), presenter screen, OBS overlay."""

from __future__ import annotations

from babel.dates import format_timedelta
from flask import (
    Blueprint,
    abort,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _

from eventhub import security
from eventhub.database import utcnow
from eventhub.errors import Refused
from eventhub.live import ratelimit, services, viewer
from eventhub.live.embed import YOUTUBE_EMBED
from eventhub.live.forms import AskForm
from eventhub.live.models import QuestionStatus
from eventhub.programme.models import Event, Room
from eventhub.programme.services import event_by_slug

bp = Blueprint("live", __name__)


def _room_or_404(event: Event, room_id: int | None) -> Room | None:
    try:
        return services.event_room(event, room_id)
    except Refused:
        abort(404)


def _live_url(event: Event, room: Room | None, **args) -> str:
    if room is None:
        return url_for("live.event_live", slug=event.slug, **args)
    return url_for("live.room_live", slug=event.slug, room_id=room.id, **args)


def _render_live(event: Event, room: Room | None, form: AskForm | None = None, status: int = 200):
    visitor = viewer.current_viewer()
    fresh = visitor is None
    if fresh:
        visitor = viewer.new_viewer()
    questions_only = request.args.get("mode") == "questions"
    order = "time" if request.args.get("sort") == "time" else "votes"
    stream = services.stream_for(event, room)
    now = utcnow()
    slots = services.event_slots(event, room)
    listing = services.questions_for(event, visitor, newest_first=order == "time")
    upcoming = services.next_slot(event, room, now)
    html = render_template(
        "live/live.html", event=event, room=room, stream=stream, form=form or AskForm(),
        questions=listing.questions, version=listing.version, viewer=visitor,
        voted=services.voted_by(event, visitor),
        current=services.current_slot(event, room, now), upcoming=upcoming,
        last=services.last_slot(event, room), slots=slots, now=now,
        phase=services.phase(slots, now), Phase=services.Phase,
        starts_in=upcoming and format_timedelta(upcoming.starts_at - now, add_direction=True,
                                                locale=get_locale()),
        questions_only=questions_only, order=order, live_url=lambda **a: _live_url(
            event, room, **a),
    )
    response = make_response(html, status)
    if fresh:
        viewer.remember(response, visitor)
    if stream is not None and not questions_only and not stream.embed_url.startswith(
            YOUTUBE_EMBED):
        origin = "/".join(stream.embed_url.split("/")[:3])
        if stream.provider == "hls":
            security.widen_policy(media_src=(origin,))
        else:
            security.widen_policy(frame_src=(origin,))
    return response


@bp.get("/events/<slug>/live")
def event_live(slug: str):
    """The live page of an event: player, programme now and next, questions."""
    return _render_live(event_by_slug(slug), None)


@bp.get("/events/<slug>/rooms/<int:room_id>/live")
def room_live(slug: str, room_id: int):
    """The live page of one room of an event."""
    event = event_by_slug(slug)
    return _render_live(event, _room_or_404(event, room_id))


@bp.post("/events/<slug>/live/questions")
def ask(slug: str):
    """Ask without JavaScript: the plain form of the live page."""
    event = event_by_slug(slug)
    room = _room_or_404(event, request.form.get("room", type=int))
    form = AskForm()
    visitor = viewer.current()
    if not form.validate():
        return _render_live(event, room, form, 400)
    try:
        if visitor is None:
            raise Refused("no_viewer", _("Votre navigateur doit accepter les cookies pour "
                                           "poser une question. Rechargez la page."))
        ratelimit.check("ask", visitor.id, request.remote_addr, visitor.issued_at)
        question = services.ask(event, visitor.id, form.text.data, form.name.data or "",
                                slot_id=request.form.get("slot", type=int), room=room)
    except Refused as exc:
        form.text.errors = [*form.text.errors, exc.message]
        return _render_live(event, room, form, 400)
    if question.status == QuestionStatus.PENDING:
        flash(_("Merci ! Votre question attend la validation des modérateurs."), "success")
    else:
        flash(_("Merci ! Votre question est publiée."), "success")
    return redirect(_live_url(event, room) + "#questions")


@bp.post("/events/<slug>/live/questions/<int:question_id>/vote")
def vote(slug: str, question_id: int):
    """Vote without JavaScript."""
    event = event_by_slug(slug)
    room = _room_or_404(event, request.form.get("room", type=int))
    visitor = viewer.current()
    try:
        if visitor is None:
            raise Refused("no_viewer", _("Rechargez la page du direct pour pouvoir voter."))
        ratelimit.check("vote", visitor.id, request.remote_addr, visitor.issued_at)
        services.vote(event, question_id, visitor.id)
    except Refused as exc:
        flash(exc.message, "error")
    return redirect(_live_url(event, room) + "#questions")


@bp.get("/events/<slug>/live/presenter")
def presenter(slug: str):
    """The presenter screen for a projector: the pinned question and the top ones."""
    event = event_by_slug(slug)
    return render_template("live/presenter.html", event=event,
                           pinned=services.pinned_question(event),
                           top=services.top_questions(event, 3))


@bp.get("/events/<slug>/live/overlay")
def overlay(slug: str):
    """A transparent page with the pinned question, for an OBS browser source."""
    event = event_by_slug(slug)
    response = make_response(render_template(
        "live/overlay.html", event=event, pinned=services.pinned_question(event)))
    # Streaming tools frame this page from anywhere (a local file, another origin).
    security.widen_policy(frame_ancestors="*")
    return response
