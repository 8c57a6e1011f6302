"""Roles and what each one grants.

A user holds one role; a role grants itself and the roles listed under it, so that an
organiser can also run the door and moderate questions.
"""

from __future__ import annotations

from enum import StrEnum

from flask_babel import lazy_gettext as _l


class Role(StrEnum):
    """The roles an account may hold."""

    ADMIN = "admin"
    ORGANISER = "organiser"
    MODERATOR = "moderator"
    DOOR = "door"


GRANTS: dict[Role, frozenset[Role]] = {
    Role.ADMIN: frozenset(Role),
    Role.ORGANISER: frozenset({Role.ORGANISER, Role.MODERATOR, Role.DOOR}),
    Role.MODERATOR: frozenset({Role.MODERATOR}),
    Role.DOOR: frozenset({Role.DOOR}),
}

LABELS = {
    Role.ADMIN: _l("Administration"),
    Role.ORGANISER: _l("Organisation"),
    Role.MODERATOR: _l("Modération"),
    Role.DOOR: _l("Accueil (contrôle des billets)"),
}


def grants(held: str, wanted: str) -> bool:
    """Whether a user holding role ``held`` may act as ``wanted``."""
    return Role(wanted) in GRANTS[Role(held)]
