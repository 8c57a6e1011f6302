"""A partner site on another origin pastes the widget; a real browser renders the programme."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

HOSTILE = '<img src=x onerror="window.pwned=1">Fibre'


@pytest.fixture
def partner_site(live_server):
    """A second local server, the partner's, whose page holds the pasted snippet."""
    page = f"""<!doctype html>
<html lang="fr"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body {{ font-family: Georgia, serif; margin: 1rem; }}</style></head>
<body><h1>SoLozère</h1>
<script src="{live_server}/static/widget.js" defer></script>
<div data-eventhub-programme="{live_server}/events/aubrac"></div>
</body></html>""".encode()

    class Partner(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(page)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Partner)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


def test_widget_renders_the_programme_on_another_origin(page, live_server, partner_site,
                                                        make_event):
    make_event(slug="aubrac", slots=[
        {"start": "09:00", "end": "09:45", "title": "Ouverture", "room": "Grande salle"},
        {"start": "10:00", "end": "11:00", "title": HOSTILE, "room": "Grande salle"},
        {"start": "10:00", "end": "11:00", "title": "Solos", "room": "Petite salle"},
    ])
    # A cookie of the programme's host: the widget must not send it.
    page.context.add_cookies([{"name": "session", "value": "secret", "url": live_server}])
    page.set_viewport_size({"width": 1200, "height": 900})
    with page.expect_request(lambda request: request.url.endswith("/widget.json")) as asked:
        page.goto(partner_site + "/")
    assert "cookie" not in asked.value.all_headers()

    widget = page.locator("[data-eventhub-programme]")
    widget.locator(".ehp-slot").first.wait_for()
    assert widget.locator(".ehp-name").all_inner_texts() == ["Ouverture", HOSTILE, "Solos"]
    assert widget.locator(".ehp-room").all_inner_texts() == [
        "Grande salle", "Grande salle", "Petite salle"]
    assert widget.locator(".ehp-title a").get_attribute("href") == (
        live_server + "/events/aubrac/programme")
    # The title stayed text: no image was made from it, nothing ran.
    assert widget.locator("img").count() == 0
    assert page.evaluate("window.pwned") is None
    # The host page's fonts.
    font = widget.locator(".ehp-name").first.evaluate("e => getComputedStyle(e).fontFamily")
    assert font == "Georgia, serif"

    fibre = widget.locator(".ehp-slot", has_text="Fibre").bounding_box()
    solos = widget.locator(".ehp-slot", has_text="Solos").bounding_box()
    assert abs(fibre["y"] - solos["y"]) < 1 and fibre["x"] < solos["x"]  # side by side

    page.set_viewport_size({"width": 375, "height": 800})
    fibre = widget.locator(".ehp-slot", has_text="Fibre").bounding_box()
    solos = widget.locator(".ehp-slot", has_text="Solos").bounding_box()
    assert solos["y"] >= fibre["y"] + fibre["height"] - 1  # stacked on a phone
    assert abs(fibre["x"] - solos["x"]) < 1


def test_another_site_reads_the_programme_by_asking_for_json(page, live_server, partner_site,
                                                            make_event):
    make_event(slug="aubrac", slots=[
        {"start": "09:00", "end": "09:45", "title": "Ouverture", "room": "Grande salle"}])
    page.goto(partner_site + "/")
    title = page.evaluate("""async (address) => {
        const response = await fetch(address, {headers: {Accept: "application/json"},
                                               credentials: "omit"});
        const data = await response.json();
        return [response.url, data.schedule.conference.days[0].rooms["Grande salle"][0].title];
    }""", live_server + "/events/aubrac/programme")
    assert title == [live_server + "/events/aubrac/schedule.json", "Ouverture"]
