"""In the browser: the viewer count speaks the language's plural, the countdown runs, the
pinned question leads."""

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


def test_voting_shows_it_and_a_question_added_live_looks_like_the_others(
        page, browser, live_server):
    from eventhub.live import services

    event = live_event(premoderation=False)
    services.ask(event, "someone", "Rendue par le serveur ?")
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(live_server + "/events/direct/live")
    asker = browser.new_context(locale="fr-FR").new_page()
    asker.goto(live_server + "/events/direct/live")
    asker.get_by_label("Votre question").fill("Ajoutée en direct ?")
    asker.get_by_role("button", name="Envoyer la question").click()
    # Closed before the server's answer, the question may never have left the page.
    expect(asker.locator("#ask-status")).to_contain_text("Merci !")
    asker.context.close()
    added = page.locator(".question", has_text="Ajoutée en direct ?").locator(".vote-button")
    served = page.locator(".question", has_text="Rendue par le serveur ?").locator(".vote-button")
    expect(added).to_be_visible()
    assert added.bounding_box()["width"] == served.bounding_box()["width"] < 200
    added.click()
    expect(added).to_have_class("vote-button is-voted")
    expect(added).to_be_disabled()
    expect(added).to_contain_text("✓")
    page.reload()
    served_again = page.locator(".question", has_text="Ajoutée en direct ?").locator(
        ".vote-button")
    expect(served_again).to_be_disabled()
    expect(served_again).to_contain_text("✓")


def test_the_pinned_question_leads_the_list_as_the_page_orders_it(page, live_server):
    from eventhub.live import services

    event = live_event(premoderation=False)
    pinned = services.ask(event, "a", "Épinglée, sans vote ?")
    voted = services.ask(event, "b", "Votée deux fois ?")
    for viewer in ("v1", "v2"):
        services.vote(event, voted.id, viewer)
    services.moderate(event, pinned.id, "pin")
    page.goto(live_server + "/events/direct/live")
    # Once the socket has delivered the list, the script orders it: pinned first still.
    expect(page.locator("#viewers")).to_have_text("1 spectateur connecté")
    expect(page.locator(".question .question-text")).to_have_text(
        ["Épinglée, sans vote ?", "Votée deux fois ?"])
