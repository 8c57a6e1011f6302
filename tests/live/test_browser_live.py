"""Two viewers in Chromium: one asks, the other sees the question and its votes live."""

from playwright.sync_api import expect

from tests.live.helpers import live_event


def test_question_and_vote_count_appear_without_reload(page, browser, live_server, app):
    app.config["LIVE_TICK_SECONDS"] = 0.2
    live_event(premoderation=False)
    other_context = browser.new_context(locale="fr-FR", timezone_id="Europe/Paris")
    watcher = other_context.new_page()
    try:
        watcher.goto(live_server + "/events/direct/live")
        page.goto(live_server + "/events/direct/live")
        expect(watcher.locator("#viewer-count")).to_have_text("2")

        page.get_by_label("Votre question").fill("<b>La fibre</b> arrive quand ?")
        page.get_by_role("button", name="Envoyer la question").click()
        expect(page.locator("#ask-status")).to_contain_text("publiée")

        item = watcher.locator(".question", has_text="<b>La fibre</b> arrive quand ?")
        expect(item).to_be_visible()
        expect(watcher.locator("#live-announcer")).to_contain_text("La fibre")
        expect(item.locator(".vote-count")).to_have_text("0")

        page.locator(".question", has_text="La fibre").get_by_role("button").click()
        expect(item.locator(".vote-count")).to_have_text("1")
        assert watcher.url.endswith("/events/direct/live")
    finally:
        other_context.close()
