"""Rate limits: the views that need one declare it; nothing is checked app-wide."""

from __future__ import annotations

from flask import Flask

from eventhub.extensions import limiter
from eventhub.redis_pool import blocking_pool

# The settings that would ask Flask-Limiter for limits on every request.
APP_WIDE_LIMITS = ("RATELIMIT_DEFAULT", "RATELIMIT_APPLICATION", "RATELIMIT_META")


def init_app(app: Flask) -> None:
    """Bind the limiter, without its per-request check when no app-wide limit is set.

    (Disabled, as in most tests, the limiter adds no hook at all.)

    A view's own ``@limiter.limit`` is checked by that decorator; the before-request
    check only applies default, application and meta limits. With none configured it
    finds nothing to do, and finding that cost a tenth of a JSON request (a door scan).

    On Redis, the limits (Flask-Limiter's and the live ones) share one blocking pool.
    """
    uri = app.config["RATELIMIT_STORAGE_URI"]
    if uri.startswith(("redis://", "rediss://")):
        app.config.setdefault("RATELIMIT_STORAGE_OPTIONS",
                              {"connection_pool": blocking_pool(uri, app.config)})
    limiter.init_app(app)
    hooks = app.before_request_funcs[None]
    if limiter._check_request_limit in hooks and not any(
            app.config.get(name) for name in APP_WIDE_LIMITS):
        hooks.remove(limiter._check_request_limit)
