"""Signed-cookie sessions, their signing serializer built once per key."""

from __future__ import annotations

from flask import Flask
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import URLSafeTimedSerializer


class CookieSessions(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, with the serializer kept instead of rebuilt.

    Flask builds it again for every request that carries a session cookie, and its
    constructor serialises an empty dict to learn its kind: a hundredth of a door scan.
    It holds no state between calls, so one per set of keys serves every thread.
    """

    def __init__(self) -> None:
        self._serializers: dict[tuple, URLSafeTimedSerializer | None] = {}

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        """The serializer of ``app``'s current secret key and fallbacks."""
        keys = (app.secret_key, tuple(app.config["SECRET_KEY_FALLBACKS"] or ()))
        if keys not in self._serializers:
            self._serializers[keys] = super().get_signing_serializer(app)
        return self._serializers[keys]
