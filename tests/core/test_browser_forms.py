"""In the browser: a refused submit moves focus to the summary, whose links reach the fields."""


def test_focus_lands_on_the_error_summary_then_on_the_field(page, live_server):
    page.goto(live_server + "/annuaire/inscription")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_selector("[data-error-summary]")
    focused = page.evaluate("document.activeElement.hasAttribute('data-error-summary')")
    assert focused is True
    page.locator("[data-error-summary] a[href='#name']").click()
    assert page.evaluate("document.activeElement.id") == "name"
