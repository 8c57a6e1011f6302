"""Badges and the check-in list, read back with a PDF reader and a QR decoder."""

from __future__ import annotations

import io

import pypdf
import pypdfium2
import pytest
import zxingcpp

from eventhub.database import utcnow
from eventhub.extensions import db
from eventhub.registration import printing, services

ONSITE = [("Gaëlle Ottan", "MDECS"), ("Jean Dupont", ""), ("Élodie Martin", "Lozère Dév"),
          ("Bruno Abadie", "Aubrac Lab"), ("Chloé Zamora", ""), ("Marc Lefèvre", "POLeN"),
          ("Sophie Bernard", ""), ("Paul Roux", "Tiers-lieu"), ("Inès Garcia", "AGT"),
          ("Luc Moreau", "")]
# Confirmed on-site, by surname: Paul Roux cancels and Wanda Attente, first waiting, takes
# his place; Xavier Patience stays on the waiting list.
EXPECTED_LIST = ["Bruno Abadie", "Wanda Attente", "Sophie Bernard", "Jean Dupont",
                 "Inès Garcia", "Marc Lefèvre", "Élodie Martin", "Luc Moreau", "Gaëlle Ottan",
                 "Chloé Zamora"]
ABSENT = ["Paul Roux", "Xavier Patience"]


@pytest.fixture
def event(open_event):
    """Ten places on site: ten registered, two waiting, one cancelling; one remote."""
    found = open_event(capacity=10, slug="aubrac")
    people = [*ONSITE, ("Wanda Attente", "Coworking 48"), ("Xavier Patience", "")]
    for name, organisation in people:
        services.register(found, name, f"{printing.surname_key(name)[0]}@example.org",
                          "onsite", organisation)
    services.register(found, "Rémi Distant", "remi@example.org", "remote", "Télétravail 12")
    roux = next(r for r in services.search(found, "Roux"))
    services.cancel(roux)
    garcia = next(r for r in services.search(found, "Garcia"))
    garcia.checked_in_at = utcnow()
    db.session.commit()
    return found


def _text(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages]


def _codes(pdf: bytes) -> list[str]:
    """Every QR code on the pages, rendered at 288 dpi and decoded."""
    document = pypdfium2.PdfDocument(pdf)
    found = []
    for page in document:
        image = page.render(scale=4).to_pil()
        found.extend(result.text for result in zxingcpp.read_barcodes(image))
    return found


def test_badges_carry_name_organisation_attendance_and_a_ticket_qr(client, auth, event):
    auth.login("organiser")
    response = client.get("/manage/events/aubrac/badges.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["Cache-Control"] == "private, no-store"
    pdf = response.get_data()

    reader = pypdf.PdfReader(io.BytesIO(pdf))
    # 11 badges (10 on site, 1 remote), 8 to a sheet: two A4 pages.
    assert len(reader.pages) == 2
    assert {(round(float(p.mediabox.width)), round(float(p.mediabox.height)))
            for p in reader.pages} == {(595, 842)}
    pages = _text(pdf)
    text = "\n".join(pages)
    for name in [*EXPECTED_LIST, "Rémi Distant"]:
        assert text.count(name) == 1, name
    for name in ABSENT:
        assert name not in text
    for organisation in ("MDECS", "Aubrac Lab", "Coworking 48", "Télétravail 12"):
        assert organisation in text
    assert text.count("Sur place") == 10 and text.count("À distance") == 1
    # Badges come in surname order, the remote attendee among them (Distant, before
    # Dupont): the second sheet holds the last three.
    assert pages[0].index("Bruno Abadie") < pages[0].index("Rémi Distant") < pages[0].index(
        "Jean Dupont")
    assert [name for name in EXPECTED_LIST if name in pages[1]] == [
        "Luc Moreau", "Gaëlle Ottan", "Chloé Zamora"]

    confirmed = {r.name: r.code for r in services.search(event) if r.status == "confirmed"}
    assert len(confirmed) == 11
    codes = _codes(pdf)
    assert sorted(codes) == sorted(confirmed.values())
    for registration in services.search(event):
        printed = f"{registration.short_code[:4]}-{registration.short_code[4:]}"
        assert (text.count(printed) == 1) == (registration.status == "confirmed"), printed


def test_a_long_or_foreign_name_still_prints(app, event):
    services.register(event, "Łukasz Żółkiewski-Brzęczyszczykiewicz de la Tour d'Auvergne",
                      "lukasz@example.org", "remote", "Fundacja " * 12)
    registrations = printing.attendees(event)
    pdf = printing.badges_pdf(event, registrations)
    assert len(_codes(pdf)) == 12


def test_checkin_list_names_confirmed_onsite_attendees_by_surname(client, auth, event):
    auth.login("organiser")
    response = client.get("/manage/events/aubrac/checkin-list.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    [page] = _text(response.get_data())
    positions = [page.index(name) for name in EXPECTED_LIST]
    assert positions == sorted(positions)
    for name in [*ABSENT, "Rémi Distant"]:
        assert name not in page
    assert "10 personnes attendues sur place" in page
    assert "page 1/1" in page


def test_an_empty_event_prints_a_page_that_says_so(client, auth, open_event):
    open_event(slug="vide")
    auth.login("organiser")
    badges = _text(client.get("/manage/events/vide/badges.pdf").get_data())
    assert [page.strip() for page in badges] == ["Aucun participant confirmé."]
    [listing] = _text(client.get("/manage/events/vide/checkin-list.pdf").get_data())
    assert "Aucun participant confirmé sur place." in listing


@pytest.mark.parametrize("path", ["badges.pdf", "checkin-list.pdf"])
def test_printouts_are_for_organisers(client, auth, event, path):
    assert client.get(f"/manage/events/aubrac/{path}").status_code in (302, 401)
    auth.login("door")
    assert client.get(f"/manage/events/aubrac/{path}").status_code == 403
    assert client.get(f"/manage/events/nowhere/{path}").status_code in (403, 404)


def test_attendee_list_links_to_the_printouts(client, auth, event):
    auth.login("organiser")
    page = client.get("/manage/events/aubrac/attendees").get_data(as_text=True)
    assert 'href="/manage/events/aubrac/badges.pdf"' in page
    assert 'href="/manage/events/aubrac/checkin-list.pdf"' in page
