"""Organiser pages of the programme: events, rooms, slots, speakers, organisations, series.

Every page needs the organiser role. Views parse forms and call services; a refused
input re-renders the form with the messages (status 400) and changes nothing.
"""

from __future__ import annotations

from datetime import datetime, time

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_wtf import FlaskForm
from sqlalchemy.orm import selectinload

from eventhub.accounts.auth import role_required
from eventhub.accounts.forms import EmptyForm
from eventhub.errors import Refused, status_of
from eventhub.extensions import db
from eventhub.programme import services, versions
from eventhub.programme.forms import (
    EventForm,
    EventOrganisationForm,
    OrganisationForm,
    RoomForm,
    SeriesForm,
    SlotForm,
    SpeakerForm,
    StopForm,
    choices,
)
from eventhub.programme.models import (
    Event,
    EventOrganisation,
    Organisation,
    Room,
    Series,
    SeriesStop,
    Slot,
    SlotKind,
    Speaker,
)

bp = Blueprint("programme_admin", __name__, url_prefix="/manage")


@bp.before_request
@role_required("organiser")
def _require_organiser():
    """Every page of this blueprint is for organisers (others get 403)."""




def _show_errors(form: FlaskForm, exc: Refused) -> None:
    """Attach a service's messages to the form fields they concern."""
    for name, message in exc.errors.items():
        target = getattr(form, name, None) if name else None
        if target is None:
            form.form_errors.append(message)
        else:
            target.errors = [*target.errors, message]


def _page(template: str, form: FlaskForm | None = None, **context):
    """Render an organiser page, answering 400 when ``form`` carries errors."""
    failed = form is not None and (form.errors or form.form_errors)
    return render_template(template, form=form, **context), 400 if failed else 200


def _series_choices():
    return choices(((s.id, s.name) for s in services.list_series()), blank=True)


def _event_form(event: Event | None) -> EventForm:
    form = EventForm(obj=event)
    form.timezone.choices = choices((tz, tz) for tz in services.timezones())
    form.series_id.choices = _series_choices()
    return form


# --- Events -------------------------------------------------------------------------


@bp.get("/events")
def events():
    """Every event, drafts included, newest first."""
    return render_template("programme/admin/events.html", events=services.list_events())


@bp.route("/events/new", methods=["GET", "POST"])
def new_event():
    """Create an event."""
    form = _event_form(None)
    if form.validate_on_submit():
        try:
            event = services.create_event(form.data)
        except Refused as exc:
            _show_errors(form, exc)
        else:
            flash(_("Événement créé. Ajoutez ses salles et ses créneaux."), "success")
            return redirect(url_for("programme_admin.edit_event", event_id=event.id))
    return _page("programme/admin/event_form.html", form, event=None)


@bp.route("/events/<int:event_id>", methods=["GET", "POST"])
def edit_event(event_id: int):
    """Edit an event's fields (and publish it)."""
    event = db.get_or_404(Event, event_id)
    form = _event_form(event)
    if form.validate_on_submit():
        try:
            services.update_event(event, form.data)
        except Refused as exc:
            db.session.rollback()
            _show_errors(form, exc)
        else:
            flash(_("Événement enregistré."), "success")
            return redirect(url_for("programme_admin.edit_event", event_id=event.id))
    return _page("programme/admin/event_form.html", form, event=event)


# --- Rooms --------------------------------------------------------------------------


@bp.route("/events/<int:event_id>/rooms", methods=["GET", "POST"])
def rooms(event_id: int):
    """An event's rooms: add one; rename, reorder or delete the others."""
    event = db.get_or_404(Event, event_id)
    form = RoomForm()
    if form.validate_on_submit():
        try:
            services.add_room(event, form.name.data, form.capacity.data)
        except Refused as exc:
            _show_errors(form, exc)
        else:
            flash(_("Salle ajoutée."), "success")
            return redirect(url_for("programme_admin.rooms", event_id=event.id))
    return _page("programme/admin/rooms.html", form, event=event,
                 room_forms={room.id: RoomForm(obj=room, prefix=f"room{room.id}")
                             for room in event.rooms})


