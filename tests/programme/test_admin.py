"""Organiser pages over HTTP: role checks, event, room, slot, speaker, series editing."""

from datetime import date, datetime

import pytest

from eventhub.extensions import db
from eventhub.programme import services
from eventhub.programme.models import Event, Organisation, Room, Series, Slot, Speaker

EVENT_FORM = {"slug": "rencontres-2030", "title": "Les Rencontres 2030", "theme": "tiers lieux",
              "start_date": "2030-10-28", "end_date": "2030-10-28", "timezone": "Europe/Paris",
              "series_id": "", "venue_name": "POLeN", "venue_commune": "Mende",
              "expected_participants": "110"}


@pytest.fixture
def organiser(auth):
    return auth.login("organiser")


@pytest.fixture
def event(app):
    event = services.create_event({"slug": "mende", "title": "Mende", "start_date": date(
        2030, 10, 28), "end_date": date(2030, 10, 28), "timezone": "Europe/Paris"})
    services.add_room(event, "Salle A")
    services.add_room(event, "Salle B")
    return event


def slot_form(event, **overrides):
    data = {"kind": "workshop", "title": "Tiers lieux", "starts_at": "2030-10-28T14:00",
            "ends_at": "2030-10-28T16:00", "room_id": str(event.rooms[0].id)}
    return {**data, **overrides}


@pytest.mark.parametrize("role", ["door", "moderator"])
@pytest.mark.parametrize("path", ["/manage/events", "/manage/events/new", "/manage/speakers",
                                  "/manage/series", "/manage/organisations"])
def test_other_roles_get_403(client, auth, role, path):
    auth.login(role)
    assert client.get(path).status_code == 403
    assert client.post("/manage/events/new", data=EVENT_FORM).status_code == 403
    assert db.session.query(Event).count() == 0


def test_anonymous_visitors_are_sent_to_login(client):
    response = client.get("/manage/events")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_organiser_creates_and_publishes_an_event(client, organiser):
    response = client.post("/manage/events/new", data=EVENT_FORM)
    assert response.status_code == 302
    event = db.session.query(Event).one()
    assert (event.title, event.venue_commune, event.expected_participants, event.published) == (
        "Les Rencontres 2030", "Mende", 110, False)
    assert client.get("/events/rencontres-2030").status_code == 200  # organiser sees drafts
    client.post(f"/manage/events/{event.id}", data={**EVENT_FORM, "published": "y"})
    db.session.refresh(event)
    assert event.published
    listing = client.get("/manage/events").get_data(as_text=True)
    assert "Les Rencontres 2030" in listing and "publié" in listing


@pytest.mark.parametrize(("overrides", "message"), [
    ({"slug": "Pas Bon"}, "lettres minuscules"),
    ({"end_date": "2030-10-27"}, "La fin ne peut pas précéder le début."),
    ({"timezone": "Nowhere/Land"}, "choix valide"),
])
def test_bad_event_forms_say_what_is_wrong_and_change_nothing(client, organiser, overrides,
                                                              message):
    response = client.post("/manage/events/new", data={**EVENT_FORM, **overrides})
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert db.session.query(Event).count() == 0


def test_duplicate_slug_is_refused_on_edit(client, organiser, event):
    other = services.create_event({"slug": "autre", "title": "Autre", "start_date": date(
        2030, 1, 1), "end_date": date(2030, 1, 1)})
    response = client.post(f"/manage/events/{other.id}", data={**EVENT_FORM, "slug": "mende"})
    assert response.status_code == 400
    assert "déjà utilisé" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Event, other.id).slug == "autre"


