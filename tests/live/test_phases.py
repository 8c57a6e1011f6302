"""The live page says where the live stands, and offers only what makes sense then."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from eventhub.database import utcnow
from eventhub.extensions import db
from eventhub.i18n import format_date, format_time
from eventhub.live import services
from eventhub.live.services import Phase
from eventhub.programme.models import Event, Room, Slot


def _event(starts_in: timedelta) -> Event:
    """A live with a talk and, after a break of 30 minutes, a workshop; its stream set."""
    now = utcnow()
    start = now + starts_in
    event = Event(slug="direct", title="Rencontres en direct", start_date=start.date(),
                  end_date=(start + timedelta(hours=3)).date(), published=True)
    room = Room(event=event, name="Grande salle")
    db.session.add_all([
        event,
        Slot(event=event, room=room, title="Conférence d'ouverture",
             starts_at=start, ends_at=start + timedelta(hours=1)),
        Slot(event=event, room=room, title="Atelier de l'après-midi",
             starts_at=start + timedelta(minutes=90), ends_at=start + timedelta(hours=3)),
    ])
    db.session.commit()
    services.set_stream(event, "https://vimeo.com/76979871")
    return event


@pytest.mark.parametrize(("offset", "expected"), [
    (timedelta(hours=2), Phase.BEFORE),
    (timedelta(minutes=-30), Phase.DURING),
    (timedelta(minutes=-75), Phase.BREAK),
    (timedelta(minutes=-120), Phase.DURING),
    (timedelta(hours=-4), Phase.AFTER),
])
def test_the_phase_follows_the_programme(app, offset, expected):
    event = _event(offset)
    assert services.phase(services.event_slots(event)) == expected


def test_a_live_without_a_programme_makes_no_claim(app):
    assert services.phase([]) == Phase.DURING


def test_before_the_live_the_page_counts_down_and_offers_no_player(client):
    event = _event(timedelta(hours=2, minutes=5))
    html = client.get("/events/direct/live").get_data(as_text=True)
    assert "Le direct n'a pas commencé." in html
    first = db.session.scalar(sa.select(Slot).where(Slot.event_id == event.id)
                              .order_by(Slot.starts_at))
    day = format_date(first.starts_at, event.timezone, "long")
    # The day and the hour as people say them: no seconds, no UTC offset.
    assert f"Il commence le {day} à {format_time(first.starts_at, event.timezone)}," in html
    assert 'class="countdown" data-starts-at="' in html and "dans 2 heures" in html
    assert "Lancer la vidéo" not in html and "live-player.js" not in html
    assert "live-countdown.js" in html
    assert "Celui en cours" not in html
    assert "selected>" in html.split('id="slot"', 1)[1].split("Conférence d", 1)[0]


def test_during_the_live_the_player_and_the_slot_on_air_are_offered(client):
    _event(timedelta(minutes=-30))
    html = client.get("/events/direct/live").get_data(as_text=True)
    assert "En direct" in html and "Conférence d&#39;ouverture" in html
    assert "Lancer la vidéo" in html and "live-player.js" in html
    assert '<option value="">Celui en cours</option>' in html
    assert "live-countdown.js" not in html


def test_after_the_live_the_page_says_it_is_over_and_offers_no_player(client):
    _event(timedelta(hours=-4))
    html = client.get("/events/direct/live").get_data(as_text=True)
    assert "Le direct est terminé." in html
    assert "Lancer la vidéo" not in html and "live-player.js" not in html
    assert "Celui en cours" not in html
    # Nothing left to spare a slow connection, nobody left watching.
    assert "Questions seulement" not in html
    assert '<p class="viewers" id="viewers" hidden' in html
    # A question asked now is about the last slot, not the first.
    picker = html.split('id="slot"', 1)[1].split("</select>", 1)[0]
    assert "selected>" in picker.split("Atelier de l")[0].split("Conférence d")[1]


def test_during_the_live_the_viewers_and_the_questions_only_mode_are_offered(client):
    _event(timedelta(minutes=-30))
    html = client.get("/events/direct/live").get_data(as_text=True)
    assert "Questions seulement" in html
    assert '<p class="viewers" id="viewers" data-text-one' in html


def test_questions_only_mode_loads_no_player_script(client):
    _event(timedelta(minutes=-30))
    html = client.get("/events/direct/live?mode=questions").get_data(as_text=True)
    assert "live-player.js" not in html and "hls" not in html
    assert "live-questions.js" in html
