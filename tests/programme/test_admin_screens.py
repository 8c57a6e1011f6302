"""Organiser screens that prevent mistakes: the new slot's defaults, deletions that ask
first, and room controls that fit each room's place."""

import re
from datetime import date

import pytest

from eventhub.extensions import db
from eventhub.programme import services
from eventhub.programme.models import Room, Slot


@pytest.fixture
def event(app, auth):
    auth.login("organiser")
    event = services.create_event({"slug": "mende", "title": "Mende", "start_date": date(
        2030, 10, 28), "end_date": date(2030, 10, 28), "timezone": "Europe/Paris"})
    for name in ("Amphi", "Salle A", "Salle B"):
        services.add_room(event, name)
    return event


def _selected(html: str, name: str) -> str:
    select = re.search(rf'<select[^>]*name="{name}".*?</select>', html, re.S).group(0)
    return re.search(r'<option selected value="([^"]*)"|<option value="([^"]*)" selected',
                     select).group(0)


def test_a_new_slot_starts_as_a_talk_in_the_first_room(client, event):
    html = client.get(f"/manage/events/{event.id}/slots/new").get_data(as_text=True)
    assert 'value="conference"' in _selected(html, "kind")
    assert f'value="{event.rooms[0].id}"' in _selected(html, "room_id")


def test_deleting_a_slot_asks_first(client, event):
    client.post(f"/manage/events/{event.id}/slots/new", data={
        "kind": "workshop", "title": "Tiers lieux", "starts_at": "2030-10-28T14:00",
        "ends_at": "2030-10-28T16:00", "room_id": str(event.rooms[1].id)})
    slot = db.session.query(Slot).one()
    url = f"/manage/events/{event.id}/slots/{slot.id}/delete"
    asking = client.post(url)
    assert asking.status_code == 200
    html = asking.get_data(as_text=True)
    assert "Supprimer le créneau « Tiers lieux » ?" in html
    assert 'name="confirm" value="1"' in html and f'action="{url}"' in html
    assert db.session.query(Slot).count() == 1
    assert client.post(url, data={"confirm": "1"}).status_code == 302
    assert db.session.query(Slot).count() == 0


def test_deleting_a_room_asks_first_and_says_its_slots_stay(client, event):
    client.post(f"/manage/events/{event.id}/slots/new", data={
        "kind": "workshop", "title": "Tiers lieux", "starts_at": "2030-10-28T14:00",
        "ends_at": "2030-10-28T16:00", "room_id": str(event.rooms[1].id)})
    room = event.rooms[1]
    url = f"/manage/events/{event.id}/rooms/{room.id}/delete"
    html = client.post(url).get_data(as_text=True)
    assert "Supprimer la salle « Salle A » ?" in html
    assert "Son créneau reste au programme, sans salle." in html
    assert db.session.query(Room).count() == 3
    client.post(url, data={"confirm": "1"})
    assert [r.name for r in db.session.query(Room).order_by(Room.position)] == ["Amphi", "Salle B"]
    assert db.session.query(Slot).one().room_id is None


def test_room_controls_fit_the_room_s_place(client, event):
    html = client.get(f"/manage/events/{event.id}/rooms").get_data(as_text=True)
    items = html.split('<ol class="room-list">', 1)[1].split("</ol>", 1)[0].split("<li>")[1:]
    moves = [re.findall(r"(Monter|Descendre)<span", item) for item in items]
    assert moves == [["Descendre"], ["Monter", "Descendre"], ["Monter"]]
    assert "Renommer" not in html  # the button saves the name and the capacity alike
