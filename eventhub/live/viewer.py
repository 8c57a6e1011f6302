"""Viewers without an account: a random id in a cookie signed with the app's secret.

The signature carries the time the cookie was issued: a cookie earns the right to ask
and vote once it is ``LIVE_VIEWER_MIN_AGE`` seconds old (see ``ratelimit``).
"""

from __future__ import annotations

import secrets
from typing import NamedTuple

from flask import current_app, request
from itsdangerous import BadSignature, URLSafeTimedSerializer

COOKIE = "live_viewer"
_SALT = "eventhub.live.viewer"


class Viewer(NamedTuple):
    """A viewer id and when its cookie was issued (Unix time)."""

    id: str
    issued_at: float


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=_SALT)


def read(value: str | None) -> Viewer | None:
    """The viewer a signed cookie value carries, or ``None`` when absent or forged."""
    if not value:
        return None
    try:
        found, issued = _serializer().loads(value, return_timestamp=True)
    except BadSignature:
        return None
    if not isinstance(found, str) or len(found) > 64:
        return None
    return Viewer(found, issued.timestamp())


def viewer_id(value: str | None) -> str | None:
    """The viewer id a signed cookie value carries, or ``None`` when absent or forged."""
    found = read(value)
    return found.id if found else None


def current() -> Viewer | None:
    """The viewer of the current request's cookie."""
    return read(request.cookies.get(COOKIE))


def current_viewer() -> str | None:
    """The viewer id of the current request's cookie."""
    found = current()
    return found.id if found else None


def sign(viewer: str) -> str:
    """The signed cookie value for ``viewer``, issued now."""
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
