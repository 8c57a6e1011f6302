"""Directory pages: forms, moderation, contact relay, private links, rate limits."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from eventhub.directory import services
from eventhub.directory.models import (
    AuditEntry,
    ContactMessage,
    EntryState,
    Teleworker,
    Venue,
)
from eventhub.extensions import db
from tests.directory.conftest import teleworker_fields, venue_fields


def count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def form_data(fields: dict, **extra) -> dict:
    data = {k: v for k, v in fields.items() if v is not None}
    return {**data, **extra}


def test_teleworker_application_form_creates_a_pending_entry(client):
    page = client.get("/annuaire/inscription").get_data(as_text=True)
    assert "consent" in page and "jamais affich" in page
    response = client.post("/annuaire/inscription",
                           data=form_data(teleworker_fields(), consent="y"))
    assert response.status_code == 302 and response.location.endswith("/annuaire/merci")
    person = db.session.scalars(sa.select(Teleworker)).one()
    assert person.state == EntryState.PENDING and person.consent_at is not None


@pytest.mark.parametrize("overrides, message", [
    ({"consent": ""}, "consentement"),
    ({"email": "nope"}, "e-mail"),
    ({"name": ""}, "Ce champ est requis."),
    ({"status": "robot"}, "N&#39;est pas un choix valide."),
    ({"website": "ftp://x"}, "http:// ou https://"),
])
def test_bad_teleworker_forms_are_refused_with_messages(client, overrides, message):
    data = form_data(teleworker_fields(), consent="y")
    data.update(overrides)
    data = {k: v for k, v in data.items() if v != ""}
    response = client.post("/annuaire/inscription", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert message in page
    assert count(Teleworker) == 0


def test_venue_form_shows_the_charter_and_records_its_version(client):
    page = client.get("/annuaire/adhesion-lieu").get_data(as_text=True)
    assert "Charte qualité (version 1)" in page and "Comptoirs SoLozère" in page
    data = form_data(venue_fields(), charter_version="1", accept_charter="y")
    response = client.post("/annuaire/adhesion-lieu", data=data)
    assert response.status_code == 302
    venue = db.session.scalars(sa.select(Venue)).one()
    assert venue.charter_version == 1 and venue.services == [
        "wifi", "private_offices", "pro_connectivity"]


@pytest.mark.parametrize("overrides, message", [
    ({"accept_charter": None}, "Acceptez la charte qualité."),
    ({"charter_version": "0"}, "Acceptez la version en vigueur de la charte qualité."),
    ({"latitude": "91"}, "Le nombre doit être compris entre -90 et 90."),
    ({"longitude": None}, "Donnez la latitude et la longitude, ou aucune des deux."),
    ({"services": ["sauna"]}, "sauna\xa0» n'est pas un choix valide"),
])
def test_bad_venue_forms_are_refused(client, overrides, message):
    data = form_data(venue_fields(), charter_version="1", accept_charter="y")
    data.update(overrides)
    data = {k: v for k, v in data.items() if v is not None}
    response = client.post("/annuaire/adhesion-lieu", data=data)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True).replace("&#39;", "'")
    assert count(Venue) == 0


def test_directory_search_and_filters_work_without_js(client, make_teleworker):
    make_teleworker()
    make_teleworker(name="Dominique Dev", status="salarie", skills="python",
                    commune="Marvejols", email="dom@example.org")
    page = client.get("/annuaire").get_data(as_text=True)
    assert "Camille Exemple" in page and "Dominique Dev" in page
    assert '<progress class="goal-bar" max="100" value="30"' in page
    page = client.get("/annuaire?skill=python").get_data(as_text=True)
    assert "Dominique Dev" in page and "Camille Exemple" not in page
    page = client.get("/annuaire?status=independant&commune=Mende").get_data(as_text=True)
    assert "Camille Exemple" in page and "Dominique Dev" not in page
    page = client.get("/annuaire?q=zzz").get_data(as_text=True)
    assert "Aucun télétravailleur" in page


def test_pending_and_rejected_profiles_are_not_public(client, make_teleworker, moderator):
    pending, _ = make_teleworker(approved=False)
    assert client.get(f"/annuaire/membres/{pending.slug}").status_code == 404
    services.approve_teleworker(pending, moderator)
    assert client.get(f"/annuaire/membres/{pending.slug}").status_code == 200
    services.reject(pending, moderator)
    assert client.get(f"/annuaire/membres/{pending.slug}").status_code == 404


def test_contact_form_relays_the_message(client, make_teleworker, smtp_server, contact_stamp):
    person, _ = make_teleworker()
    smtp_server.messages.clear()
    response = client.post(f"/annuaire/membres/{person.slug}", data={
        "sender_name": "Alex", "sender_email": "alex@example.net",
        "message": "Bonjour, travaillons ensemble !", "started": contact_stamp()})
    assert response.status_code == 302
    message = smtp_server.wait_for(1)[0]
    assert message["To"] == "camille@example.org" and "alex@example.net" in message["Reply-To"]
    assert count(ContactMessage) == 1


@pytest.mark.parametrize("extra, age, error", [
    ({"homepage": "http://spam.example"}, 60, "anti-spam"),
    ({}, 0, "trop vite"),
    ({"started": "forged"}, None, "expiré"),
])
def test_contact_spam_measures_refuse_and_send_nothing(client, make_teleworker, smtp_server,
                                                       contact_stamp, extra, age, error):
    person, _ = make_teleworker()
    smtp_server.messages.clear()
    data = {"sender_name": "Bot", "sender_email": "bot@example.net",
            "message": "Buy cheap things now!!!", "started": contact_stamp(age or 0)}
    data.update(extra)
    response = client.post(f"/annuaire/membres/{person.slug}", data=data)
    assert response.status_code == 400 and error in response.get_data(as_text=True)
    assert smtp_server.messages == [] and count(ContactMessage) == 0


def test_contact_rate_limit_answers_clearly(make_app, contact_stamp):
    app = make_app(RATELIMIT_ENABLED=True, DIRECTORY_CONTACT_RATE_LIMIT="2 per hour")
    with app.app_context():
        from tests.directory.conftest import teleworker_fields as fields

        person, _ = services.apply_teleworker(fields(), consent=True)
        person.state = EntryState.APPROVED
        db.session.commit()
        client = app.test_client()
        data = {"sender_name": "Alex", "sender_email": "alex@example.net",
                "message": "Bonjour, un message.", "started": contact_stamp()}
        codes = [client.post(f"/annuaire/membres/{person.slug}", data=data).status_code
                 for _ in range(3)]
        assert codes == [302, 302, 429]
        page = client.post(f"/annuaire/membres/{person.slug}", data=data)
        assert "Trop de demandes" in page.get_data(as_text=True)
        assert client.get(f"/annuaire/membres/{person.slug}").status_code == 200


def test_apply_rate_limit(make_app):
    app = make_app(RATELIMIT_ENABLED=True, DIRECTORY_APPLY_RATE_LIMIT="1 per hour")
    with app.app_context():
        client = app.test_client()
        first = client.post("/annuaire/inscription",
                            data=form_data(teleworker_fields(), consent="y"))
        second = client.post("/annuaire/inscription", data=form_data(
            teleworker_fields(email="b@example.org"), consent="y"))
        assert (first.status_code, second.status_code) == (302, 429)
        assert "Trop de demandes" in second.get_data(as_text=True)
        assert count(Teleworker) == 1


def test_private_link_edits_and_erases(client, make_teleworker):
    person, _ = make_teleworker()
    token = services._new_token()[0]
    person.edit_token_hash = services._hash(token)
    db.session.commit()
    response = client.get(f"/annuaire/modifier/{token}")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    assert 'value="anglais, traduction"' in response.get_data(as_text=True)
    bad = client.post(f"/annuaire/modifier/{token}",
                      data=form_data(teleworker_fields(name="")))
    assert bad.status_code == 400 and person.name == "Camille Exemple"
    ok = client.post(f"/annuaire/modifier/{token}",
                     data=form_data(teleworker_fields(activity="Interprète")))
    assert ok.status_code == 302
    db.session.refresh(person)  # published: the change waits for a moderator
    assert (person.activity, person.pending_changes["activity"]) == ("Traductrice",
                                                                      "Interprète")
    assert client.post(f"/annuaire/modifier/{token}/effacer", data={}).status_code == 400
    assert count(Teleworker) == 1
    gone = client.post(f"/annuaire/modifier/{token}/effacer", data={"confirm": "y"})
    assert gone.status_code == 302 and count(Teleworker) == 0
    assert client.get(f"/annuaire/modifier/{token}").status_code == 404


def test_unknown_private_link_is_404(client):
    assert client.get("/annuaire/modifier/not-a-token").status_code == 404


def test_moderation_needs_the_moderator_role(client, auth, make_teleworker):
    person, _ = make_teleworker(approved=False)
    assert client.get("/manage/annuaire").status_code == 302
    auth.login("door")
    assert client.get("/manage/annuaire").status_code == 403
    assert client.post(f"/manage/annuaire/membres/{person.id}/approve").status_code == 403
    assert db.session.get(Teleworker, person.id).state == EntryState.PENDING


def test_moderator_approves_rejects_edits_and_erases(client, auth, make_teleworker, make_venue,
                                                     smtp_server):
    user = auth.login("moderator", email="mod2@example.org")
    person, _ = make_teleworker(approved=False)
    venue, _ = make_venue(None, services=["wifi"], open_to_public=True)
    queue = client.get("/manage/annuaire").get_data(as_text=True)
    assert "Camille Exemple" in queue and "Télécentre de Test" in queue
    assert client.post(f"/manage/annuaire/membres/{person.id}/approve").status_code == 302
    assert person.state == EntryState.APPROVED
    told = smtp_server.wait_for(1)[-1]
    assert told["To"] == "camille@example.org" and "/annuaire/modifier/" in told.get_content()
    refused = client.post(f"/manage/annuaire/lieux/{venue.id}/approve",
                          data={"kind": "telecentre"})
    assert refused.status_code == 400
    assert "bureaux privatifs" in refused.get_data(as_text=True)
    db.session.refresh(venue)
    assert venue.state == EntryState.PENDING and venue.kind is None
    assert client.post(f"/manage/annuaire/lieux/{venue.id}/approve",
                       data={"kind": "comptoir"}).status_code == 302
    db.session.refresh(venue)
    assert (venue.state, venue.kind) == (EntryState.APPROVED, "comptoir")
    edited = client.post(f"/manage/annuaire/membres/{person.id}",
                         data=form_data(teleworker_fields(commune="Florac")))
    assert edited.status_code == 302
    db.session.refresh(person)
    assert person.commune == "Florac"
    assert client.post(f"/manage/annuaire/membres/{person.id}/reject",
                       data={"reason": "test"}).status_code == 302
    assert client.post(f"/manage/annuaire/lieux/{venue.id}/erase").status_code == 400
    assert client.post(f"/manage/annuaire/lieux/{venue.id}/erase",
                       data={"confirm": "y"}).status_code == 302
    assert count(Venue) == 0
    journal = client.get("/manage/annuaire/journal").get_data(as_text=True)
    assert user.email in journal and "effacée" in journal and "refusée" in journal
    actions = db.session.scalars(sa.select(AuditEntry.action).where(
        AuditEntry.user_id == user.id)).all()
    assert sorted(actions) == ["approved", "approved", "edited", "erased", "rejected"]


def test_venue_list_page_and_map_data(client, make_venue):
    make_venue()
    make_venue("comptoir", name="Comptoir Sans Carte", latitude=None, longitude=None,
               email="nomap@example.org")
    response = client.get("/annuaire/lieux")
    page = response.get_data(as_text=True)
    assert "Télécentre de Test" in page and "Comptoir Sans Carte" in page
    assert 'data-lat="44.72"' in page
    assert 'data-leaflet-js="/static/vendor/leaflet-1.9.4/leaflet.js' in page
    assert '<script src="/static/vendor/leaflet' not in page  # loaded only on request
    assert "https://tile.openstreetmap.org" in response.headers["Content-Security-Policy"]
    assert client.get("/annuaire/lieux/telecentre-de-test").status_code == 200
    assert client.get("/annuaire/lieux/inconnu").status_code == 404


def test_organiser_names_the_venue_of_an_event(client, auth, make_venue, make_event, app):
    venue, _ = make_venue()
    event = make_event()
    auth.login("organiser")
    page = client.get(f"/manage/events/{event.slug}/venue").get_data(as_text=True)
    assert "Télécentre de Test" in page
    assert client.post(f"/manage/events/{event.slug}/venue",
                       data={"venue": "999"}).status_code == 400
    assert services.venue_for_event(event) is None
    assert client.post(f"/manage/events/{event.slug}/venue",
                       data={"venue": str(venue.id)}).status_code == 302
    assert services.venue_for_event(event) == venue
    with app.test_request_context():
        html = app.jinja_env.get_template("directory/_event_venue.html").render(event=event)
    assert "/annuaire/lieux/telecentre-de-test" in html and "Télécentre" in html
    event_page = client.get(f"/events/{event.slug}").get_data(as_text=True)
    assert 'href="/annuaire/lieux/telecentre-de-test"' in event_page
    assert client.get("/manage/events/nope/venue").status_code == 404


def test_event_venue_page_needs_an_organiser(client, auth, make_event):
    event = make_event()
    auth.login("moderator")
    assert client.get(f"/manage/events/{event.slug}/venue").status_code == 403


def test_api_lists_published_entries(client, make_teleworker, make_venue):
    make_teleworker()
    make_teleworker(approved=False, name="Caché", email="hidden@example.org")
    make_venue()
    people = client.get("/api/v1/directory/teleworkers?skill=traduction").get_json()
    assert [p["name"] for p in people["teleworkers"]] == ["Camille Exemple"]
    venues = client.get("/api/v1/directory/venues").get_json()["venues"]
    assert venues[0]["kind"] == "telecentre" and "email" not in venues[0]
    bad = client.get("/api/v1/directory/teleworkers?status=robot")
    assert bad.status_code == 400 and bad.get_json()["error"] == "bad_status"
    spec = client.get("/api/v1/openapi.json").get_json()
    assert "/directory/venues" in spec["paths"]


def test_contact_forms_carry_a_honeypot_and_a_signed_stamp(client, make_teleworker):
    person, _ = make_teleworker()
    page = client.get(f"/annuaire/membres/{person.slug}").get_data(as_text=True)
    assert 'name="homepage"' in page and 'class="hp-field"' in page
    assert re.search(r'name="started"[^>]*value="[^"]+"', page) or re.search(
        r'value="[^"]+"[^>]*name="started"', page)


def test_directory_pages_switch_to_english(client, make_venue):
    make_venue()
    client.get("/lang/en")
    page = client.get("/annuaire/lieux").get_data(as_text=True)
    assert ">Directory</a>" in page and "The places that welcome teleworkers" in page
    assert "Professional-grade connectivity" in page


def test_venue_owner_edit_that_breaks_the_kind_goes_back_to_moderation(client, make_venue,
                                                                       moderator):
    venue, _ = make_venue("telecentre")
    token = services._new_token()[0]
    venue.edit_token_hash = services._hash(token)
    db.session.commit()
    page = client.get(f"/annuaire/modifier/{token}").get_data(as_text=True)
    assert re.search(r'<input checked[^>]*value="pro_connectivity"', page)
    client.post(f"/annuaire/modifier/{token}", data=form_data(
        venue_fields(services=["wifi"]), open_to_public="y"))
    db.session.refresh(venue)
    assert "repasse en modération" in services.accept_changes(venue, moderator)
    db.session.refresh(venue)
    assert venue.state == EntryState.PENDING and venue.services == ["wifi"]
    assert client.get(f"/annuaire/lieux/{venue.slug}").status_code == 404


def test_every_directory_form_carries_a_csrf_token(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        person, token = services.apply_teleworker(teleworker_fields(), consent=True)
        person.state = EntryState.APPROVED
        db.session.commit()
        client = app.test_client()
        for path in ("/annuaire/inscription", "/annuaire/adhesion-lieu",
                     f"/annuaire/membres/{person.slug}", f"/annuaire/modifier/{token}",
                     f"/annuaire/modifier/{token}/effacer"):
            assert 'name="csrf_token"' in client.get(path).get_data(as_text=True), path
        refused = client.post(f"/annuaire/modifier/{token}/effacer", data={"confirm": "y"})
        assert refused.status_code == 400 and count(Teleworker) == 1


@pytest.mark.parametrize("method, url, data", [
    ("get", "/annuaire?q=a%00b", None),
    ("get", "/annuaire/membres/a%00b", None),
    ("get", "/api/v1/directory/teleworkers?skill=%00", None),
    ("post", "/annuaire/inscription", {**teleworker_fields(name="A\x00B"), "consent": "y"}),
])
def test_nul_characters_are_refused_clearly(client, method, url, data):
    """PostgreSQL cannot compare text holding NUL: refused before it gets there."""
    response = getattr(client, method)(url, data=data)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "caractère nul" in page or "nul_character" in page
    assert count(Teleworker) == 0
