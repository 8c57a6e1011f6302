"""Response headers that every page carries: CSP, framing, sniffing, referrer."""

from __future__ import annotations

from flask import Flask, current_app, request


def _csp() -> str:
    """The Content-Security-Policy: only our own scripts, and only stream providers as frames."""
    host = request.host
    frames = " ".join(current_app.config["CSP_FRAME_SRC"]) or "'none'"
    images = " ".join(["'self'", "data:", *current_app.config["CSP_IMG_SRC"]])
    media = " ".join(["'self'", "blob:", *current_app.config["CSP_MEDIA_SRC"]])
    # Safari does not count websockets as 'self': name the ws/wss origin.
    connect = " ".join(["'self'", f"ws://{host}", f"wss://{host}", *current_app.config[
        "CSP_CONNECT_SRC"]])
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
            f"frame-ancestors {current_app.config['CSP_FRAME_ANCESTORS']}",
        ]
    )


def init_app(app: Flask) -> None:
    """Add the headers to every response."""
    app.config.setdefault("CSP_FRAME_SRC", [])
    app.config.setdefault("CSP_IMG_SRC", [])
    app.config.setdefault("CSP_MEDIA_SRC", [])
    app.config.setdefault("CSP_CONNECT_SRC", [])
    app.config.setdefault("CSP_FRAME_ANCESTORS", "'self'")

    @app.after_request
    def add_headers(response):
        response.headers.setdefault("Content-Security-Policy", _csp())
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        response.headers.setdefault("X-Frame-Options", "SAMEORIGIN")
        return response
