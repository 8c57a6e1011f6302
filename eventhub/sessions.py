"""Signed-cookie sessions, their signing serializer built once per key, and never
written on an answer shared with every reader."""

from __future__ import annotations

from flask import Flask
from flask.sessions import SecureCookieSessionInterface, SessionMixin
from itsdangerous import URLSafeTimedSerializer
from werkzeug.wrappers import Response

from eventhub.sharing import is_shared


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

    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        """Write the session cookie, except on an answer shared with every reader.

        A shared answer carries no cookie at all (a remember-me cookie that Flask-Login
        added is dropped too) and no ``Vary: Cookie``: its content is the same for all.
        This runs after every ``after_request`` function, so nothing adds one later.
        """
        if is_shared():
            response.headers.remove("Set-Cookie")
            return
        super().save_session(app, session, response)