@bp.post("/events/<int:event_id>/rooms/<int:room_id>")
def edit_room(event_id: int, room_id: int):
    """Rename a room or change its capacity."""
    room = services.part_of_event(Room, room_id, event_id)
    form = RoomForm(prefix=f"room{room.id}")
    if form.validate_on_submit():
        try:
            services.rename_room(room, form.name.data, form.capacity.data)
        except Refused as exc:
            db.session.rollback()
            _show_errors(form, exc)
        else:
            flash(_("Salle enregistrée."), "success")
            return redirect(url_for("programme_admin.rooms", event_id=event_id))
    room_forms = {r.id: RoomForm(obj=r, prefix=f"room{r.id}") for r in room.event.rooms}
    room_forms[room.id] = form
    return render_template("programme/admin/rooms.html", form=RoomForm(formdata=None),
                           event=room.event, room_forms=room_forms), 400


@bp.post("/events/<int:event_id>/rooms/<int:room_id>/move")
def move_room(event_id: int, room_id: int):
    """Move a room up or down (``direction`` = up | down)."""
    room = services.part_of_event(Room, room_id, event_id)
    if EmptyForm().validate_on_submit():
        services.move_room(room, -1 if request.form.get("direction") == "up" else 1)
    return redirect(url_for("programme_admin.rooms", event_id=event_id))


def _confirmed(title: str, message: str, back: str):
    """None once the organiser confirmed the deletion this form posts; until then, the
    page that asks (a deletion cannot be undone, and the button sits beside others)."""
    if request.form.get("confirm") == "1":
        return None
    return render_template("confirm.html", title=title, message=message,
                           action=request.path, back=back)


@bp.post("/events/<int:event_id>/rooms/<int:room_id>/delete")
def delete_room(event_id: int, room_id: int):
    """Delete a room, once confirmed; its slots stay, without a room."""
    room = services.part_of_event(Room, room_id, event_id)
    back = url_for("programme_admin.rooms", event_id=event_id)
    if EmptyForm().validate_on_submit():
        asking = _confirmed(
            _("Supprimer la salle « %(name)s » ?", name=room.name),
            ngettext("Son créneau reste au programme, sans salle.",
                     "Ses %(num)d créneaux restent au programme, sans salle.",
                     sum(1 for slot in room.event.slots if slot.room_id == room.id)), back)
        if asking is not None:
            return asking
        services.delete_room(room)
        flash(_("Salle supprimée."), "success")
    return redirect(back)


# --- Slots --------------------------------------------------------------------------


@bp.get("/events/<int:event_id>/slots")
def slots(event_id: int):
    """An event's slots, in time order, with their rooms."""
    event = db.get_or_404(Event, event_id)
    return render_template("programme/admin/slots.html", event=event,
                           days=services.timetable(event), delete_form=EmptyForm())


def _slot_form(event: Event, slot: Slot | None) -> SlotForm:
    form = SlotForm(obj=slot)
    form.room_id.choices = choices(((r.id, r.name) for r in event.rooms), blank=True)
    form.speakers.choices = choices(
        (s.id, f"{s.name} ({s.affiliation})" if s.affiliation else s.name)
        for s in services.list_speakers()
    )
    if not form.is_submitted():
        if slot is not None:
            form.starts_at.data = services.to_local(slot.starts_at, event.timezone)
            form.ends_at.data = services.to_local(slot.ends_at, event.timezone)
            form.speakers.data = [s.id for s in slot.speakers]
        else:
            # A new slot starts on the event's first day, at a usual morning hour, as a
            # talk in the first room: the most common slot, where a blank room and the
            # "welcome" kind were published by mistake.
            form.starts_at.data = datetime.combine(event.start_date, time(9))
            form.ends_at.data = datetime.combine(event.start_date, time(10))
            form.kind.data = SlotKind.CONFERENCE.value
            if event.rooms:
                form.room_id.data = event.rooms[0].id
    return form


def _speaker_order(selected: list[int], slot: Slot | None) -> list[int]:
    """The ticked speakers: those already on the slot keep their order, new ones follow.

    Checkboxes come back in list order, which would otherwise reshuffle the speakers
    (and bump the slot's calendar SEQUENCE) on every save.
    """
    current = [s.id for s in slot.speakers] if slot else []
    return [i for i in current if i in selected] + [i for i in selected if i not in current]


