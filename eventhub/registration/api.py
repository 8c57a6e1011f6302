"""JSON API: registrations, check-in (single and offline bulk), figures."""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, datetime

from flask import Blueprint, abort, jsonify, request
from flask_babel import gettext as _
from flask_login import current_user

from eventhub.accounts.auth import role_required
from eventhub.accounts.roles import Role
from eventhub.errors import Refused, error_response
from eventhub.extensions import csrf, limiter
from eventhub.programme.services import event_by_slug
from eventhub.registration import checkin, figures, mails, services
from eventhub.registration.models import ScanResult

bp = Blueprint("registration_api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)

MAX_BULK = 500


def json_object() -> dict:
    """The request's JSON object, or a 415/400 error."""
    if not request.is_json:
        raise Refused("unsupported_media_type", _("Le contenu doit être envoyé en JSON."))
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise Refused("bad_request", _("Un objet JSON est attendu."))
    return data


@bp.post("/events/<slug>/registrations")
@limiter.limit("30 per minute")
def create_registration(slug: str):
    """Register someone; 201 with the status and the ticket link."""
    event = event_by_slug(slug)
    data = json_object()
    registration = services.register(
        event, data.get("name"), data.get("email"), data.get("attendance"),
        data.get("organisation") or "", data.get("choices"))
    mails.send_confirmation(registration)
    return jsonify({"status": registration.status,
                    "ticket_url": mails.ticket_url(registration)}), 201


def _scan_time(value) -> datetime | None:
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        return None
    return moment.astimezone(UTC) if moment.tzinfo else None


def _scan_fields(data: dict) -> tuple[str, str | None] | None:
    """The code and nonce of a scan's body, or None if they are not texts."""
    code, nonce = data.get("code"), data.get("nonce")
    if isinstance(code, str) and (nonce is None or isinstance(nonce, str)):
        return code, nonce
    return None


# Not rate limited: door staff sign in, and a venue's scanners often share one address.
@bp.post("/events/<slug>/checkin")
@role_required(Role.DOOR)
def check_in(slug: str):
    """Check a ticket in: 401/403, 415/400, then ``checkin.scan``'s answer."""
    fields = _scan_fields(json_object())
    if fields is None:
        return error_response(400, "invalid_field",
                              _("« code » (et « nonce ») sont des textes."), field="code")
    code, nonce = fields
    return jsonify(checkin.scan(slug, code, current_user.id, nonce).as_json())


@bp.post("/events/<slug>/checkin/sync")
@role_required(Role.DOOR)
def check_in_bulk(slug: str):
    """Offline scans, replayed with their original times; conflicts are reported."""
    event_by_slug(slug, include_drafts=True)  # an unknown event is a 404, even with no scan
    scans = json_object().get("scans")
    if not isinstance(scans, list) or len(scans) > MAX_BULK:
        return error_response(400, "invalid_field",
                              _("« scans » est une liste de %(n)s scans au plus.", n=MAX_BULK),
                              field="scans")
    results = []
    for item in scans:
        if not isinstance(item, dict) or not isinstance(item.get("code"), str):
            results.append({"result": ScanResult.INVALID, "conflict": True, "nonce": None})
            continue
        nonce = item.get("nonce") if isinstance(item.get("nonce"), str) else None
        answer = checkin.scan(slug, item["code"], current_user.id, nonce,
                              _scan_time(item.get("scanned_at")))
        # The scanner let the person in offline: any other answer is a conflict.
        results.append({**answer.as_json(), "nonce": nonce,
                        "conflict": answer.result != ScanResult.OK})
    return jsonify({"results": results,
                    "conflicts": sum(1 for r in results if r["conflict"])})


@bp.get("/events/<slug>/checkin/codes")
@role_required(Role.DOOR)
def valid_codes(slug: str):
    """SHA-256 of every valid code, for checking offline."""
    event = event_by_slug(slug, include_drafts=True)
    return jsonify({"algorithm": "sha256", "hashes": checkin.valid_code_hashes(event)})


@bp.get("/events/<slug>/checkin/names")
@role_required(Role.DOOR)
def door_names(slug: str):
    """The on-site attendees' names and short codes, for searching by name offline."""
    event = event_by_slug(slug, include_drafts=True)
    return jsonify({"attendees": checkin.door_names(event)})


@bp.post("/events/<slug>/registrations/<int:registration_id>/undo-checkin")
@role_required(Role.ORGANISER)
def undo_check_in(slug: str, registration_id: int):
    """Undo a check-in (an organiser's correction)."""
    event = event_by_slug(slug, include_drafts=True)
    registration = services.registration_of(event, registration_id)
    if registration is None:
        abort(404)
    return jsonify({"undone": checkin.undo(registration, current_user.id)})


@bp.get("/events/<slug>/stats")
@role_required(Role.DOOR)
def stats(slug: str):
    """The figures of the dashboard."""
    return jsonify(asdict(figures.stats(event_by_slug(slug, include_drafts=True))))


ERROR = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}


