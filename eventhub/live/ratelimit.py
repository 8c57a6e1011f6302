"""Per-viewer limits on asking and voting, counted where Flask-Limiter counts.

The storage is the one ``RATELIMIT_STORAGE_URI`` names: memory for one process, Redis
once a message queue joins several processes (eventhub.config switches it), so the
limits hold across processes.
"""

from __future__ import annotations

import limits
from flask import Flask, current_app
from flask_babel import gettext as _
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

from eventhub.errors import Refused


def init_app(app: Flask) -> None:
    """Create the limiter of live actions on the app's rate-limit storage."""
    app.config.setdefault("LIVE_ASK_LIMIT", "5 per minute")
    app.config.setdefault("LIVE_VOTE_LIMIT", "60 per minute")
    storage = storage_from_string(app.config["RATELIMIT_STORAGE_URI"])
    app.extensions["live_limiter"] = MovingWindowRateLimiter(storage)


def check(action: str, viewer: str) -> None:
    """Count one ``action`` ("ask" or "vote") by ``viewer``; refused as ``rate_limited``
    past the limit."""
    limit = limits.parse(current_app.config[f"LIVE_{action.upper()}_LIMIT"])
    if not current_app.extensions["live_limiter"].hit(limit, "live", action, viewer):
        raise Refused(
            "rate_limited",
            _("Trop de demandes : réessayez dans un moment (limite : %(limit)s).",
              limit=str(limit)),
        )
