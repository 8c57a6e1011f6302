"""The ticket page as the attendee reads it right after registering, on site or remote."""

from __future__ import annotations

import re

import pytest

from eventhub.registration import services

FORM = {"name": "Ana Martin", "email": "ana@example.org", "organisation": "MDECS",
        "attendance": "onsite", "consent": "y"}
SLOTS = [{"start": "09:30", "end": "10:30", "title": "Ouverture", "room": "Salle des fêtes"},
         {"start": "16:00", "end": "17:30", "title": "Table ronde", "room": "Salle des fêtes"}]


@pytest.fixture
def event(open_event):
    return open_event(slots=SLOTS, venue_name="Salle des fêtes", venue_commune="Aumont-Aubrac")


def test_after_registering_the_page_says_where_the_mail_went_and_when_and_where(client, event):
    response = client.post("/events/rencontres/register", data=FORM, follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "Vous êtes inscrit(e). Un e-mail avec ce billet part à ana@example.org" in html
    assert "lundi 28 octobre 2030, de 09:30 à 17:30" in html
    assert "Salle des fêtes, Aumont-Aubrac" in html
    assert "Présentez ce code à l'accueil" in html
    registration = services.find_by_email(event, "ana@example.org")
    printed = f"{registration.short_code[:4]}-{registration.short_code[4:]}"
    assert f"Code à saisir à l'accueil : <strong>{printed}</strong>" in html
    # Cancelling stays possible, as a plain link, not as the page's filled button.
    buttons = re.findall(r'<a class="button"[^>]*>([^<]*)</a>', html)
    assert buttons == ["Télécharger le code QR (PNG)"]
    assert ">Annuler mon inscription</a>" in html


def test_a_remote_ticket_leads_to_the_live_page_and_shows_no_door_code(client, event):
    response = client.post("/events/rencontres/register",
                           data={**FORM, "attendance": "remote"}, follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "<svg" not in html and "qr.png" not in html
    assert re.search(r'<a class="button" href="/events/rencontres/live">Ouvrir la page du direct',
                     html)
    assert "À distance, en direct" in html and "de 09:30 à 17:30" in html
    assert "webcal://" in html and "/tickets/" in html.split("Dans mon agenda", 1)[1]


def test_a_waitlisted_registrant_is_told_so_not_that_they_are_registered(client, open_event):
    open_event(capacity=1, slots=SLOTS)
    client.post("/events/rencontres/register", data={**FORM, "email": "first@example.org"},
                follow_redirects=True)
    html = client.post("/events/rencontres/register", data=FORM,
                       follow_redirects=True).get_data(as_text=True)
    assert "Vous êtes sur la liste d&#39;attente. Un e-mail part à ana@example.org" in html
    assert "Vous êtes inscrit(e)" not in html