def _json(schema: str) -> dict:
    return {"content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}}}


SECURED = [{"bearer": []}, {"session": []}]
SLUG = [{"name": "slug", "in": "path", "required": True, "schema": {"type": "string"}}]

OPENAPI_PATHS = {
    "/events/{slug}/registrations": {"post": {
        "summary": "Register for an event (rate limited)", "parameters": SLUG,
        "requestBody": {"required": True, **_json("RegistrationRequest")},
        "responses": {"201": {"description": "Registered", **_json("RegistrationCreated")},
                      "403": {"description": "registration_closed", **ERROR},
                      "409": {"description": "duplicate_email", **ERROR},
                      "422": {"description": "invalid_field (with `field`)", **ERROR},
                      "429": {"description": "Too many requests", **ERROR}}}},
    "/events/{slug}/checkin": {"post": {
        "summary": "Check a ticket in (door role)", "parameters": SLUG, "security": SECURED,
        "requestBody": {"required": True, **_json("CheckinRequest")},
        "responses": {"200": {"description": "The answer", **_json("CheckinAnswer")},
                      "401": {"description": "Not authenticated", **ERROR},
                      "403": {"description": "Not door staff", **ERROR}}}},
    "/events/{slug}/checkin/sync": {"post": {
        "summary": "Replay offline scans with their original times; reports conflicts",
        "parameters": SLUG, "security": SECURED,
        "requestBody": {"required": True, "content": {"application/json": {"schema": {
            "type": "object", "properties": {"scans": {"type": "array", "items": {
                "allOf": [{"$ref": "#/components/schemas/CheckinRequest"}, {
                    "properties": {"scanned_at": {"type": "string",
                                                  "format": "date-time"}}}]}}}}}}},
        "responses": {"200": {"description": "One answer per scan, plus `conflicts`"}}}},
    "/events/{slug}/checkin/codes": {"get": {
        "summary": "SHA-256 hashes of the valid codes (offline scanner)", "parameters": SLUG,
        "security": SECURED, "responses": {"200": {"description": "The hashes"}}}},
    "/events/{slug}/checkin/names": {"get": {
        "summary": "Confirmed on-site attendees' names and short codes (offline name search)",
        "parameters": SLUG, "security": SECURED,
        "responses": {"200": {"description": "`attendees`: name, organisation, short_code"},
                      "401": {"description": "Not authenticated", **ERROR},
                      "403": {"description": "Not door staff", **ERROR}}}},
    "/events/{slug}/registrations/{registration_id}/undo-checkin": {"post": {
        "summary": "Undo a check-in (organiser)", "security": SECURED,
        "parameters": [*SLUG, {"name": "registration_id", "in": "path", "required": True,
                               "schema": {"type": "integer"}}],
        "responses": {"200": {"description": "Whether a check-in was undone"},
                      "401": {"description": "Not authenticated", **ERROR},
                      "403": {"description": "Not an organiser", **ERROR},
                      "404": {"description": "No such registration in this event", **ERROR}}}},
    "/events/{slug}/stats": {"get": {
        "summary": "Registration and check-in figures (organiser or door)", "parameters": SLUG,
        "security": SECURED, "responses": {"200": {"description": "Figures", **_json("Stats")}}}},
}

OPENAPI_SCHEMAS = {
    "RegistrationRequest": {"type": "object", "required": ["name", "email", "attendance"],
                            "properties": {
                                "name": {"type": "string", "maxLength": 200},
                                "email": {"type": "string", "format": "email"},
                                "organisation": {"type": "string"},
                                "attendance": {"enum": ["onsite", "remote"]},
                                "choices": {"type": "array", "items": {"type": "integer"},
                                            "description": "Workshop slot ids, one per rotation"}}},
    "RegistrationCreated": {"type": "object", "properties": {
        "status": {"enum": ["confirmed", "waitlisted"]},
        "ticket_url": {"type": "string", "format": "uri"}}},
    "CheckinRequest": {"type": "object", "required": ["code"], "properties": {
        "code": {"type": "string", "description": "What the QR code holds"},
        "nonce": {"type": "string", "description": "Client id of this scan; retries are safe"}}},
    "CheckinAnswer": {"type": "object", "required": ["result"], "properties": {
        "result": {"enum": ["ok", "already_checked_in", "cancelled", "waitlisted",
                            "remote", "wrong_event", "invalid"],
                   "description": "Only ok checks the holder in; remote is a remote "
                                  "registration, which has no place in the room"},
        "checked_in_at": {"type": "string", "format": "date-time"},
        "attendee": {"type": "object"}}},
    "Stats": {"type": "object", "properties": {
        name: {"type": "integer"} for name in ("onsite_capacity", "confirmed_onsite",
                                               "confirmed_remote", "waitlisted", "checked_in")}},
}
