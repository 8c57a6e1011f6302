"""Who is asking: session login for people, bearer tokens for scripts and scanners."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from flask import Flask, abort, g, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_socketio import ConnectionRefusedError

from eventhub.accounts import services
from eventhub.accounts.models import User
from eventhub.errors import Refused, wants_json
from eventhub.extensions import db, login_manager


def bearer_token() -> str | None:
    """The token of an ``Authorization: Bearer …`` header, if present."""
    header = request.headers.get("Authorization", "")
    scheme, _sep, token = header.partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip()
    return None


def socket_user(auth: object) -> User | None:
    """Who opens a Socket.IO connection: the account of ``auth.token`` when one is given,
    else the session's; None for a visitor. A token that authenticates nobody refuses
    the connection."""
    # ``g`` belongs to the app context, which an enclosing one (tests, tasks) may share:
    # make Flask-Login read this connection's session rather than a cached user.
    g.pop("_login_user", None)
    token = auth.get("token") if isinstance(auth, dict) else None
    if not token:
        return current_user if current_user.is_authenticated else None
    user = services.user_for_token(str(token))
    if user is None:
        raise ConnectionRefusedError({"error": "invalid_token",
                                      "message": _("Jeton invalide ou révoqué.")})
    return user


def signed_in(session_id: str) -> User | None:
    """The active account a session (or remember cookie) names, if its stamp still holds.

    The session names the account and the stamp it was signed in under (``get_id``):
    once the stamp changes (logging out, a new password or role, deactivation), the
    cookie opens nothing.
    """
    user_id, _sep, stamp = session_id.partition(":")
    if not user_id.isdigit() or not stamp:
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.active or user.session_stamp != stamp:
        return None
    return user


def init_app(app: Flask) -> None:
    """Teach Flask-Login to load users from the session and from bearer tokens."""
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = None
    # None: "strong" protection empties any session whose identifier it did not set (a
    # CSRF token is enough) before the bearer token is even read, and logs door staff out
    # whenever their phone changes network; "basic" only marks a session "not fresh",
    # which nothing here asks about, at the price of a SHA-512 per request and a
    # 128-character hash in every session cookie.
    login_manager.session_protection = None

    login_manager.user_loader(signed_in)

    @login_manager.request_loader
    def load_from_token(req) -> User | None:
        token = bearer_token()
        return services.user_for_token(token) if token else None


def role_required(role: str) -> Callable:
    """Restrict a view to users whose role grants ``role``.

    Anonymous visitors are sent to the login page (HTML) or answered 401 (API); a user
    without the role gets 403.
    """

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                if wants_json():
                    raise Refused(
                        "unauthorized",
                        _("Authentification requise (cookie de session ou jeton Bearer)."),
                    )
                return redirect(url_for("accounts.login", next=request.full_path.rstrip("?")))
            if not current_user.can(role):
                if wants_json():
                    raise Refused("forbidden", _("Ce compte n'a pas le rôle requis."))
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator
