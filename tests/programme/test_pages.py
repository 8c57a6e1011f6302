"""Public programme pages over HTTP."""

from datetime import date

import pytest

from eventhub.extensions import db
from eventhub.programme import services
from eventhub.programme.models import EventOrganisation, Organisation, Series, SeriesStop

WORKSHOPS = [
    {"start": "09:00", "end": "09:20", "title": "Ouverture", "kind": "opening"},
    {"start": "14:00", "end": "16:00", "title": "S'installer en entrepreneur solo",
     "kind": "workshop", "room": "Salle A"},
    {"start": "14:00", "end": "16:00", "title": "Tiers lieux en milieu rural",
     "kind": "workshop", "room": "Salle B"},
]


def test_home_lists_published_events_and_links_them(client, make_event):
    make_event(slug="passe", title="Rencontres 2011", day=date(2011, 10, 28))
    make_event(slug="futur", title="Rencontres 2030")
    make_event(slug="cache", title="Brouillon secret", published=False)
    page = client.get("/").get_data(as_text=True)
    assert 'href="/events/futur"' in page and 'href="/events/passe"' in page
    assert page.index("Rencontres 2030") < page.index("Événements passés") < page.index(
        "Rencontres 2011")
    assert "Brouillon secret" not in page


def test_event_page_shows_facts_organisers_and_calendar_links(client, make_event):
    event = make_event(slug="mende", title="Étape rurale", theme="tiers lieux",
                       audience="élus et techniciens", venue_commune="Mende",
                       venue_name="POLeN")
    org = Organisation(name="Lozère Développement")
    db.session.add(EventOrganisation(event=event, organisation=org, role="organiser"))
    db.session.add(EventOrganisation(event=event, organisation=Organisation(name="MDECS"),
                                     role="supporter"))
    db.session.commit()
    page = client.get("/events/mende").get_data(as_text=True)
    for text in ("Étape rurale", "tiers lieux", "élus et techniciens", "POLeN, Mende",
                 "Lozère Développement", "MDECS", "Partenaires", "lundi 28 octobre 2030",
                 'href="/events/mende/programme"', 'href="/events/mende/programme.ics"',
                 'href="webcal://localhost/events/mende/programme.ics"'):
        assert text in page, text


def test_timetable_shows_parallel_slots_in_one_row(client, make_event):
    make_event(slug="mende", slots=WORKSHOPS)
    page = client.get("/events/mende/programme").get_data(as_text=True)
    rows = page.split('class="timetable-row')[1:]
    assert len(rows) == 2
    assert "Ouverture" in rows[0] and "is-parallel" not in rows[0]
    assert rows[1].startswith(" is-parallel")
    assert rows[1].index("entrepreneur solo") < rows[1].index("Tiers lieux")
    assert "Salle A" in rows[1] and "Salle B" in rows[1] and "14:00" in rows[1]


def test_timetable_shows_rotations_speakers_and_links(client, make_event):
    event = make_event(slug="explorcamp", slots=[
        {"start": "10:00", "end": "11:00", "title": f"Atelier {n}", "kind": "workshop",
         "room": f"Salle {n}", "rotation": 1} for n in (1, 2, 3)])
    slot = event.slots[0]
    speaker = services.save_speaker({"name": "Pauline Maurin", "affiliation": "CG 48"})
    services.save_slot(event, {"kind": slot.kind, "title": slot.title,
                               "starts_at": services.to_local(slot.starts_at, "Europe/Paris"),
                               "ends_at": services.to_local(slot.ends_at, "Europe/Paris"),
                               "room_id": slot.room_id, "rotation": 1,
                               "replay_url": "https://video.example/r",
                               "slides_url": "https://slides.example/s"},
                       slot=slot, speaker_ids=[speaker.id])
    page = client.get("/events/explorcamp/programme").get_data(as_text=True)
    assert page.count('class="slot slot-workshop"') == 3
    assert "Rotation 1" in page and "3 en parallèle" in page
    assert 'href="/speakers/pauline-maurin"' in page and "(CG 48)" in page
    assert 'href="https://video.example/r"' in page and 'href="https://slides.example/s"' in page


