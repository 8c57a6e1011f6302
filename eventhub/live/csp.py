"""Per-page additions to the Content-Security-Policy that eventhub.security builds.

PeerTube instances and HLS hosts are whatever an organiser names, so the live page adds
its own stream's origin; the OBS overlay may be framed by any page.
"""

from __future__ import annotations

from eventhub import security


def policy(frames: tuple[str, ...] = (), media: tuple[str, ...] = (),
           frame_ancestors: str | None = None) -> str:
    """The app's policy with extra frame/media/connect origins and optionally other ancestors."""
    directives = []
    for directive in security._csp().split("; "):
        name, _sep, value = directive.partition(" ")
        if name == "frame-src" and frames:
            value = " ".join(v for v in [value, *frames] if v != "'none'")
        elif name in {"media-src", "connect-src"} and media:
            value = " ".join([value, *media])
        elif name == "frame-ancestors" and frame_ancestors:
            value = frame_ancestors
        directives.append(f"{name} {value}")
    return "; ".join(directives)
