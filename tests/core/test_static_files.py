"""Static URLs carry their content's hash; the current version is cached for a year."""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

from eventhub import ROOT
from eventhub.static_files import Versions

CSS = Path(ROOT) / "static" / "css" / "eventhub.css"


def _hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def test_pages_link_static_files_by_content_hash(client, make_event):
    make_event()
    page = client.get("/events/rencontres").get_data(as_text=True)
    links = re.findall(r'(?:href|src)="(/static/[^"]+)"', page)
    assert f"/static/css/eventhub.css?v={_hash(CSS)}" in links
    assert links and all("?v=" in link for link in links)


def test_the_current_version_is_cached_for_a_year(client):
    response = client.get(f"/static/css/eventhub.css?v={_hash(CSS)}")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    response.direct_passthrough = False
    assert response.get_data() == CSS.read_bytes()
    response.close()


def test_unversioned_and_stale_urls_are_revalidated(client):
    for url in ("/static/css/eventhub.css", "/static/css/eventhub.css?v=0123456789ab"):
        response = client.get(url)
        assert response.status_code == 200
        assert "immutable" not in response.headers.get("Cache-Control", "")
        response.close()


def test_a_changed_file_gets_a_new_version(tmp_path):
    (tmp_path / "app.js").write_text("console.log(1);")
    versions = Versions(str(tmp_path))
    first = versions.of("app.js")
    assert first == hashlib.sha256(b"console.log(1);").hexdigest()[:12]
    (tmp_path / "app.js").write_text("console.log(2);")
    os.utime(tmp_path / "app.js", (1, 1))
    assert versions.of("app.js") == hashlib.sha256(b"console.log(2);").hexdigest()[:12]
    assert versions.of("missing.js") is None
    assert versions.of("../outside.js") is None
