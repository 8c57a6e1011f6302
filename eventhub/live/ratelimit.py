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

from eventhub.live.services import LiveError


def init_app(app: Flask) -> None:
    """Create the limiter of live actions on the app's rate-limit storage."""
    storage = storage_from_string(app.config["RATELIMIT_STORAGE_URI"])
    app.extensions["live_limiter"] = MovingWindowRateLimiter(storage)


def check(action: str, viewer: str) -> None:
    """Count one ``action`` ("ask" or "vote") by ``viewer``; raise ``LiveError`` past the limit."""
    limit = limits.parse(current_app.config[f"LIVE_{action.upper()}_LIMIT"])
    if not current_app.extensions["live_limiter"].hit(limit, "live", action, viewer):
        raise LiveError(
            "rate_limited",
            _("Trop de demandes : réessayez dans un moment (limite : %(limit)s).",
              limit=str(limit)),
        )
