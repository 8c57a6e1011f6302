"""Limits on asking and voting, per viewer and per address, counted where Flask-Limiter
counts.

A viewer is a cookie, and the live page hands one to anyone: alone, per-viewer limits
stop nothing. So a cookie may act only once it is ``LIVE_VIEWER_MIN_AGE`` seconds old
(the time to read the page), and each address has its own ceiling, high enough for a
room of 120 people sharing it (see SECURITY.md for the numbers).

The storage is the one ``RATELIMIT_STORAGE_URI`` names: memory for one process, Redis
once a message queue joins several processes (eventhub.config switches it), so the
limits hold across processes. While that Redis is unreachable, the limits count in this
process's memory, with a warning in the log, so that asking and voting keep working.
"""

from __future__ import annotations

import time

import limits
from flask import Flask, current_app
from flask_babel import gettext as _
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter
from redis.exceptions import RedisError

from eventhub.errors import Refused


def init_app(app: Flask) -> None:
    """Create the limiter of live actions on the app's rate-limit storage."""
    storage = storage_from_string(app.config["RATELIMIT_STORAGE_URI"],
                                  **app.config.get("RATELIMIT_STORAGE_OPTIONS", {}))
    app.extensions["live_limiter"] = MovingWindowRateLimiter(storage)
    app.extensions["live_limiter_fallback"] = MovingWindowRateLimiter(
        storage_from_string("memory://"))


def check(action: str, viewer: str, address: str | None,
          issued_at: float | None = None) -> None:
    """Count one ``action`` ("ask" or "vote") by ``viewer`` from ``address``.

    ``issued_at`` is when the viewer's cookie was issued (None for a signed-in account).
    Refused as ``too_soon`` for a cookie younger than ``LIVE_VIEWER_MIN_AGE`` and as
    ``rate_limited`` past the viewer's or the address's limit. With the limits' Redis
    unreachable, they are counted in this process (and a warning logged).
    """
    config = current_app.config
    wait = (issued_at or 0) + config["LIVE_VIEWER_MIN_AGE"] - time.time()
    if issued_at is not None and wait > 0:
        raise Refused("too_soon", _("Vous venez d'arriver : vous pourrez poser une question "
                                    "ou voter dans %(n)d secondes.", n=int(wait) + 1))
    name = action.upper()
    for limit_text, key in ((config[f"LIVE_{name}_LIMIT"], ("viewer", viewer)),
                            (config[f"LIVE_{name}_ADDRESS_LIMIT"], ("address", address or ""))):
        limit = limits.parse(limit_text)
        if not _hit(limit, action, key):
            raise Refused(
                "rate_limited",
                _("Trop de demandes : réessayez dans un moment (limite : %(limit)s).",
                  limit=str(limit)),
            )


def _hit(limit, action: str, key: tuple[str, str]) -> bool:
    try:
        return current_app.extensions["live_limiter"].hit(limit, "live", action, *key)
    except RedisError as exc:
        current_app.logger.warning("live: rate-limit storage unreachable (%s); counting %s "
                                   "in this process", exc, action)
        return current_app.extensions["live_limiter_fallback"].hit(limit, "live", action, *key)
