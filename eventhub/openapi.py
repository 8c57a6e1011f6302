"""The OpenAPI document of ``/api/v1``, assembled from what each domain declares.

A domain calls ``declare(app, paths=…, schemas=…)`` from its ``init_app``; the document
is served at ``/api/v1/openapi.json``.
"""

from __future__ import annotations

from flask import Blueprint, Flask, current_app, jsonify

bp = Blueprint("openapi", __name__, url_prefix="/api/v1")

ERROR_SCHEMA = {
    "type": "object",
    "required": ["error", "message"],
    "properties": {
        "error": {"type": "string", "description": "A stable, machine-readable code."},
        "message": {"type": "string", "description": "What went wrong, for a person."},
    },
}


def _document(app: Flask) -> dict:
    return app.extensions.setdefault(
        "openapi",
        {
            "openapi": "3.1.0",
            "info": {
                "title": "eventhub API",
                "version": "1",
                "description": "Events, programmes, registrations and check-in of eventhub. "
                "Errors are JSON objects with `error` and `message`.",
            },
            "servers": [{"url": "/api/v1"}],
            "paths": {},
            "components": {
                "schemas": {"Error": ERROR_SCHEMA},
                "securitySchemes": {
                    "bearer": {"type": "http", "scheme": "bearer",
                               "description": "A token from `flask create-token EMAIL`."},
                    "session": {"type": "apiKey", "in": "cookie", "name": "session"},
                },
            },
        },
    )


def declare(app: Flask, paths: dict | None = None, schemas: dict | None = None) -> None:
    """Add a domain's paths (relative to ``/api/v1``) and schemas to the document."""
    document = _document(app)
    for path, operations in (paths or {}).items():
        document["paths"].setdefault(path, {}).update(operations)
    document["components"]["schemas"].update(schemas or {})


@bp.get("/openapi.json")
def openapi_json():
    """The OpenAPI 3.1 document."""
    return jsonify(_document(current_app))


def init_app(app: Flask) -> None:
    """Serve the document."""
    _document(app)
    app.register_blueprint(bp)
