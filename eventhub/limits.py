"""Rate limits: the views that need one declare it, on one blocking Redis pool when the
limits are kept in Redis."""

from __future__ import annotations

from flask import Flask

from eventhub.extensions import limiter
from eventhub.redis_pool import blocking_pool


def init_app(app: Flask) -> None:
    """Bind the limiter; on Redis, the limits (Flask-Limiter's and the live ones) share
    one pool that waits for a free connection instead of failing."""
    uri = app.config["RATELIMIT_STORAGE_URI"]
    if uri.startswith(("redis://", "rediss://")):
        app.config.setdefault("RATELIMIT_STORAGE_OPTIONS",
                              {"connection_pool": blocking_pool(uri, app.config)})
    limiter.init_app(app)