def _save_slot(event: Event, slot: Slot | None):
    form = _slot_form(event, slot)
    conflicts = []
    if form.validate_on_submit():
        new_speakers = []
        if form.new_speaker_name.data:
            new_speakers.append({"name": form.new_speaker_name.data,
                                 "affiliation": form.new_speaker_affiliation.data})
        try:
            result = services.save_slot(
                event, form.data, slot=slot,
                speaker_ids=_speaker_order(form.speakers.data, slot),
                new_speakers=new_speakers, confirm_conflicts=form.confirm_conflicts.data)
        except Refused as exc:
            db.session.rollback()
            if "name" in exc.errors:
                exc.errors["new_speaker_name"] = exc.errors.pop("name")
            _show_errors(form, exc)
        else:
            if result.saved:
                flash(_("Créneau enregistré."), "success")
                return redirect(url_for("programme_admin.slots", event_id=event.id))
            conflicts = result.conflicts
            form.form_errors.append(_("La salle est déjà occupée à ces heures."))
    return _page("programme/admin/slot_form.html", form, event=event, slot=slot,
                 conflicts=conflicts)


@bp.route("/events/<int:event_id>/slots/new", methods=["GET", "POST"])
def new_slot(event_id: int):
    """Add a slot to an event."""
    return _save_slot(db.get_or_404(Event, event_id), None)


@bp.route("/events/<int:event_id>/slots/<int:slot_id>", methods=["GET", "POST"])
def edit_slot(event_id: int, slot_id: int):
    """Edit a slot."""
    slot = services.part_of_event(Slot, slot_id, event_id)
    return _save_slot(slot.event, slot)


@bp.post("/events/<int:event_id>/slots/<int:slot_id>/delete")
def delete_slot(event_id: int, slot_id: int):
    """Delete a slot, once confirmed."""
    slot = services.part_of_event(Slot, slot_id, event_id)
    back = url_for("programme_admin.slots", event_id=event_id)
    if EmptyForm().validate_on_submit():
        asking = _confirmed(_("Supprimer le créneau « %(title)s » ?", title=slot.title),
                            _("Il disparaîtra du programme et des agendas abonnés."), back)
        if asking is not None:
            return asking
        services.delete_slot(slot)
        flash(_("Créneau supprimé."), "success")
    return redirect(back)


# --- Published versions -------------------------------------------------------------


def _versions_page(event: Event, status: int = 200):
    return render_template(
        "programme/admin/versions.html", event=event, history=versions.history(event),
        pending=versions.pending_changes(event), slot_count=len(event.slots),
        describe=versions.describe), status


@bp.get("/events/<int:event_id>/versions")
def versions_page(event_id: int):
    """The programme's published versions, and what publishing now would record."""
    return _versions_page(db.get_or_404(Event, event_id))


