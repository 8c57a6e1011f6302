"""Signed-cookie sessions that are never written on an answer shared with every reader."""

from __future__ import annotations

from flask import Flask
from flask.sessions import SecureCookieSessionInterface, SessionMixin
from werkzeug.wrappers import Response

from eventhub.sharing import is_shared


class CookieSessions(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, kept off the public exports."""

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