def test_rooms_are_managed(client, organiser, event):
    base = f"/manage/events/{event.id}/rooms"
    assert client.post(base, data={"name": "Amphi"}).status_code == 302
    assert client.post(base, data={"name": "Amphi"}).status_code == 400
    amphi = db.session.query(Room).filter_by(name="Amphi").one()
    client.post(f"{base}/{amphi.id}/move", data={"direction": "up"})
    client.post(f"{base}/{amphi.id}", data={f"room{amphi.id}-name": "Grand amphi"})
    db.session.expire_all()
    assert [r.name for r in db.session.get(Event, event.id).rooms] == [
        "Salle A", "Grand amphi", "Salle B"]
    client.post(f"{base}/{amphi.id}/delete", data={"confirm": "1"})
    db.session.expire_all()
    assert [r.name for r in db.session.get(Event, event.id).rooms] == ["Salle A", "Salle B"]


def test_slot_times_are_entered_in_the_event_zone(client, organiser, event):
    response = client.post(f"/manage/events/{event.id}/slots/new", data=slot_form(event))
    assert response.status_code == 302
    slot = db.session.query(Slot).one()
    assert (slot.starts_at.hour, slot.ends_at.hour) == (13, 15)  # UTC+1 in late October
    edit = client.get(f"/manage/events/{event.id}/slots/{slot.id}").get_data(as_text=True)
    assert 'value="2030-10-28T14:00"' in edit


@pytest.mark.parametrize(("overrides", "message"), [
    ({"ends_at": "2030-10-28T13:00"}, "Le créneau se termine avant de commencer."),
    ({"starts_at": "2030-10-29T14:00", "ends_at": "2030-10-29T15:00"}, "en dehors des dates"),
    ({"replay_url": "javascript:alert(1)"}, "http:// ou https://"),
    ({"starts_at": "0001-01-01T00:00", "ends_at": "0001-01-01T00:30"}, "hors des limites"),
    ({"title": "Tiers\x00lieux"}, "caractère nul"),
])
def test_bad_slot_forms_say_what_is_wrong(client, organiser, event, overrides, message):
    response = client.post(f"/manage/events/{event.id}/slots/new",
                           data=slot_form(event, **overrides))
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert db.session.query(Slot).count() == 0


def test_room_conflict_is_shown_then_confirmed(client, organiser, event):
    url = f"/manage/events/{event.id}/slots/new"
    client.post(url, data=slot_form(event, title="Entrepreneur solo"))
    response = client.post(url, data=slot_form(event, starts_at="2030-10-28T15:00",
                                               ends_at="2030-10-28T17:00"))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Entrepreneur solo" in page and "Enregistrer malgré le conflit" in page
    assert db.session.query(Slot).count() == 1
    response = client.post(url, data=slot_form(event, starts_at="2030-10-28T15:00",
                                               ends_at="2030-10-28T17:00",
                                               confirm_conflicts="y"))
    assert response.status_code == 302
    assert db.session.query(Slot).count() == 2


def test_slot_speakers_chosen_and_created_inline(client, organiser, event):
    known = services.save_speaker({"name": "Alban Tiberghien", "affiliation": "Tilios"})
    url = f"/manage/events/{event.id}/slots/new"
    assert "Alban Tiberghien (Tilios)" in client.get(url).get_data(as_text=True)
    client.post(url, data=slot_form(event, speakers=[str(known.id)],
                                    new_speaker_name="Yoann Duriaux",
                                    new_speaker_affiliation="Tilios"))
    slot = db.session.query(Slot).one()
    assert [s.name for s in slot.speakers] == ["Alban Tiberghien", "Yoann Duriaux"]
    sequence = slot.sequence
    client.post(f"/manage/events/{event.id}/slots/{slot.id}", data=slot_form(event, speakers=[]))
    db.session.expire_all()
    slot = db.session.get(Slot, slot.id)
    assert slot.speakers == [] and slot.sequence == sequence + 1


def test_slot_of_another_event_cannot_be_edited_through_this_one(client, organiser, event):
    other = services.create_event({"slug": "autre", "title": "Autre", "start_date": date(
        2030, 10, 28), "end_date": date(2030, 10, 28)})
    client.post(f"/manage/events/{other.id}/slots/new", data=slot_form(event, room_id=""))
    slot = db.session.query(Slot).one()
    assert client.get(f"/manage/events/{event.id}/slots/{slot.id}").status_code == 404
    assert client.post(f"/manage/events/{event.id}/slots/{slot.id}/delete").status_code == 404
    assert client.post(f"/manage/events/{other.id}/slots/{slot.id}/delete",
                       data={"confirm": "1"}).status_code == 302
    assert db.session.query(Slot).count() == 0


