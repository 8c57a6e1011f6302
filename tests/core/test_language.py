"""The interface language: French until the reader chooses, then the reader's choice."""


def _lang(response) -> str:
    html = response.get_data(as_text=True)
    return html.split('<html lang="', 1)[1].split('"', 1)[0]


def test_a_visitor_who_has_not_chosen_reads_french_whatever_the_browser_asks(client):
    response = client.get("/", headers={"Accept-Language": "en-US,en;q=0.9"})
    assert _lang(response) == "fr"
    assert "Événements" in response.get_data(as_text=True)


def test_the_chosen_language_wins_over_the_browser(client):
    client.get("/lang/en")
    response = client.get("/", headers={"Accept-Language": "fr-FR,fr;q=0.9"})
    assert _lang(response) == "en"
    client.get("/lang/fr")
    assert _lang(client.get("/", headers={"Accept-Language": "en"})) == "fr"
