"""Limits on asking and voting, per viewer and per address, counted where Flask-Limiter
counts.

A viewer is a cookie, and the live page hands one to anyone: alone, per-viewer limits
stop nothing. So a cookie may act only once it is ``LIVE_VIEWER_MIN_AGE`` seconds old
(the time to read the page), and each address has its own ceiling, high enough for a
room of 120 people sharing it (see SECURITY.md for the numbers).

The storage is the one ``RATELIMIT_STORAGE_URI`` names: memory for one process, Redis
once a message queue joins several processes (eventhub.config switches it), so the
limits hold across processes.
"""

from __future__ import annotations

import time

import limits
from flask import Flask, current_app
from flask_babel import gettext as _
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

from eventhub.errors import Refused
from eventhub.live.services import LiveError


def init_app(app: Flask) -> None:
    """Create the limiter of live actions on the app's rate-limit storage."""
    storage = storage_from_string(app.config["RATELIMIT_STORAGE_URI"])
    app.extensions["live_limiter"] = MovingWindowRateLimiter(storage)


def check(action: str, viewer: str, address: str | None,
          issued_at: float | None = None) -> None:
    """Count one ``action`` ("ask" or "vote") by ``viewer`` from ``address``.

    ``issued_at`` is when the viewer's cookie was issued (None for a signed-in account).
    Raise ``Refused("too_soon")`` for a cookie younger than ``LIVE_VIEWER_MIN_AGE`` and
    ``LiveError("rate_limited")`` past the viewer's or the address's limit.
    """
    config = current_app.config
    wait = (issued_at or 0) + config["LIVE_VIEWER_MIN_AGE"] - time.time()
    if issued_at is not None and wait > 0:
        raise Refused("too_soon", _("Vous venez d'arriver : vous pourrez poser une question "
                                    "ou voter dans %(n)d secondes.", n=int(wait) + 1))
    limiter = current_app.extensions["live_limiter"]
    name = action.upper()
    for limit_text, key in ((config[f"LIVE_{name}_LIMIT"], ("viewer", viewer)),
                            (config[f"LIVE_{name}_ADDRESS_LIMIT"], ("address", address or ""))):
        limit = limits.parse(limit_text)
        if not limiter.hit(limit, "live", action, *key):
            raise LiveError(
                "rate_limited",
                _("Trop de demandes : réessayez dans un moment (limite : %(limit)s).",
                  limit=str(limit)),
            )
