"""Text answers go gzip-compressed when the client takes it, tiny ones as they are."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import icalendar
import pytest

from eventhub import ROOT

GZIP = {"Accept-Encoding": "gzip"}
SLOTS = [{"start": f"{9 + n}:00", "end": f"{9 + n}:45", "title": f"Conférence {n}"}
         for n in range(6)]


def _gunzipped(response) -> bytes:
    assert response.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response.headers["Vary"]
    response.direct_passthrough = False
    body = response.get_data()
    response.close()
    return gzip.decompress(body)


def test_a_page_is_compressed(client, make_event):
    make_event(slots=SLOTS)
    plain = client.get("/events/rencontres/programme").get_data()
    response = client.get("/events/rencontres/programme", headers=GZIP)
    assert response.status_code == 200
    assert _gunzipped(response) == plain
    assert b"Conf\xc3\xa9rence 5" in plain
    assert len(response.get_data()) < len(plain) / 2


def test_json_is_compressed(client, make_event):
    for n in range(3):
        make_event(slug=f"rencontres-{n}", title=f"Rencontres n°{n}", slots=SLOTS)
    response = client.get("/api/v1/events/rencontres-2/programme", headers=GZIP)
    body = json.loads(_gunzipped(response))
    assert [slot["title"] for slot in body["slots"]] == [f"Conférence {n}" for n in range(6)]


def test_an_ics_feed_is_compressed(client, make_event):
    make_event(slots=SLOTS)
    response = client.get("/events/rencontres/programme.ics", headers=GZIP)
    calendar = icalendar.Calendar.from_ical(_gunzipped(response))
    assert sorted(str(e["SUMMARY"]) for e in calendar.walk("VEVENT")) == [
        f"Conférence {n}" for n in range(6)]


@pytest.mark.parametrize("path", ["vendor/leaflet-1.9.4/leaflet.js", "css/eventhub.css"])
def test_scripts_and_styles_are_compressed(client, path):
    original = (Path(ROOT) / "static" / path).read_bytes()
    response = client.get(f"/static/{path}", headers=GZIP)
    assert _gunzipped(response) == original
    assert len(response.get_data()) < len(original) / 2


def test_leaflet_shrinks_to_a_third(client):
    original = (Path(ROOT) / "static/vendor/leaflet-1.9.4/leaflet.js").read_bytes()
    response = client.get("/static/vendor/leaflet-1.9.4/leaflet.js", headers=GZIP)
    response.direct_passthrough = False
    compressed = response.get_data()
    response.close()
    assert gzip.decompress(compressed) == original
    assert len(compressed) < len(original) / 3


def test_a_tiny_body_goes_as_it_is(client):
    response = client.get("/healthz", headers=GZIP)
    assert "Content-Encoding" not in response.headers
    assert response.get_json() == {"status": "alive"}


def test_without_accept_encoding_nothing_is_compressed(client, make_event):
    make_event(slots=SLOTS)
    response = client.get("/events/rencontres/programme")
    assert "Content-Encoding" not in response.headers
    assert "Conférence 5" in response.get_data(as_text=True)
