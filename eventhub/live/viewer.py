"""Viewers without an account: a random id in a cookie signed with the app's secret."""

from __future__ import annotations

import secrets

from flask import current_app, request
from itsdangerous import BadSignature, URLSafeSerializer

COOKIE = "live_viewer"
_SALT = "eventhub.live.viewer"


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=_SALT)


def viewer_id(value: str | None) -> str | None:
    """The viewer id a signed cookie value carries, or ``None`` when absent or forged."""
    if not value:
        return None
    try:
        found = _serializer().loads(value)
    except BadSignature:
        return None
    return found if isinstance(found, str) and len(found) <= 64 else None


def current_viewer() -> str | None:
    """The viewer id of the current request's cookie."""
    return viewer_id(request.cookies.get(COOKIE))


def sign(viewer: str) -> str:
    """The signed cookie value for ``viewer``."""
    return _serializer().dumps(viewer)


def new_viewer() -> str:
    """A fresh random viewer id."""
    return secrets.token_hex(16)


def remember(response, viewer: str) -> None:
    """Set the signed viewer cookie on ``response`` (for a year)."""
    response.set_cookie(
        COOKIE, sign(viewer), max_age=365 * 24 * 3600, httponly=True, samesite="Lax",
        secure=current_app.config.get("SESSION_COOKIE_SECURE", False),
    )
