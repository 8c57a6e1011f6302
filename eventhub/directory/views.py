"""Public directory pages: search, profiles, venues and map, applications, contact,
and the private-link pages where an entry's owner edits or erases it."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _

from eventhub.directory import charter, services
from eventhub.directory.forms import (
    ConfirmForm,
    ContactForm,
    TeleworkerApplyForm,
    VenueApplyForm,
    entry_form,
    form_started_stamp,
)
from eventhub.directory.models import Teleworker, WorkerStatus
from eventhub.errors import Refused
from eventhub.extensions import limiter

bp = Blueprint("directory", __name__, url_prefix="/annuaire")


def _contact_limit() -> str:
    return current_app.config["DIRECTORY_CONTACT_RATE_LIMIT"]


def _apply_limit() -> str:
    return current_app.config["DIRECTORY_APPLY_RATE_LIMIT"]


def _refused(template: str, form, message: str | None = None, **context):
    """Re-render a form that failed, with status 400."""
    if message:
        flash(message, "error")
    return render_template(template, form=form, **context), 400


@bp.get("")
def index():
    """The public directory: search and filters (plain GET form), progress to the goal."""
    filters = services.Filters(
        q=request.args.get("q", "")[:100],
        status=request.args.get("status", "") if request.args.get("status") in set(
            WorkerStatus) else "",
        skill=request.args.get("skill", "")[:60],
        commune=request.args.get("commune", "")[:120],
    )
    return render_template(
        "directory/index.html", filters=filters, people=services.search_teleworkers(filters),
        choices=services.filter_choices(), statuses=WorkerStatus.labels(),
        progress=services.community_progress())


def _contact(entry, template: str, **context):
    """Show an entry's page with its contact form, and relay the form when posted."""
    form = ContactForm()
    if request.method == "GET":
        form.started.data = form_started_stamp()
        return render_template(template, form=form, **context)
    if not form.validate_on_submit():
        return _refused(template, form, **context)
    try:
        services.send_contact(entry, form.sender_name.data, form.sender_email.data,
                              form.message.data)
    except Refused as exc:
        return _refused(template, form, exc.message, **context)
    flash(_("Votre message a été transmis. La réponse arrivera dans votre boîte e-mail."),
          "success")
    return redirect(request.path)


@bp.route("/membres/<slug>", methods=["GET", "POST"])
@limiter.limit(_contact_limit, methods=["POST"])
def profile(slug: str):
    """A teleworker's public profile and its contact form."""
    person = services.published_teleworker(slug) or abort(404)
    return _contact(person, "directory/profile.html", person=person)


@bp.get("/lieux")
def venues():
    """Published venues, as a list (which works alone) and a map."""
    return render_template("directory/venues.html", venues=services.published_venues(),
                           tiles=current_app.config["DIRECTORY_MAP_TILES"])


@bp.route("/lieux/<slug>", methods=["GET", "POST"])
@limiter.limit(_contact_limit, methods=["POST"])
def venue(slug: str):
    """A venue's page and its contact form."""
    place = services.published_venue(slug) or abort(404)
    return _contact(place, "directory/venue.html", venue=place,
                    tiles=current_app.config["DIRECTORY_MAP_TILES"])


@bp.route("/inscription", methods=["GET", "POST"])
@limiter.limit(_apply_limit, methods=["POST"])
def apply_teleworker():
    """A teleworker applies to be listed."""
    form = TeleworkerApplyForm()
    template = "directory/apply_teleworker.html"
    if request.method == "GET":
        return render_template(template, form=form)
    if not form.validate_on_submit():
        return _refused(template, form)
    try:
        services.apply_teleworker(form.data, consent=form.consent.data)
    except Refused as exc:
        return _refused(template, form, exc.message)
    return redirect(url_for("directory.thanks"))


@bp.route("/adhesion-lieu", methods=["GET", "POST"])
@limiter.limit(_apply_limit, methods=["POST"])
def apply_venue():
    """A venue applies to join the network and accepts the charter."""
    form = VenueApplyForm()
    current = charter.current()
    template = "directory/apply_venue.html"
    if request.method == "GET":
        form.charter_version.data = current.version
        return render_template(template, form=form, charter=current)
    if not form.validate_on_submit():
        return _refused(template, form, charter=current)
    version = form.charter_version.data
    try:
        services.apply_venue(form.data, int(version) if str(version).isdigit() else None)
    except Refused as exc:
        return _refused(template, form, exc.message, charter=current)
    return redirect(url_for("directory.thanks"))


@bp.get("/merci")
def thanks():
    """What happens next after an application."""
    return render_template("directory/thanks.html")


def _private(response):
    """A private-link page: never cached, never sent as a referrer to other sites."""
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def _owned(token: str):
    return services.find_by_token(token) or abort(404)


@bp.route("/modifier/<token>", methods=["GET", "POST"])
def edit(token: str):
    """The owner edits their entry through the private link."""
    entry = _owned(token)
    form = entry_form(entry, filled=request.method == "GET")
    context = {"entry": entry, "token": token, "is_person": isinstance(entry, Teleworker)}
    if request.method == "POST":
        if not form.validate_on_submit():
            return _private(current_app.make_response(
                _refused("directory/edit.html", form, **context)))
        try:
            warning = services.update_entry(entry, form.data)
        except Refused as exc:
            return _private(current_app.make_response(
                _refused("directory/edit.html", form, exc.message, **context)))
        if warning:
            flash(warning, "warning")
        flash(_("Vos modifications sont enregistrées."), "success")
        return _private(redirect(url_for("directory.edit", token=token)))
    return _private(current_app.make_response(
        render_template("directory/edit.html", form=form, **context)))


@bp.route("/modifier/<token>/effacer", methods=["GET", "POST"])
def erase(token: str):
    """The owner erases their entry and everything tied to it."""
    entry = _owned(token)
    form = ConfirmForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            return _private(current_app.make_response(
                _refused("directory/erase.html", form, entry=entry, token=token)))
        services.erase(entry)
        flash(_("Votre fiche et tout ce qui s'y rattachait ont été effacés."), "success")
        return redirect(url_for("directory.index"))
    return _private(current_app.make_response(
        render_template("directory/erase.html", form=form, entry=entry, token=token)))
