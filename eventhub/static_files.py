"""Versioned static URLs: ``url_for('static', filename=…)`` carries ``?v=<content hash>``,
and a request for the current version is cached for a year (``immutable``): a revisit
costs no request, and a changed file gets a new URL."""

from __future__ import annotations

import hashlib
import os

from flask import Flask, Response, current_app, request
from werkzeug.security import safe_join

IMMUTABLE = "public, max-age=31536000, immutable"


class Versions:
    """The content hash of each static file, kept until the file's mtime changes."""

    def __init__(self, folder: str):
        self.folder = folder
        self._known: dict[str, tuple[float, str]] = {}

    def of(self, filename: str) -> str | None:
        """The version of ``filename`` (12 hex digits of its SHA-256), None if missing."""
        path = safe_join(self.folder, filename)
        if path is None:
            return None
        try:
            mtime = os.stat(path).st_mtime
        except OSError:
            return None
        known = self._known.get(filename)
        if known is None or known[0] != mtime:
            with open(path, "rb") as file:
                digest = hashlib.file_digest(file, "sha256").hexdigest()[:12]
            known = self._known[filename] = (mtime, digest)
        return known[1]


def _add_version(endpoint: str, values: dict) -> None:
    if endpoint == "static" and "filename" in values and "v" not in values:
        version = current_app.extensions["static_versions"].of(values["filename"])
        if version is not None:
            values["v"] = version


def _cache_versioned(response: Response) -> Response:
    if request.endpoint == "static" and response.status_code == 200:
        version = request.args.get("v")
        filename = (request.view_args or {}).get("filename", "")
        if version and version == current_app.extensions["static_versions"].of(filename):
            response.headers["Cache-Control"] = IMMUTABLE
    return response


def init_app(app: Flask) -> None:
    """Version the static URLs and cache versioned requests for a year."""
    app.extensions["static_versions"] = Versions(app.static_folder)
    app.url_defaults(_add_version)
    app.after_request(_cache_versioned)
