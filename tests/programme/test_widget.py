"""The partner sites' widget: small, and never parses the programme's text as HTML."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

WIDGET = Path(__file__).resolve().parents[2] / "static" / "widget.js"


def test_widget_stays_under_15_kb_gzipped():
    size = len(gzip.compress(WIDGET.read_bytes(), compresslevel=9))
    assert 0 < size < 15 * 1024


def test_widget_writes_text_only_and_sends_no_cookies():
    source = WIDGET.read_text()
    # Every way a script turns a string into markup or code.
    sinks = re.findall(r"innerHTML|outerHTML|insertAdjacentHTML|document\.write|\beval\(|"
                       r"new Function|createContextualFragment|DOMParser", source)
    assert sinks == []
    assert 'credentials: "omit"' in source


def test_widget_is_served_as_a_static_script(client):
    with client.get("/static/widget.js") as response:
        assert response.status_code == 200
        assert response.mimetype in {"text/javascript", "application/javascript"}
        assert response.get_data() == WIDGET.read_bytes()
