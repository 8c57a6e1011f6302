"""Every string of the interface has its English translation."""

import pytest

from eventhub import catalogs


@pytest.mark.parametrize("domain", catalogs.domains())
def test_every_message_is_translated_to_english(domain):
    assert catalogs.missing(domain) == [], (
        f"run `flask update-translations {domain}` and fill in the English msgstr"
    )


def test_the_interface_switches_to_english(client):
    assert "Événements" in client.get("/").get_data(as_text=True)
    client.get("/lang/en")
    page = client.get("/").get_data(as_text=True)
    assert "Events" in page and "Événements" not in page
