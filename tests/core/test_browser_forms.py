"""In the browser: a refused submit moves focus to the summary, whose links reach the fields."""


def test_focus_lands_on_the_error_summary_then_on_the_field(page, live_server):
    page.goto(live_server + "/annuaire/inscription")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_selector("[data-error-summary]")
    focused = page.evaluate("document.activeElement.hasAttribute('data-error-summary')")
    assert focused is True
    page.locator("[data-error-summary] a[href='#name']").click()
    assert page.evaluate("document.activeElement.id") == "name"


def test_the_required_mark_sits_inline_and_stays_out_of_the_field_s_name(page, live_server):
    page.goto(live_server + "/annuaire/inscription")
    label = page.locator("label[for=name]")
    mark = page.evaluate("""() => getComputedStyle(document.querySelector('label[for=name]'),
                                                     '::after').content""")
    assert "*" in mark
    assert page.get_by_label("Nom et prénom", exact=True).count() == 1  # not "… *"
    box = label.bounding_box()
    assert box["height"] < 40  # one line: the mark does not wrap under the label
