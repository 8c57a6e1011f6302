"""Public pages: form, ticket, QR, cancellation, workshop changes, agenda; JSON API."""

from __future__ import annotations

import icalendar
import pytest

from eventhub.registration import services
from tests.registration.conftest import slot_id

FORM = {"name": "Ana Martin", "email": "ana@example.org", "organisation": "MDECS",
        "attendance": "onsite", "consent": "y"}


def test_form_registers_and_opens_the_ticket(client, open_event):
    open_event()
    page = client.get("/events/rencontres/register")
    assert page.status_code == 200
    assert "Nom et prénom" in page.get_data(as_text=True)
    response = client.post("/events/rencontres/register", data=FORM)
    assert response.status_code == 302
    ticket = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Ana Martin" in ticket
    assert "<svg" in ticket
    assert "<?xml" not in ticket  # the SVG element alone, not a document, inside the page
    assert "Confirmée" in ticket


def test_form_needs_consent_and_changes_nothing_when_invalid(client, open_event):
    event = open_event()
    response = client.post("/events/rencontres/register", data={**FORM, "consent": ""})
    assert response.status_code == 400
    assert "Votre accord est nécessaire" in response.get_data(as_text=True)
    assert services.search(event) == []


def test_visitor_text_is_escaped_on_the_ticket(client, open_event):
    registration = services.register(open_event(), "<script>alert(1)</script>",
                                     "x@example.org", "onsite")
    body = client.get(f"/tickets/{registration.token}").get_data(as_text=True)
    assert "<script>alert(1)" not in body
    assert "&lt;script&gt;" in body


def test_duplicate_offers_to_resend_the_ticket(client, open_event):
    open_event()
    client.post("/events/rencontres/register", data=FORM)
    response = client.post("/events/rencontres/register", data={**FORM, "name": "Autre"})
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "déjà inscrite" in body
    assert "/events/rencontres/resend" in body


def test_closed_registration_shows_no_form(client, make_event):
    make_event()
    body = client.get("/events/rencontres/register").get_data(as_text=True)
    assert "ne sont pas ouvertes" in body
    assert 'name="email"' not in body


def test_ticket_page_needs_its_secret(client, open_event):
    registration = services.register(open_event(), "Ana", "ana@example.org", "onsite")
    assert client.get("/tickets/wrong-token").status_code == 404
    assert client.get(f"/tickets/{registration.code}").status_code == 404
    svg = client.get(f"/tickets/{registration.token}/qr.svg")
    png = client.get(f"/tickets/{registration.token}/qr.png")
    assert svg.mimetype == "image/svg+xml"
    assert png.data.startswith(b"\x89PNG")
    assert client.get(f"/tickets/{registration.token}/qr.gif").status_code == 404


def test_cancel_asks_first_then_promotes(client, open_event):
    event = open_event(capacity=1)
    first = services.register(event, "Ana", "ana@example.org", "onsite")
    waiting = services.register(event, "Bob", "bob@example.org", "onsite")
    url = f"/tickets/{first.token}/cancel"
    assert "Oui, annuler" in client.get(url).get_data(as_text=True)
    client.post(url)  # without the confirmation field: nothing happens
    assert services.by_token(first.token).status == "confirmed"
    assert client.post(url, data={"confirm": "1"}).status_code == 302
    assert services.by_token(first.token).status == "cancelled"
    assert services.by_token(waiting.token).status == "confirmed"


def test_choices_change_from_the_ticket_page(client, workshops):
    a1, b2, c2 = (slot_id(workshops, t, r) for t, r in (("Atelier A", 1), ("Atelier B", 2),
                                                       ("Atelier C", 2)))
    me = services.register(workshops, "Ana", "ana@example.org", "onsite", choices=[a1, b2])
    page = client.get(f"/tickets/{me.token}").get_data(as_text=True)
    assert "Changer mes ateliers" in page
    client.post(f"/tickets/{me.token}/choices", data={"rotation_1": a1, "rotation_2": c2})
    assert sorted(c.slot_id for c in services.by_token(me.token).choices) == sorted([a1, c2])
    a2 = slot_id(workshops, "Atelier A", 2)
    response = client.post(f"/tickets/{me.token}/choices",
                           data={"rotation_1": a1, "rotation_2": a2}, follow_redirects=True)
    assert "deux fois le même atelier" in response.get_data(as_text=True)
    assert sorted(c.slot_id for c in services.by_token(me.token).choices) == sorted([a1, c2])


