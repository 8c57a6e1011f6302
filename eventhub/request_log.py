"""One JSON line per request on standard error, when ``LOG_JSON`` is on.

A line holds the time, method, route *pattern* (``/tickets/<token>``, never the path
itself), endpoint, status and duration: URLs carry ticket tokens, private edit links
and query strings, and none of them may reach a log.
"""

from __future__ import annotations

import json
import logging
import sys
import time
from datetime import UTC, datetime

from flask import Flask, Response, g, request

logger = logging.getLogger("eventhub.requests")
_handler = logging.StreamHandler(sys.stderr)
_handler.setFormatter(logging.Formatter("%(message)s"))


def _start() -> None:
    g.request_started = time.perf_counter()


def _log(response: Response) -> Response:
    started = g.get("request_started")
    rule = request.url_rule
    logger.info(json.dumps({
        "time": datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        "method": request.method,
        "route": rule.rule if rule is not None else None,
        "endpoint": request.endpoint,
        "status": response.status_code,
        "duration_ms": round((time.perf_counter() - started) * 1000, 2) if started else None,
    }))
    return response


def init_app(app: Flask) -> None:
    """Log each request of ``app`` as a JSON line if ``LOG_JSON`` is set."""
    if not app.config["LOG_JSON"]:
        return
    if _handler not in logger.handlers:
        logger.addHandler(_handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False
    # First of the hooks, so that a request another hook refuses is timed too.
    app.before_request_funcs.setdefault(None, []).insert(0, _start)
    app.after_request(_log)