def test_speakers_organisations_and_series_pages(client, organiser, event):
    assert client.post("/manage/speakers", data={"name": "Céline Teixido",
                                                 "url": "https://agt.example"}).status_code == 302
    speaker = db.session.query(Speaker).one()
    assert speaker.slug == "celine-teixido"
    client.post(f"/manage/speakers/{speaker.id}", data={"name": "Céline Teixido",
                                                        "affiliation": "AGT"})
    db.session.refresh(speaker)
    assert speaker.affiliation == "AGT"
    assert client.post("/manage/speakers", data={"name": "X", "url": "ftp://x"}).status_code == 400

    client.post("/manage/organisations", data={"name": "Lozère Développement"})
    org = db.session.query(Organisation).one()
    client.post(f"/manage/events/{event.id}/organisations",
                data={"organisation_id": str(org.id), "role": "supporter"})
    db.session.expire_all()
    assert db.session.get(Event, event.id).organisations_with("supporter") == [org]
    page = client.get("/events/mende").get_data(as_text=True)
    assert "Partenaires" in page and "Lozère Développement" in page

    client.post("/manage/series", data={"slug": "tour-2014", "name": "Tour 2014"})
    series = db.session.query(Series).one()
    client.post(f"/manage/series/{series.id}/stops", data={"city": "Mende",
                                                          "event_id": str(event.id)})
    assert client.post(f"/manage/series/{series.id}/stops", data={"city": ""}).status_code == 400
    db.session.expire_all()
    assert [(s.city, s.event_id) for s in db.session.get(Series, series.id).stops] == [
        ("Mende", event.id)]


def test_saving_a_slot_unchanged_keeps_speaker_order_and_sequence(client, organiser, event):
    zoe = services.save_speaker({"name": "Zoé Martin"})
    abel = services.save_speaker({"name": "Abel Durand"})
    slot = services.save_slot(event, {"kind": "workshop", "title": "Tiers lieux",
                                      "starts_at": datetime(2030, 10, 28, 14),
                                      "ends_at": datetime(2030, 10, 28, 16),
                                      "room_id": event.rooms[0].id},
                              speaker_ids=[zoe.id, abel.id]).slot
    sequence = slot.sequence
    # The checkboxes come back in alphabetical order.
    client.post(f"/manage/events/{event.id}/slots/{slot.id}",
                data=slot_form(event, speakers=[str(abel.id), str(zoe.id)]))
    db.session.expire_all()
    slot = db.session.get(Slot, slot.id)
    assert [s.name for s in slot.speakers] == ["Zoé Martin", "Abel Durand"]
    assert slot.sequence == sequence


def test_event_navigation_links_the_directory_venue_page(client, organiser, event):
    for path in (f"/manage/events/{event.id}", f"/manage/events/{event.id}/slots",
                 "/manage/events/mende/venue"):
        page = client.get(path).get_data(as_text=True)
        assert 'href="/manage/events/mende/venue"' in page, path
    venue_page = client.get("/manage/events/mende/venue").get_data(as_text=True)
    assert f'href="/manage/events/{event.id}/rooms"' in venue_page
    assert 'href="/manage/events/mende/venue" aria-current="page"' in venue_page


def test_event_management_links_every_domain_page(client, auth, make_event):
    event = make_event(slug="mende")
    auth.login("organiser")
    page = client.get(f"/manage/events/{event.id}").get_data(as_text=True)
    for path in ("venue", "registration", "attendees", "dashboard", "scanner", "stream",
                 "questions"):
        assert f'href="/manage/events/mende/{path}"' in page
        assert client.get(f"/manage/events/mende/{path}").status_code == 200, path
