"""A person logs in from a real browser and switches the interface to English."""

from tests.conftest import PASSWORD


def test_login_and_switch_language_in_the_browser(page, live_server, auth):
    user = auth.create("organiser")
    page.goto(live_server + "/login")
    page.get_by_label("E-mail").fill(user.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_role("link", name="Organisation").click()
    assert page.url.endswith("/manage/events")
    page.get_by_role("link", name="English").click()
    assert page.locator("html").get_attribute("lang") == "en"
