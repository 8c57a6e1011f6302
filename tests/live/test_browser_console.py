"""The moderation seat in Chromium: questions arrive live in the queue, the keyboard
moderates them, and on a phone the console is one column of cards."""

import pytest
from playwright.sync_api import expect

from eventhub.extensions import db
from eventhub.live import services
from tests.conftest import browser_login
from tests.live.helpers import live_event


@pytest.fixture
def console(page, live_server, auth):
    event = live_event()
    browser_login(page, live_server, auth.create("moderator"))
    page.goto(live_server + "/manage/events/direct/questions")
    expect(page.locator("#count-pending")).to_have_text("0")
    return event


def test_a_new_question_arrives_in_the_queue_and_the_keyboard_publishes_and_pins_it(
        page, console, browser, live_server):
    viewer = browser.new_context(locale="fr-FR").new_page()
    viewer.goto(live_server + "/events/direct/live")
    viewer.get_by_label("Votre question").fill("La fibre arrive quand ?")
    viewer.get_by_role("button", name="Envoyer la question").click()
    # Closed before the server's answer, the question may never have left the page.
    expect(viewer.locator("#ask-status")).to_contain_text("Merci !")
    viewer.context.close()
    pending = page.locator("#list-pending .mq", has_text="La fibre arrive quand ?")
    expect(pending).to_be_visible()
    expect(pending.locator("button")).to_have_text(["Publier", "Masquer"])
    page.keyboard.press("j")
    page.keyboard.press("a")
    published = page.locator("#list-approved .mq", has_text="La fibre arrive quand ?")
    expect(published.locator("button")).to_have_text(["Marquer répondue", "Épingler", "Masquer"])
    expect(page.locator("#count-pending")).to_have_text("0")
    published.focus()
    page.keyboard.press("p")
    expect(published.locator("button")).to_have_text(
        ["Marquer répondue", "Désépingler", "Masquer"])
    db.session.rollback()  # read what the server committed, not this test's snapshot
    assert services.pinned_question(console).text == "La fibre arrive quand ?"


def test_on_a_phone_the_console_fits_the_screen(page, console):
    services.ask(console, "viewer", "Unmotsanspausequiferaitdéborderlapage" * 4)
    page.set_viewport_size({"width": 375, "height": 740})
    page.reload()
    expect(page.locator("#list-pending .mq")).to_have_count(1)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
