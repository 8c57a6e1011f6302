"""The presenter screen is read from the back of a room: large sans-serif type, a heading,
no sideways scrolling, on a projector and on a phone."""

import pytest

from eventhub.live import services
from tests.live.helpers import live_event


@pytest.mark.parametrize(("width", "height", "min_px"), [(375, 740, 28), (1280, 800, 50)])
def test_presenter_type_is_large_and_fits_the_screen(page, live_server, width, height, min_px):
    event = live_event()
    pinned = services.ask(event, "a", "Quand la fibre arrivera-t-elle à Nasbinals ?")
    services.moderate(event, pinned.id, "pin")
    page.set_viewport_size({"width": width, "height": height})
    page.goto(live_server + "/events/direct/live/presenter")
    assert page.locator("h1").inner_text() == "Rencontres en direct"
    style = page.evaluate("""() => {
        const s = getComputedStyle(document.querySelector('.pinned-text'));
        return {size: parseFloat(s.fontSize), family: s.fontFamily};
    }""")
    assert style["size"] >= min_px
    assert "Times" not in style["family"] and "serif" in style["family"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width
