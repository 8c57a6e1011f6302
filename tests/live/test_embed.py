"""Stream URLs: accepted forms become privacy-friendly embeds, the rest is refused."""

import pytest

from eventhub.live.embed import UnsupportedStream, parse_stream_url


@pytest.mark.parametrize(("url", "provider", "embed"), [
    ("https://www.youtube.com/watch?v=dQw4w9WgXcQ", "youtube",
     "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
    ("https://youtube.com/watch?v=dQw4w9WgXcQ&t=42", "youtube",
     "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
    ("https://www.youtube.com/live/dQw4w9WgXcQ?si=abc", "youtube",
     "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
    ("https://youtu.be/dQw4w9WgXcQ", "youtube",
     "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
    ("https://www.youtube.com/shorts/dQw4w9WgXcQ", "youtube",
     "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
    ("https://vimeo.com/76979871", "vimeo", "https://player.vimeo.com/video/76979871"),
    ("https://vimeo.com/event/12345", "vimeo", "https://vimeo.com/event/12345/embed"),
    ("https://www.dailymotion.com/video/x8abcd1", "dailymotion",
     "https://www.dailymotion.com/embed/video/x8abcd1"),
    ("https://dai.ly/x8abcd1", "dailymotion", "https://www.dailymotion.com/embed/video/x8abcd1"),
    ("https://video.example.fr/w/9c9de5e8-0a1e-484a-b099-e80766180a6d", "peertube",
     "https://video.example.fr/videos/embed/9c9de5e8-0a1e-484a-b099-e80766180a6d"),
    ("https://tube.example.org/videos/watch/kkGMgK9ZtnKfYAgnEtQxbv", "peertube",
     "https://tube.example.org/videos/embed/kkGMgK9ZtnKfYAgnEtQxbv"),
    ("https://cdn.example.net/live/stream.m3u8", "hls",
     "https://cdn.example.net/live/stream.m3u8"),
])
def test_accepted_forms(url, provider, embed):
    """Every documented form is recognised and normalised."""
    found = parse_stream_url(url)
    assert (found.provider, found.embed_url) == (provider, embed)


@pytest.mark.parametrize("url", [
    "", "not a url", "javascript:alert(1)", "ftp://example.org/live.m3u8",
    "https://example.org/video.mp4", "http://cdn.example.net/stream.m3u8",
    "https://www.youtube.com/watch?v=short", "https://www.youtube.com/channel/UCabc",
    "https://evil.example/watch?v=dQw4w9WgXcQ", "https://user:pw@youtu.be/dQw4w9WgXcQ",
    "https://vimeo.com/channels/staffpicks", "http://tube.example.org/w/kkGMgK9ZtnKfYAgnEtQxbv",
])
def test_refused_forms_list_what_is_accepted(app, url):
    """Anything else is refused with a message naming the accepted providers."""
    with pytest.raises(UnsupportedStream) as refused:
        parse_stream_url(url)
    for name in ("YouTube", "Vimeo", "Dailymotion", "PeerTube", ".m3u8"):
        assert name in str(refused.value)
