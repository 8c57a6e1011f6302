"""In the browser: the viewer count speaks the language's plural, the countdown runs."""

from datetime import timedelta

from playwright.sync_api import expect

from tests.live.helpers import live_event
from tests.live.test_phases import _event


def test_one_viewer_is_one_viewer_in_french_and_in_english(page, live_server):
    live_event()
    page.goto(live_server + "/events/direct/live")
    expect(page.locator("#viewers")).to_have_text("1 spectateur connecté")
    page.goto(live_server + "/lang/en?next=/events/direct/live")
    expect(page.locator("#viewers")).to_have_text("1 viewer connected")


def test_the_countdown_runs_and_the_page_goes_live_when_it_ends(page, live_server):
    _event(timedelta(seconds=6))
    page.goto(live_server + "/events/direct/live")
    expect(page.locator(".live-status")).to_contain_text("pas commencé")
    expect(page.locator(".countdown")).to_have_text("dans 3 secondes", timeout=5000)
    expect(page.locator(".live-status")).to_have_text("En direct", timeout=8000)
    expect(page.get_by_text("Lancer la vidéo")).to_be_visible()
