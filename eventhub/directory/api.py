"""Read-only JSON of the published directory. Fields are listed one by one so that no
e-mail address (nor any private column) can slip into an answer."""

from __future__ import annotations

from flask import Blueprint, Flask, jsonify, request, url_for

from eventhub import openapi
from eventhub.directory import services
from eventhub.directory.models import Teleworker, Venue, WorkerStatus
from eventhub.errors import Refused
from eventhub.extensions import csrf

bp = Blueprint("directory_api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)


def teleworker_json(person: Teleworker) -> dict:
    """The public fields of a teleworker."""
    return {
        "slug": person.slug, "name": person.name, "status": person.status,
        "activity": person.activity, "skills": [skill.name for skill in person.skills],
        "commune": person.commune, "website": person.website,
        "presentation": person.presentation,
        "url": url_for("directory.profile", slug=person.slug, _external=True),
    }


def venue_json(place: Venue) -> dict:
    """The public fields of a venue."""
    return {
        "slug": place.slug, "kind": place.kind, "name": place.name, "address": place.address,
        "commune": place.commune, "latitude": place.latitude, "longitude": place.longitude,
        "contact_name": place.contact_name, "website": place.website,
        "opening_hours": place.opening_hours, "services": list(place.services),
        "open_to_public": place.open_to_public,
        "url": url_for("directory.venue", slug=place.slug, _external=True),
    }


@bp.get("/directory/teleworkers")
def teleworkers():
    """Published teleworkers, filtered like the directory page."""
    status = request.args.get("status", "")
    if status and status not in set(WorkerStatus):
        raise Refused("bad_status", "status must be one of: " + ", ".join(WorkerStatus))
    filters = services.Filters(q=request.args.get("q", "")[:100], status=status,
                               skill=request.args.get("skill", "")[:60],
                               commune=request.args.get("commune", "")[:120])
    return jsonify({"teleworkers": [teleworker_json(p) for p in
                                    services.search_teleworkers(filters)]})


@bp.get("/directory/venues")
def venues():
    """Published venues."""
    return jsonify({"venues": [venue_json(v) for v in services.published_venues()]})


def declare(app: Flask) -> None:
    """Describe these endpoints in the OpenAPI document."""
    text = {"type": "string"}
    query = [{"name": name, "in": "query", "required": False, "schema": text}
             for name in ("q", "status", "skill", "commune")]
    openapi.declare(
        app,
        paths={
            "/directory/teleworkers": {"get": {
                "summary": "Published teleworkers of the directory (never their e-mail)",
                "parameters": query,
                "responses": {
                    "200": {"description": "The list", "content": {"application/json": {
                        "schema": {"type": "object", "properties": {"teleworkers": {
                            "type": "array",
                            "items": {"$ref": "#/components/schemas/DirectoryTeleworker"}}}}}}},
                    "400": {"description": "Unknown status", "content": {"application/json": {
                        "schema": {"$ref": "#/components/schemas/Error"}}}}}}},
            "/directory/venues": {"get": {
                "summary": "Published venues: télécentres, comptoirs, resource centres",
                "responses": {"200": {"description": "The list", "content": {
                    "application/json": {"schema": {"type": "object", "properties": {
                        "venues": {"type": "array", "items": {
                            "$ref": "#/components/schemas/DirectoryVenue"}}}}}}}}}},
        },
        schemas={
            "DirectoryTeleworker": {"type": "object", "properties": {
                "slug": text, "name": text, "status": {"enum": list(WorkerStatus)},
                "activity": text, "skills": {"type": "array", "items": text},
                "commune": text, "website": text, "presentation": text, "url": text}},
            "DirectoryVenue": {"type": "object", "properties": {
                "slug": text, "kind": {"enum": ["telecentre", "comptoir", "resource_centre"]},
                "name": text, "address": text, "commune": text,
                "latitude": {"type": ["number", "null"]},
                "longitude": {"type": ["number", "null"]},
                "contact_name": text, "website": text, "opening_hours": text,
                "services": {"type": "array", "items": text},
                "open_to_public": {"type": "boolean"}, "url": text}},
        },
    )
