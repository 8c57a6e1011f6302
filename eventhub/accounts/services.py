"""Account rules: creating users, checking passwords, issuing and revoking tokens."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from werkzeug.security import check_password_hash, generate_password_hash

from eventhub.accounts.models import ApiToken, User, new_session_stamp
from eventhub.accounts.roles import Role
from eventhub.database import utcnow
from eventhub.errors import Refused
from eventhub.extensions import db
from eventhub.text import normalise_email

MIN_PASSWORD_LENGTH = 10
TOKEN_USE_PRECISION = timedelta(minutes=1)
TOKEN_PREFIX = "eh_"  # noqa: S105 - a marker, not a secret

# Passwords are hashed with Werkzeug's default method, scrypt (the tests read it in the
# stored hash), and tokens hold Python's default 32 random bytes (the tests count them):
# said once here rather than as arguments equal to the defaults.
# Checked against when the e-mail is unknown, so a login takes as long either way.
_DUMMY_HASH = generate_password_hash("not-a-real-password")


def find_user(email: str) -> User | None:
    """The user with this e-mail, if any (case-insensitive)."""
    return db.session.scalar(sa.select(User).where(User.email == email.strip().lower()))


def create_user(email: str, password: str, role: str, name: str = "") -> User:
    """Create an account; refused (``invalid_field``) for a bad field or a taken
    e-mail."""
    email = normalise_email(email)
    if role not in set(Role):
        raise Refused("invalid_field",
                      _("Rôle inconnu : %(role)s (admin, organiser, moderator, door).", role=role),
                      field="role")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise Refused("invalid_field",
                      _("Le mot de passe doit compter au moins %(n)d caractères.",
                        n=MIN_PASSWORD_LENGTH), field="password")
    if find_user(email):
        raise Refused("invalid_field", _("Un compte existe déjà pour %(email)s.", email=email),
                      field="email")
    user = User(
        email=email,
        name=name.strip(),
        role=role,
        password_hash=generate_password_hash(password),
    )
    db.session.add(user)
    db.session.commit()
    return user


def set_password(user: User, password: str) -> None:
    """Replace a user's password."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise Refused("invalid_field",
                      _("Le mot de passe doit compter au moins %(n)d caractères.",
                        n=MIN_PASSWORD_LENGTH), field="password")
    user.password_hash = generate_password_hash(password)
    user.session_stamp = new_session_stamp()
    db.session.commit()


def end_sessions(user_id: int) -> None:
    """End every session of an account, on every device (its remember cookies too)."""
    db.session.execute(sa.update(User).where(User.id == user_id)
                       .values(session_stamp=new_session_stamp()))
    db.session.commit()


def update_account(user: User, role: str, active: bool) -> None:
    """Set an account's role and status; a change ends its sessions."""
    if (user.role, user.active) != (role, active):
        user.session_stamp = new_session_stamp()
    user.role, user.active = role, active
    db.session.commit()


def authenticate(email: str, password: str) -> User | None:
    """The active user whose e-mail and password match, else ``None``."""
    user = find_user(email)
    if user is None:
        check_password_hash(_DUMMY_HASH, password)
        return None
    if not check_password_hash(user.password_hash, password) or not user.active:
        return None
    return user


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(user: User, label: str = "") -> str:
    """Create a bearer token for ``user`` and return it; it cannot be read again."""
    token = TOKEN_PREFIX + secrets.token_urlsafe()
    db.session.add(
        ApiToken(user=user, label=label.strip(), token_hash=_hash_token(token), prefix=token[:10])
    )
    db.session.commit()
    return token


def user_for_token(token: str) -> User | None:
    """The active user a valid, unrevoked bearer token belongs to."""
    if not token.startswith(TOKEN_PREFIX):
        return None
    row = db.session.scalar(
        sa.select(ApiToken)
        .options(sa.orm.joinedload(ApiToken.user))
        .where(ApiToken.token_hash == _hash_token(token))
    )
    if row is None or row.revoked or not row.user.active:
        return None
    now = utcnow()
    # A scanner sends many requests a minute: recording each use would make every
    # request a write, and writers queue on SQLite. Minute precision is enough.
    if row.last_used_at is None or now - row.last_used_at > TOKEN_USE_PRECISION:
        row.last_used_at = now
        db.session.commit()
    return row.user


def revoke_token(token_id: int) -> ApiToken:
    """Revoke a token by id; revoking twice is harmless."""
    row = db.session.get(ApiToken, token_id)
    if row is None:
        raise Refused("not_found", _("Jeton introuvable."))
    if row.revoked_at is None:
        row.revoked_at = utcnow()
        db.session.commit()
    return row


def list_tokens() -> list[ApiToken]:
    """Every token, newest first, with its user."""
    return list(
        db.session.scalars(
            sa.select(ApiToken).options(sa.orm.joinedload(ApiToken.user)).order_by(
                ApiToken.id.desc()
            )
        )
    )


def list_users() -> list[User]:
    """Every account, by e-mail."""
    return list(db.session.scalars(sa.select(User).order_by(User.email)))