def test_full_workshop_is_shown_as_full(client, workshops):
    a1 = slot_id(workshops, "Atelier A", 1)
    for n, second in enumerate(("Atelier B", "Atelier C")):
        services.register(workshops, f"P{n}", f"p{n}@example.org", "onsite",
                          choices=[a1, slot_id(workshops, second, 2)])
    body = client.get("/events/explorcamp/register").get_data(as_text=True)
    assert "Atelier A (complet)" in body


def test_agenda_holds_plenary_slots_and_own_workshops(client, workshops):
    a1, b2 = slot_id(workshops, "Atelier A", 1), slot_id(workshops, "Atelier B", 2)
    me = services.register(workshops, "Ana", "ana@example.org", "onsite", choices=[a1, b2])
    response = client.get(f"/agenda/{me.token}.ics")
    assert response.mimetype == "text/calendar"
    calendar = icalendar.Calendar.from_ical(response.data)
    summaries = sorted(str(e["SUMMARY"]) for e in calendar.walk("VEVENT"))
    assert summaries == ["Accueil", "Atelier A", "Atelier B"]
    assert client.get("/agenda/nope.ics").status_code == 404


API = "/api/v1/events/rencontres/registrations"


def test_api_registers_and_waitlists(client, open_event):
    open_event(capacity=1)
    first = client.post(API, json={"name": "Ana", "email": "ana@example.org",
                                   "attendance": "onsite"})
    assert first.status_code == 201
    assert first.json["status"] == "confirmed"
    assert "/tickets/" in first.json["ticket_url"]
    second = client.post(API, json={"name": "Bob", "email": "bob@example.org",
                                    "attendance": "onsite"})
    assert second.json["status"] == "waitlisted"


@pytest.mark.parametrize(("body", "status", "code", "field"), [
    ({"name": "Ana", "email": "x", "attendance": "onsite"}, 422, "invalid_field", "email"),
    ({"name": "", "email": "b@example.org", "attendance": "onsite"}, 422, "invalid_field", "name"),
    ({"name": "B", "email": "b@example.org", "attendance": "?"}, 422, "invalid_field",
     "attendance"),
    ({"name": "B", "email": "b@example.org", "attendance": "onsite", "choices": "1"}, 422,
     "invalid_field", "choices"),
    ({"name": "Ana", "email": "ana@example.org", "attendance": "remote"}, 409,
     "duplicate_email", "email"),
])
def test_api_errors_are_clear(client, open_event, body, status, code, field):
    event = open_event()
    services.register(event, "Ana", "ana@example.org", "onsite")
    response = client.post(API, json=body)
    assert response.status_code == status
    assert (response.json["error"], response.json["field"]) == (code, field)


def test_api_closed_and_unknown(client, make_event):
    make_event()
    body = {"name": "Ana", "email": "ana@example.org", "attendance": "onsite"}
    response = client.post(API, json=body)
    assert (response.status_code, response.json["error"]) == (403, "registration_closed")
    assert client.post("/api/v1/events/nope/registrations", json=body).status_code == 404
    assert client.post(API, data="x").status_code == 415


def test_api_is_rate_limited(make_app, open_event):
    limited = make_app(RATELIMIT_ENABLED=True)
    with limited.app_context():
        open_event()
        client = limited.test_client()
        codes = [client.post(API, json={"name": f"P{i}", "email": f"p{i}@example.org",
                                        "attendance": "remote"}).status_code
                 for i in range(32)]
    assert codes.count(201) == 30
    assert codes[-1] == 429


def test_openapi_documents_registration_and_checkin(client):
    paths = client.get("/api/v1/openapi.json").json["paths"]
    assert "/events/{slug}/checkin" in paths
    assert "/events/{slug}/registrations" in paths


def test_the_event_page_offers_registration_only_while_it_is_open(client, open_event):
    from datetime import timedelta

    from eventhub.database import utcnow
    from eventhub.extensions import db
    from eventhub.registration.services import settings_for

    event = open_event()
    link = f'href="/events/{event.slug}/register"'
    assert link in client.get(f"/events/{event.slug}").get_data(as_text=True)
    settings_for(event).closes_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert link not in client.get(f"/events/{event.slug}").get_data(as_text=True)


def test_a_rotation_left_out_is_marked_on_its_own_field(client, workshops):
    a1 = slot_id(workshops, "Atelier A", 1)
    response = client.post("/events/explorcamp/register", data={
        "name": "Ana Martin", "email": "ana@example.org", "attendance": "onsite",
        "consent": "y", "rotation_1": str(a1)})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    field = html.split('id="rotation_2-error"', 1)[1].split("</ul>", 1)[0]
    assert "Choisissez un atelier pour la rotation 2." in field
    assert '<a href="#rotation_2">' in html  # and the summary leads to it
    assert services.search(workshops) == []
