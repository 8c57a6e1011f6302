"""Who is asking: session login for people, bearer tokens for scripts and scanners."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

import sqlalchemy as sa
from flask import Flask, abort, current_app, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from eventhub.accounts import services
from eventhub.accounts.models import SignedIn, User
from eventhub.accounts.roles import holders_of
from eventhub.errors import Refused, wants_json
from eventhub.extensions import db, login_manager


def bearer_token() -> str | None:
    """The token of an ``Authorization: Bearer …`` header, if present."""
    header = request.headers.get("Authorization", "")
    scheme, _sep, token = header.partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip()
    return None


# Every signed-in request loads its account: five columns read without the ORM cost a
# fifth of loading the ``User`` (a tenth of a check-in). Views that change the account
# itself load the ``User`` row.
_users = User.__table__
_SIGNED_IN = sa.select(_users.c.id, _users.c.email, _users.c.name, _users.c.role,
                       _users.c.active).where(_users.c.id == sa.bindparam("user_id"),
                                              _users.c.active)


def claimed_user_id() -> int | None:
    """The account id that the signed session cookie names, not yet looked up.

    For a hot path that checks the account inside its own statement (``may_act_as``)
    instead of loading it first. The cookie is signed, so the id is the one this app
    stored at login (Flask-Login's key, also written on a "remember me" cookie's first
    use); whether that account still exists, is active and holds the role is what the
    statement decides. None when no session names one (visitors, bearer tokens alone),
    and whenever Flask-Login is configured to check more than the signature
    (``SESSION_PROTECTION``): Flask-Login then decides.
    """
    if current_app.config.get("SESSION_PROTECTION", login_manager.session_protection):
        return None
    user_id = session.get("_user_id")
    return int(user_id) if isinstance(user_id, str) and user_id.isdigit() else None


def may_act_as(role: str, user_id: sa.ColumnElement[int]) -> sa.ColumnElement[bool]:
    """SQL for ``Account.can(role)`` of the account ``user_id`` (a bind parameter)."""
    # One comparison per role rather than IN: an IN list is expanded at each execution.
    return sa.exists().where(
        _users.c.id == user_id, _users.c.active,
        sa.or_(*(_users.c.role == held.value for held in holders_of(role))))


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

    @login_manager.user_loader
    def load_user(user_id: str) -> SignedIn | None:
        if not user_id.isdigit():
            return None
        row = db.session.connection().execute(_SIGNED_IN, {"user_id": int(user_id)}).first()
        return SignedIn(*row) if row is not None else None

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
