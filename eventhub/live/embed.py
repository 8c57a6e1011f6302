"""Stream URLs: recognise the accepted providers and build their privacy-friendly embeds.

A pasted URL is turned into an :class:`Embed` (provider, the URL the player loads, the
origin the Content-Security-Policy must allow); anything else raises
:class:`UnsupportedStream` whose message lists what is accepted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from flask_babel import gettext as _

YOUTUBE_EMBED = "https://www.youtube-nocookie.com"
VIMEO_PLAYER = "https://player.vimeo.com"
VIMEO_EVENTS = "https://vimeo.com"
DAILYMOTION = "https://www.dailymotion.com"

# The fixed embed origins (PeerTube and HLS hosts are whatever the organiser names).
FRAME_ORIGINS = (YOUTUBE_EMBED, VIMEO_PLAYER, VIMEO_EVENTS, DAILYMOTION)

PROVIDERS = ("youtube", "vimeo", "dailymotion", "peertube", "hls")
# How organisers know each provider (its own name; HLS is a format, not a company).
PROVIDER_NAMES = {"youtube": "YouTube", "vimeo": "Vimeo", "dailymotion": "Dailymotion",
                  "peertube": "PeerTube", "hls": "HLS (.m3u8)"}

_YOUTUBE_HOSTS = {"youtube.com", "www.youtube.com", "m.youtube.com", "youtu.be",
                  "www.youtube-nocookie.com", "youtube-nocookie.com"}
_YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
_DAILYMOTION_ID = re.compile(r"^x[a-z0-9]{4,12}$", re.IGNORECASE)
_PEERTUBE_ID = re.compile(r"^[A-Za-z0-9-]{6,40}$")
_HOST = re.compile(r"^[a-z0-9.-]+(:\d{1,5})?$")


class UnsupportedStream(ValueError):
    """The URL is not one of the accepted stream forms."""


@dataclass(frozen=True)
class Embed:
    """What the live page needs to play a stream."""

    provider: str
    embed_url: str

    @property
    def origin(self) -> str:
        """The scheme and host the player loads from (for the CSP)."""
        parts = urlsplit(self.embed_url)
        return f"{parts.scheme}://{parts.netloc}"

    @property
    def is_frame(self) -> bool:
        """Whether the player is an iframe (every provider but HLS)."""
        return self.provider != "hls"


def accepted_message() -> str:
    """The sentence that lists the accepted stream forms."""
    return _(
        "Adresse de diffusion non reconnue. Formats acceptés : YouTube "
        "(youtube.com/watch?v=…, youtube.com/live/…, youtu.be/…, youtube.com/shorts/…), "
        "Vimeo (vimeo.com/…), Dailymotion (dailymotion.com/video/…), PeerTube "
        "(https://instance/w/… ou /videos/watch/…) et flux HLS en https se terminant par .m3u8."
    )


def _youtube(host: str, path: str, query: str) -> Embed | None:
    if host not in _YOUTUBE_HOSTS:
        return None
    segments = [s for s in path.split("/") if s]
    video = None
    if host == "youtu.be" and len(segments) == 1:
        video = segments[0]
    elif segments == ["watch"]:
        video = (parse_qs(query).get("v") or [""])[0]
    elif len(segments) == 2 and segments[0] in {"live", "shorts", "embed"}:
        video = segments[1]
    if video and _YOUTUBE_ID.match(video):
        return Embed("youtube", f"{YOUTUBE_EMBED}/embed/{video}")
    return None


def _vimeo(host: str, path: str) -> Embed | None:
    segments = [s for s in path.split("/") if s]
    if host in {"vimeo.com", "www.vimeo.com"}:
        if len(segments) == 1 and segments[0].isdigit():
            return Embed("vimeo", f"{VIMEO_PLAYER}/video/{segments[0]}")
        if len(segments) >= 2 and segments[0] == "event" and segments[1].isdigit():
            return Embed("vimeo", f"{VIMEO_EVENTS}/event/{segments[1]}/embed")
    if host == "player.vimeo.com" and len(segments) == 2 and segments[0] == "video" \
            and segments[1].isdigit():
        return Embed("vimeo", f"{VIMEO_PLAYER}/video/{segments[1]}")
    return None


def _dailymotion(host: str, path: str) -> Embed | None:
    segments = [s for s in path.split("/") if s]
    video = None
    if host == "dai.ly" and len(segments) == 1:
        video = segments[0]
    elif host in {"dailymotion.com", "www.dailymotion.com"} and len(segments) >= 2 \
            and segments[-2] == "video":
        video = segments[-1]
    if video:
        video = video.split("_", 1)[0]
    if video and _DAILYMOTION_ID.match(video):
        return Embed("dailymotion", f"{DAILYMOTION}/embed/video/{video}")
    return None


def _peertube(scheme: str, netloc: str, path: str) -> Embed | None:
    segments = [s for s in path.split("/") if s]
    video = None
    if len(segments) == 2 and segments[0] == "w":
        video = segments[1]
    elif len(segments) == 3 and segments[0] == "videos" and segments[1] in {"watch", "embed"}:
        video = segments[2]
    if video and _PEERTUBE_ID.match(video) and scheme == "https":
        return Embed("peertube", f"https://{netloc}/videos/embed/{video}")
    return None


def _hls(scheme: str, url: str, path: str) -> Embed | None:
    if scheme == "https" and path.lower().endswith(".m3u8"):
        return Embed("hls", url)
    return None


def parse_stream_url(url: str) -> Embed:
    """Recognise ``url`` as one of the accepted stream forms and return its embed.

    Raises :class:`UnsupportedStream` (with the list of accepted forms) otherwise.
    """
    text = (url or "").strip()
    if any(c.isspace() for c in text) or len(text) > 500:
        raise UnsupportedStream(accepted_message())
    parts = urlsplit(text)
    host = (parts.hostname or "").lower()
    netloc = parts.netloc.lower()
    if parts.scheme not in {"http", "https"} or not host or parts.username or parts.password \
            or not _HOST.match(netloc):
        raise UnsupportedStream(accepted_message())
    embed = (
        _youtube(host, parts.path, parts.query)
        or _vimeo(host, parts.path)
        or _dailymotion(host, parts.path)
        or _peertube(parts.scheme, netloc, parts.path)
        or _hls(parts.scheme, text, parts.path)
    )
    if embed is None:
        raise UnsupportedStream(accepted_message())
    return embed
