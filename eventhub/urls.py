"""The addresses eventhub hands out: absolute links and redirect targets.

Absolute links are built from ``PUBLIC_URL`` only, never from the request: a mail, a
calendar or a link that leaves with the visitor must not follow a Host header that
whoever sends the request chose. Redirect targets are local paths only.
"""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

from flask import Flask, current_app, url_for


def public_url(endpoint: str, **values) -> str:
    """The absolute URL of ``endpoint`` under ``PUBLIC_URL``, inside a request or not."""
    require_public_url(current_app)
    base = urlsplit(current_app.config["PUBLIC_URL"])
    adapter = current_app.url_map.bind(
        base.netloc, script_name=base.path or "/", url_scheme=base.scheme or "http")
    return adapter.build(endpoint, values, force_external=True)


def _local_path(path: str) -> bool:
    return (path.startswith("/") and not path.startswith(("//", "/\\"))
            and all(char.isprintable() for char in path))


def safe_redirect_target(target: str | None, fallback: str | None = None) -> str:
    """``target`` when it is a path of this site, else ``fallback`` (the home page when
    none is given).

    Browsers drop tabs and line breaks from a URL and read ``\\`` as ``/``, so
    ``/\\evil.example`` or ``/<tab>/evil.example`` name another host; the check is also
    made on the percent-decoded form, which some proxies and browsers decode again.
    """
    if target and _local_path(target) and _local_path(unquote(unquote(target))):
        return target
    return fallback or url_for("programme.index")


def init_app(app: Flask) -> None:
    """Settle ``PUBLIC_URL`` and the trusted hosts, and offer ``public_url`` to templates.

    Without ``PUBLIC_URL``, debug and tests use ``DEVELOPMENT_URL``; a server refuses
    to start (``require_public_url``). In production, only the host of ``PUBLIC_URL`` is
    served: a request naming another is answered 400.
    """
    config = app.config
    if config["PUBLIC_URL"]:
        config["PUBLIC_URL"] = config["PUBLIC_URL"].rstrip("/")
    development = app.debug or app.testing
    if config["PUBLIC_URL"] and config["TRUSTED_HOSTS"] is None and not development:
        config["TRUSTED_HOSTS"] = [urlsplit(config["PUBLIC_URL"]).hostname]
    if not config["PUBLIC_URL"] and development:
        config["PUBLIC_URL"] = config["DEVELOPMENT_URL"]
    if (config["PUBLIC_URL"] or "").startswith("https://"):
        config["SESSION_COOKIE_SECURE"] = True
        config["REMEMBER_COOKIE_SECURE"] = True
    app.add_template_global(public_url, "public_url")


def require_public_url(app: Flask) -> None:
    """Refuse to serve without ``PUBLIC_URL``: links would name whatever host was asked."""
    if not app.config["PUBLIC_URL"]:
        raise RuntimeError(
            "PUBLIC_URL is not set. Set it to the address people use to reach this site, "
            "e.g. PUBLIC_URL=https://events.example.org (mails and calendars link to it, "
            "and requests for any other host are refused).")
