"""The whole directory journey in a real browser: apply, approve, find, contact, erase."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import sqlalchemy as sa

from eventhub.directory.models import ContactMessage, Teleworker
from eventhub.extensions import db
from tests.conftest import browser_login


def test_apply_approve_find_contact_and_erase(page, live_server, app, auth, smtp_server):
    app.config["DIRECTORY_CONTACT_MIN_SECONDS"] = 0
    # A teleworker applies.
    page.goto(live_server + "/annuaire")
    page.get_by_role("link", name="S'inscrire dans l'annuaire").click()
    page.get_by_label("Nom et prénom").fill("Léa Navigatrice")
    page.get_by_label("Indépendant").check()
    page.get_by_label("Activité").fill("Rédactrice web")
    page.get_by_label("Compétences (séparées par des virgules)").fill("rédaction, seo")
    page.get_by_label("Commune").fill("Florac")
    page.get_by_label("E-mail (jamais affiché)").fill("lea@example.org")
    page.get_by_label(re.compile("J'accepte que ces informations")).check()
    page.get_by_role("button", name="Envoyer ma demande").click()
    assert page.get_by_role("heading", name="Merci, votre demande est reçue").is_visible()

    # A moderator approves it; the applicant receives the private link.
    moderator = auth.create("moderator")
    browser_login(page, live_server, moderator)
    page.goto(live_server + "/manage/annuaire")
    page.get_by_role("link", name="Léa Navigatrice").first.click()
    page.get_by_role("button", name="Publier").click()
    approval = smtp_server.wait_for(1)[0]
    assert approval["To"] == "lea@example.org"
    link = re.search(r"https?://\S+/annuaire/modifier/\S+", approval.get_content()).group(0)

    # A visitor finds the profile and writes to her through the relayed form.
    page.goto(live_server + "/annuaire")
    page.get_by_label("Rechercher").fill("rédaction")
    page.get_by_role("button", name="Filtrer").click()
    page.get_by_role("link", name="Léa Navigatrice").click()
    assert "lea@example.org" not in page.content()
    page.get_by_label("Votre nom").fill("Visiteur Curieux")
    page.get_by_label("Votre e-mail (pour la réponse)").fill("visiteur@example.net")
    page.get_by_label("Message").fill("Bonjour Léa, un projet de site à rédiger ?")
    page.get_by_role("button", name="Envoyer le message").click()
    assert page.get_by_text("Votre message a été transmis").is_visible()
    relayed = smtp_server.wait_for(2)[1]
    assert relayed["To"] == "lea@example.org"
    assert "visiteur@example.net" in relayed["Reply-To"]
    assert "un projet de site à rédiger" in relayed.get_content()

    # She erases her entry through the private link.
    page.goto(live_server + urlsplit(link).path)
    page.get_by_role("link", name="Effacer ma fiche").click()
    page.get_by_label("Je confirme l'effacement définitif de cette fiche.").check()
    page.get_by_role("button", name="Effacer définitivement").click()
    assert page.get_by_text("ont été effacés").is_visible()
    db.session.remove()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Teleworker)) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ContactMessage)) == 0


def test_venue_map_shows_a_marker_per_located_venue(page, live_server, app):
    from eventhub.demo import Report
    from eventhub.demo import directory as demo_directory

    demo_directory.load(Report())
    violations = []
    page.on("console", lambda msg: violations.append(msg.text)
            if "Content Security Policy" in msg.text else None)
    fetched = []
    page.on("request", lambda request: fetched.append(request.url))
    page.goto(live_server + "/annuaire/lieux")
    page.wait_for_load_state("networkidle")
    assert [url for url in fetched if "leaflet" in url or "openstreetmap" in url] == []
    assert page.locator("#venue-map").is_hidden()
    page.get_by_role("button", name="Afficher la carte").click()
    page.locator("#venue-map.leaflet-container").wait_for(state="visible")
    assert any("openstreetmap" in url for url in fetched)
    assert page.locator(".leaflet-marker-icon").count() == len(demo_directory.VENUES)
    page.locator(".leaflet-marker-icon").first.click()
    assert page.locator(".leaflet-popup-content a").count() == 1
    assert violations == []
