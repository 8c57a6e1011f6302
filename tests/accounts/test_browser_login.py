"""A person logs in from a real browser and switches the interface to English."""

from tests.conftest import browser_login


def test_login_and_switch_language_in_the_browser(page, live_server, auth):
    user = auth.create("organiser")
    browser_login(page, live_server, user)
    assert page.url.endswith("/manage/events")  # an organiser lands on the dashboard
    page.get_by_role("link", name="English").click()
    assert page.locator("html").get_attribute("lang") == "en"
