"""Answers that any site may read: open to every origin, and carrying no cookie.

Schedules, calendars and the partner widget's data are the same for every reader. They
are served with ``Access-Control-Allow-Origin: *`` so that other sites and apps can read
them, and without cookies, so that no reader's session leaks into a shared copy and
caches need not keep one copy per cookie.
"""

from __future__ import annotations

from flask import g
from werkzeug.wrappers import Response


def share_publicly(response: Response) -> Response:
    """Open ``response`` to every origin and keep cookies off it (see ``is_shared``)."""
    response.headers["Access-Control-Allow-Origin"] = "*"
    g.shared_publicly = True
    return response


def is_shared() -> bool:
    """Whether the current request's answer was shared with ``share_publicly``."""
    return g.get("shared_publicly", False)
