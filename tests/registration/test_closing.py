"""Registration closes at the event's end unless the organiser chose another date."""

from datetime import UTC, date, datetime, timedelta

import pytest

from eventhub.database import utcnow
from eventhub.errors import Refused
from eventhub.registration import services

SLOTS = [{"start": "09:00", "end": "10:00", "title": "Accueil"},
         {"start": "16:00", "end": "18:00", "title": "Table ronde"}]


def test_the_event_ends_with_its_last_slot_or_its_last_day(open_event, make_event):
    event = open_event(slots=SLOTS, day=date(2030, 10, 28))
    assert services.event_end(event) == datetime(2030, 10, 28, 17, 0, tzinfo=UTC)  # 18:00
    bare = make_event(slug="sans-programme", day=date(2030, 7, 1), end_date=date(2030, 7, 2))
    assert services.event_end(bare) == datetime(2030, 7, 2, 22, 0, tzinfo=UTC)  # midnight


def test_an_event_over_takes_no_registration_without_a_closing_date(open_event):
    yesterday = (utcnow() - timedelta(days=1)).date()
    event = open_event(slots=SLOTS, day=yesterday)
    assert services.registration_open(event) is False
    with pytest.raises(Refused) as caught:
        services.register(event, "Ana", "ana@example.org", "onsite")
    assert caught.value.code == "registration_closed"
    assert services.search(event) == []


def test_an_organiser_may_keep_registration_open_after_the_event(open_event):
    event = open_event(slots=SLOTS, day=(utcnow() - timedelta(days=1)).date())
    services.save_settings(event, 3, None, None, utcnow() + timedelta(days=2))
    assert services.registration_open(event) is True
    assert services.register(event, "Ana", "ana@example.org", "onsite").status == "confirmed"


def test_an_event_to_come_is_open_until_its_end(open_event):
    event = open_event(slots=SLOTS, day=(utcnow() + timedelta(days=3)).date())
    assert services.registration_open(event) is True


def test_saving_the_settings_of_a_past_event_warns_the_organiser(client, auth, open_event):
    event = open_event(slots=SLOTS, day=(utcnow() - timedelta(days=5)).date())
    auth.login("organiser")
    form = {"onsite_capacity": "40", "remote_capacity": "", "opens_at": "", "closes_at": ""}
    html = client.post(f"/manage/events/{event.slug}/registration", data=form,
                       follow_redirects=True).get_data(as_text=True)
    assert "Cet événement est terminé : les inscriptions restent fermées." in html
    upcoming = open_event(slug="a-venir", slots=SLOTS, day=(utcnow() + timedelta(days=5)).date())
    html = client.post(f"/manage/events/{upcoming.slug}/registration", data=form,
                       follow_redirects=True).get_data(as_text=True)
    assert "Cet événement est terminé" not in html
