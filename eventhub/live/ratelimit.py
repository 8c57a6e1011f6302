"""Per-viewer limits on asking and voting, counted where Flask-Limiter counts.

The storage is the one ``RATELIMIT_STORAGE_URI`` names: memory for one process, Redis
once a message queue joins several processes (eventhub.config switches it), so the
limits hold across processes. While that Redis is unreachable, the limits count in this
process's memory, with a warning in the log, so that asking and voting keep working.
"""

from __future__ import annotations

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


def check(action: str, viewer: str) -> None:
    """Count one ``action`` ("ask" or "vote") by ``viewer``; refused as ``rate_limited``
    past the limit."""
    limit = limits.parse(current_app.config[f"LIVE_{action.upper()}_LIMIT"])
    try:
        allowed = current_app.extensions["live_limiter"].hit(limit, "live", action, viewer)
    except RedisError as exc:
        current_app.logger.warning("live: rate-limit storage unreachable (%s); counting %s "
                                   "in this process", exc, action)
        allowed = current_app.extensions["live_limiter_fallback"].hit(
            limit, "live", action, viewer)
    if not allowed:
        raise Refused(
            "rate_limited",
            _("Trop de demandes : réessayez dans un moment (limite : %(limit)s).",
              limit=str(limit)),
        )