def test_slot_page_and_its_calendar_links(client, make_event):
    event = make_event(slug="mende", slots=WORKSHOPS)
    slot = event.slots[1]
    page = client.get(f"/events/mende/slots/{slot.id}").get_data(as_text=True)
    assert slot.title.replace("'", "&#39;") in page
    assert f'href="/events/mende/slots/{slot.id}.ics"' in page
    assert "Ajouter à Google Agenda" in page and "https://calendar.google.com/" in page
    assert "Ajouter à Outlook" in page and "https://outlook.live.com/" in page


def test_slot_of_another_event_is_404(client, make_event):
    make_event(slug="mende", slots=WORKSHOPS)
    other = make_event(slug="autre", slots=WORKSHOPS[:1])
    assert client.get(f"/events/mende/slots/{other.slots[0].id}").status_code == 404
    assert client.get("/events/mende/slots/999999").status_code == 404


@pytest.mark.parametrize("path", ["/events/brouillon", "/events/brouillon/programme",
                                  "/events/brouillon/slots/{slot}"])
def test_drafts_are_404_to_the_public_and_visible_to_organisers(client, auth, make_event, path):
    event = make_event(slug="brouillon", published=False, slots=WORKSHOPS[:1])
    url = path.format(slot=event.slots[0].id)
    assert client.get(url).status_code == 404
    auth.login("door")
    assert client.get(url).status_code == 404
    client.post("/logout")
    auth.login("organiser")
    response = client.get(url)
    assert response.status_code == 200
    assert "brouillon" in response.get_data(as_text=True)


def test_speaker_page_lists_slots_across_published_events(client, make_event):
    mende = make_event(slug="mende", title="Mende 2014", slots=WORKSHOPS[:1])
    draft = make_event(slug="secret", title="Secret", published=False, slots=WORKSHOPS[:1])
    speaker = services.save_speaker({"name": "Sébastien Oziol", "affiliation": "Lozère Dév",
                                     "bio": "Chargé de mission"})
    for event in (mende, draft):
        slot = event.slots[0]
        services.save_slot(event, {"kind": slot.kind, "title": slot.title,
                                   "starts_at": services.to_local(slot.starts_at, "Europe/Paris"),
                                   "ends_at": services.to_local(slot.ends_at, "Europe/Paris")},
                           slot=slot, speaker_ids=[speaker.id])
    page = client.get("/speakers/sebastien-oziol").get_data(as_text=True)
    assert "Lozère Dév" in page and "Chargé de mission" in page
    assert "Mende 2014" in page and "Secret" not in page
    assert client.get("/speakers/personne").status_code == 404


def test_series_page_links_stops_with_events(client, make_event):
    event = make_event(slug="mende", title="Étape de Mende")
    series = Series(slug="tour-2014", name="Tour de France 2014")
    series.stops = [SeriesStop(city="Strasbourg", position=0),
                    SeriesStop(city="Mende", position=1, event=event)]
    db.session.add(series)
    db.session.commit()
    page = client.get("/series/tour-2014").get_data(as_text=True)
    assert page.index("Strasbourg") < page.index("Mende")
    assert 'href="/events/mende"' in page
    assert 'href="/series/tour-2014"' in client.get("/").get_data(as_text=True)
    assert client.get("/series/inconnue").status_code == 404


def test_visitor_text_is_escaped(client, make_event):
    make_event(slug="xss", title="<script>alert(1)</script>",
               slots=[{"start": "10:00", "end": "11:00", "title": "<img src=x onerror=1>"}])
    for url in ("/events/xss", "/events/xss/programme"):
        page = client.get(url).get_data(as_text=True)
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page  # shown, as text
        assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;img src=x onerror=1&gt;" in client.get("/events/xss/programme").get_data(
        as_text=True)


@pytest.mark.parametrize("path", ["/events/a%00b", "/events/rencontres/programme?x=%00",
                                  "/speakers/a%00", "/series/a%00"])
def test_nul_characters_are_refused_with_a_message(client, make_event, path):
    """PostgreSQL cannot compare text holding NUL: refused before the database."""
    make_event()
    response = client.get(path)
    assert response.status_code == 400
    assert "caractère nul" in response.get_data(as_text=True)