@bp.post("/events/<int:event_id>/versions")
def publish_version(event_id: int):
    """Publish the programme as it is now as a new numbered version."""
    event = db.get_or_404(Event, event_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        version = versions.publish(event)
    except Refused as exc:
        flash(exc.message, "error")
        return _versions_page(event, status_of(exc))
    flash(_("Version %(n)s du programme publiée.", n=version.number), "success")
    return redirect(url_for("programme_admin.versions_page", event_id=event.id))


# --- Organisations of an event ------------------------------------------------------


@bp.route("/events/<int:event_id>/organisations", methods=["GET", "POST"])
def event_organisations(event_id: int):
    """The event's organisers and supporters: add or remove one."""
    event = db.get_or_404(Event, event_id, options=[
        selectinload(Event.organisations).selectinload(EventOrganisation.organisation)])
    form = EventOrganisationForm()
    form.organisation_id.choices = choices((o.id, o.name) for o in services.list_organisations())
    if form.validate_on_submit():
        try:
            services.add_event_organisation(event, form.organisation_id.data, form.role.data)
        except Refused as exc:
            _show_errors(form, exc)
        else:
            flash(_("Organisation associée."), "success")
            return redirect(url_for("programme_admin.event_organisations", event_id=event.id))
    return _page("programme/admin/event_organisations.html", form, event=event,
                 delete_form=EmptyForm())


@bp.post("/events/<int:event_id>/organisations/<int:link_id>/delete")
def remove_event_organisation(event_id: int, link_id: int):
    """Remove an organisation from the event."""
    link = db.get_or_404(EventOrganisation, link_id)
    if link.event_id != event_id:
        abort(404)
    if EmptyForm().validate_on_submit():
        services.remove_event_organisation(link)
    return redirect(url_for("programme_admin.event_organisations", event_id=event_id))


# --- Speakers, organisations, series ------------------------------------------------


def _edit_page(form: FlaskForm, save, list_endpoint: str, template: str, **context):
    """The shared create/edit flow of the simple directories (speakers, organisations)."""
    if form.validate_on_submit():
        try:
            save(form.data)
        except Refused as exc:
            db.session.rollback()
            _show_errors(form, exc)
        else:
            flash(_("Enregistré."), "success")
            return redirect(url_for(list_endpoint))
    return _page(template, form, **context)


@bp.route("/speakers", methods=["GET", "POST"])
def speakers():
    """Every speaker, and a form to add one."""
    return _edit_page(SpeakerForm(), services.save_speaker, "programme_admin.speakers",
                      "programme/admin/speakers.html", speakers=services.list_speakers())


@bp.route("/speakers/<int:speaker_id>", methods=["GET", "POST"])
def edit_speaker(speaker_id: int):
    """Edit a speaker (the slug stays, so links keep working)."""
    speaker = db.get_or_404(Speaker, speaker_id)
    return _edit_page(SpeakerForm(obj=speaker),
                      lambda data: services.save_speaker(data, speaker),
                      "programme_admin.speakers", "programme/admin/speaker_form.html",
                      speaker=speaker)


@bp.route("/organisations", methods=["GET", "POST"])
def organisations():
    """Every organisation, and a form to add one."""
    return _edit_page(OrganisationForm(), services.save_organisation,
                      "programme_admin.organisations", "programme/admin/organisations.html",
                      organisations=services.list_organisations())


@bp.route("/organisations/<int:organisation_id>", methods=["GET", "POST"])
def edit_organisation(organisation_id: int):
    """Edit an organisation."""
    organisation = db.get_or_404(Organisation, organisation_id)
    return _edit_page(OrganisationForm(obj=organisation),
                      lambda data: services.save_organisation(data, organisation),
                      "programme_admin.organisations",
                      "programme/admin/organisation_form.html", organisation=organisation)


@bp.route("/series", methods=["GET", "POST"])
def series_list():
    """Every series, and a form to add one."""
    return _edit_page(SeriesForm(), services.save_series, "programme_admin.series_list",
                      "programme/admin/series.html", series=services.list_series())


@bp.route("/series/<int:series_id>", methods=["GET", "POST"])
def edit_series(series_id: int):
    """Edit a series and list its stops."""
    series = db.get_or_404(Series, series_id, options=[
        selectinload(Series.stops).selectinload(SeriesStop.event)])
    return _edit_page(SeriesForm(obj=series), lambda data: services.save_series(data, series),
                      "programme_admin.series_list", "programme/admin/series_form.html",
                      series=series, stop_form=_stop_form(), delete_form=EmptyForm())


def _stop_form() -> StopForm:
    form = StopForm()
    form.event_id.choices = choices(((e.id, e.title) for e in services.list_events()), blank=True)
    return form


@bp.post("/series/<int:series_id>/stops")
def add_stop(series_id: int):
    """Add a stop to a series."""
    series = db.get_or_404(Series, series_id)
    stop_form = _stop_form()
    if stop_form.validate_on_submit():
        try:
            services.add_stop(series, stop_form.city.data, stop_form.event_id.data)
        except Refused as exc:
            _show_errors(stop_form, exc)
        else:
            return redirect(url_for("programme_admin.edit_series", series_id=series.id))
    return render_template("programme/admin/series_form.html", form=SeriesForm(obj=series,
                           formdata=None), series=series, stop_form=stop_form,
                           delete_form=EmptyForm()), 400


@bp.post("/series/<int:series_id>/stops/<int:stop_id>/delete")
def delete_stop(series_id: int, stop_id: int):
    """Remove a stop from a series."""
    stop = db.get_or_404(SeriesStop, stop_id)
    if stop.series_id != series_id:
        abort(404)
    if EmptyForm().validate_on_submit():
        services.delete_stop(stop)
    return redirect(url_for("programme_admin.edit_series", series_id=series_id))
