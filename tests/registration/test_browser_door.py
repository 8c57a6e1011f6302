"""The door page on a phone: the camera first, a plain word when there is no camera, and
the manual entry usable with the keyboard alone."""

from playwright.sync_api import expect

from eventhub.registration import services
from tests.conftest import browser_login


def test_on_a_phone_the_camera_comes_first_and_no_camera_is_said_plainly(
        page, live_server, auth, open_event):
    event = open_event()
    ana = services.register(event, "Ana Martin", "ana@example.org", "onsite")
    browser_login(page, live_server, auth.create("door"))
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(live_server + "/manage/events/rencontres/scanner")
    camera = page.get_by_role("button", name="Activer la caméra")
    box = camera.bounding_box()
    assert box["y"] < 200 and box["width"] > 300  # no scrolling to aim, full width
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    camera.click()  # headless Chromium has no camera
    result = page.locator("#scan-result")
    expect(result).to_have_class("scan-result scan-notice")
    expect(result).to_contain_text("Pas de caméra utilisable")
    expect(result).not_to_contain_text("Code invalide")
    expect(page.get_by_label("Code du billet")).to_be_focused()
    page.keyboard.type(ana.code)
    page.keyboard.press("Enter")
    expect(result).to_have_class("scan-result scan-ok")
    expect(result).to_contain_text("Ana Martin")
