"""Unique values (slugs, names) that two simultaneous requests may both want."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from eventhub.errors import Refused
from eventhub.extensions import db
from eventhub.text import slugify

T = TypeVar("T")
# How many times a write is tried again when a concurrent request won a unique value.
WRITE_ATTEMPTS = 3


def unique_slug(model, text: str, current_id: int | None = None) -> str:
    """A slug for ``text`` not yet used by another row of ``model`` (adds -2, -3…)."""
    base = slugify(text)
    candidate, n = base, 1
    while True:
        taken = db.session.scalar(sa.select(model.id).where(model.slug == candidate))
        if taken is None or taken == current_id:
            return candidate
        n += 1
        candidate = f"{base}-{n}"


def commit_retrying(write: Callable[[], T]) -> T:
    """Run ``write`` (which changes the session) and commit, trying again from scratch when
    the commit hits a unique constraint; ``conflict`` when every attempt lost.

    Slugs and names are checked before they are inserted, but two simultaneous requests
    can both pass the check; the loser's commit fails, and on a new attempt its check
    sees the winner's row.
    """
    for _attempt in range(WRITE_ATTEMPTS):
        try:
            result = write()
            db.session.commit()
            return result
        except IntegrityError:
            db.session.rollback()
    raise Refused("conflict", _("Une autre demande a modifié les mêmes données au même "
                                "moment : réessayez."))
