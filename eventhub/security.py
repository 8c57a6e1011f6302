"""Response headers that every page carries: CSP, framing, sniffing, referrer."""

from __future__ import annotations

from functools import lru_cache

from flask import Flask, current_app, g, request
from flask_babel import gettext as _

from eventhub.errors import Refused


def widen_policy(frame_src: tuple[str, ...] = (), media_src: tuple[str, ...] = (),
                 frame_ancestors: str | None = None) -> None:
    """Allow more origins in this response's Content-Security-Policy.

    For what only one page needs: a PeerTube instance or an HLS host that an organiser
    named (frames or media), or an overlay that streaming tools frame from anywhere
    (``frame_ancestors``, which also drops X-Frame-Options).
    """
    g.csp_frame_src = (*g.get("csp_frame_src", ()), *frame_src)
    g.csp_media_src = (*g.get("csp_media_src", ()), *media_src)
    if frame_ancestors is not None:
        g.csp_frame_ancestors = frame_ancestors


def _csp() -> str:
    """The Content-Security-Policy: only our own scripts, and only stream providers as frames."""
    config = current_app.config
    media = (*config["CSP_MEDIA_SRC"], *g.get("csp_media_src", ()))
    return _policy(request.host, (*config["CSP_FRAME_SRC"], *g.get("csp_frame_src", ())),
                   tuple(config["CSP_IMG_SRC"]), media, (*config["CSP_CONNECT_SRC"], *media),
                   g.get("csp_frame_ancestors", config["CSP_FRAME_ANCESTORS"]))


# Every response carries the policy and its inputs rarely change: build it once per
# host and configuration (the Host header is the client's: the cache size bounds it).
@lru_cache(maxsize=64)
def _policy(host: str, frame_src: tuple, img_src: tuple, media_src: tuple,
            connect_src: tuple, frame_ancestors: str) -> str:
    frames = " ".join(frame_src) or "'none'"
    images = " ".join(["'self'", "data:", *img_src])
    media = " ".join(["'self'", "blob:", *media_src])
    # Safari does not count websockets as 'self': name the ws/wss origin.
    connect = " ".join(["'self'", f"ws://{host}", f"wss://{host}", *connect_src])
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            f"img-src {images}",
            f"media-src {media}",
            f"connect-src {connect}",
            f"frame-src {frames}",
            "worker-src 'self' blob:",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            f"frame-ancestors {frame_ancestors}",
        ]
    )


# The bodies that ``request.form`` parses; reading it for any other costs a parse for nothing.
FORM_TYPES = frozenset({"application/x-www-form-urlencoded", "multipart/form-data"})


def refuse_nul_characters() -> None:
    """Answer 400 to a request whose path, query, form or JSON body holds a NUL character.

    PostgreSQL refuses NUL in text, even in a WHERE clause: without this check such
    input would fail inside the database as a server error.
    """
    # The query string is read raw: "%00" is the only way to write a NUL there, and
    # parsing it for every request would cost more than the check.
    query = request.environ.get("QUERY_STRING", "")
    fields = request.form.items(multi=True) if request.mimetype in FORM_TYPES else ()
    raw_json = request.get_data(cache=True) if request.is_json else b""
    if ("\x00" in request.path or "%00" in query or "\x00" in query
            or any("\x00" in key + value for key, value in fields)
            or b"\x00" in raw_json or b"\\u0000" in raw_json):
        raise Refused("nul_character",
                      _("La demande contient un caractère nul, qui n'est pas accepté."))


REFERRER_POLICY = "strict-origin-when-cross-origin"
JSON_HEADERS = (
    ("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'"),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", REFERRER_POLICY),
    ("X-Frame-Options", "DENY"),
)


def init_app(app: Flask) -> None:
    """Add the headers to every response."""
    app.config.setdefault("CSP_FRAME_SRC", [])
    app.config.setdefault("CSP_IMG_SRC", [])
    app.config.setdefault("CSP_MEDIA_SRC", [])
    app.config.setdefault("CSP_CONNECT_SRC", [])
    app.config.setdefault("CSP_FRAME_ANCESTORS", "'self'")
    app.before_request(refuse_nul_characters)

    @app.after_request
    def add_headers(response):
        if response.mimetype == "application/json":
            # Nothing in a JSON answer runs or loads: it only must not be framed (OWASP's
            # REST headers), and the policy of pages need not be computed for it.
            _add_missing(response.headers, JSON_HEADERS)
            return response
        defaults = [("Content-Security-Policy", _csp()), ("X-Content-Type-Options", "nosniff"),
                    ("Referrer-Policy", REFERRER_POLICY)]
        if "csp_frame_ancestors" not in g:
            defaults.append(("X-Frame-Options", "SAMEORIGIN"))
        _add_missing(response.headers, defaults)
        return response


def _add_missing(headers, defaults) -> None:
    """Add each (name, value) of ``defaults`` whose header the view did not set.

    One pass over the headers: ``Headers.setdefault`` scans them again for each name,
    which made the headers cost twice what building the JSON answer does.
    """
    present = {name.lower() for name, _value in headers}
    headers.extend([(name, value) for name, value in defaults if name.lower() not in present])
