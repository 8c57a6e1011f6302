"""Forms as people meet them: required fields marked in their label, a refused submit
answered with a summary that links each faulty field, and the fields themselves marked."""

import re


def test_required_fields_are_marked_on_their_label(client):
    html = client.get("/annuaire/inscription").get_data(as_text=True)
    assert re.search(r'<label for="name" class="is-required">Nom', html)
    assert '<label for="consent" class="is-required">' in html  # the consent box too
    assert '<label for="website">' in html


def test_a_refused_submit_lists_each_faulty_field_with_a_link_to_it(client):
    response = client.post("/annuaire/inscription", data={"name": "", "email": "not-an-address"})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    summary = html.split("data-error-summary", 1)[1].split("</div>", 1)[0]
    links = dict(re.findall(r'<a href="#([a-z_]+)">(.*?)</a>', summary))
    assert {"name", "email", "consent"} <= set(links)
    assert "website" not in links
    assert links["consent"].endswith("La publication demande votre consentement.")
    assert re.search(r'<input[^>]*aria-invalid="true"[^>]*id="name"|<input[^>]*id="name"'
                     r'[^>]*aria-invalid="true"', html)
    assert not re.search(r'<input[^>]*id="website"[^>]*aria-invalid', html)


def test_a_form_that_was_not_submitted_has_no_summary(client):
    assert "data-error-summary" not in client.get("/annuaire/inscription").get_data(as_text=True)
