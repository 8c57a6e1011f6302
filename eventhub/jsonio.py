"""Reading JSON bodies: input Python's parser takes but the app cannot use is refused.

Flask answers 400 to a body whose parsing raises ``ValueError``; two kinds of hostile
JSON raised something else or nothing, and became 500s further on: nesting deeper than
Python's recursion limit (``RecursionError``), and a lone UTF-16 surrogate such as
``"\\ud800"``, which parses into a string no database or encoder accepts.
"""

from __future__ import annotations

import json

from flask.json.provider import DefaultJSONProvider


def _has_lone_surrogate(data: object) -> bool:
    """Whether any string (key or value) inside ``data`` holds a lone surrogate."""
    pending = [data]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                return True
        elif isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return False


class JSONProvider(DefaultJSONProvider):
    """Flask's JSON, whose ``loads`` raises ``ValueError`` for hostile input."""

    def loads(self, s: str | bytes, **kwargs) -> object:
        """Parse ``s``; ``ValueError`` for bad, too deep or unencodable JSON."""
        try:
            data = json.loads(s, **kwargs)
        except RecursionError as exc:
            raise ValueError("JSON nested too deeply") from exc
        if _has_lone_surrogate(data):
            raise ValueError("JSON string with a lone surrogate")
        return data
