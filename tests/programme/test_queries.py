"""The timetable page costs a fixed number of SQL statements, however many slots it shows."""



from eventhub.extensions import db
from eventhub.programme import services
from eventhub.programme.models import SlotSpeaker
from tests.conftest import recorded_statements


def _programme(make_event, slug: str, count: int):
    """An event with ``count`` slots over three rooms, each slot with two speakers."""
    slots = [{"start": f"{8 + i // 3:02d}:{(i % 3) * 15:02d}",
              "end": f"{8 + i // 3:02d}:{(i % 3) * 15 + 10:02d}",
              "title": f"Créneau {i}", "room": f"Salle {i % 3}"} for i in range(count)]
    event = make_event(slug=slug, slots=slots)
    speakers = [services.save_speaker({"name": f"Intervenant {slug} {i}"}) for i in range(4)]
    for i, slot in enumerate(event.slots):
        slot.speaker_links.clear()
        slot.speaker_links.extend(SlotSpeaker(speaker=speakers[(i + k) % 4], position=k)
                                  for k in range(2))
    db.session.commit()
    db.session.expire_all()
    return event


def _statements_for(client, url: str) -> int:
    with recorded_statements() as statements:
        response = client.get(url)
    assert response.status_code == 200
    return len(statements)


def test_timetable_query_count_does_not_grow_with_slots(client, make_event):
    _programme(make_event, "petit", 3)
    _programme(make_event, "grand", 30)
    small = _statements_for(client, "/events/petit/programme")
    large = _statements_for(client, "/events/grand/programme")
    page = client.get("/events/grand/programme").get_data(as_text=True)
    assert page.count('class="slot ') == 30 and "Intervenant grand 3" in page
    assert large == small, (small, large)
    assert small <= 8


def _organisations(event, count: int) -> None:
    for i in range(count):
        organisation = services.save_organisation({"name": f"Organisation {event.slug} {i}"})
        services.add_event_organisation(event, organisation.id, "organiser")


def _series_with_stops(make_event, slug: str, count: int):
    series = services.save_series({"slug": slug, "name": f"Série {slug}"})
    for i in range(count):
        event = make_event(slug=f"{slug}-etape-{i}", title=f"Étape {slug} {i}")
        services.add_stop(series, f"Ville {i}", event.id)
    return series


def test_organiser_lists_cost_the_same_however_long(client, auth, make_event):
    """The organisations of an event and the stops of a series are loaded eagerly."""
    auth.login("organiser")
    small_event, large_event = make_event(slug="peu"), make_event(slug="beaucoup")
    _organisations(small_event, 1)
    _organisations(large_event, 6)
    small_series = _series_with_stops(make_event, "courte", 1)
    large_series = _series_with_stops(make_event, "longue", 5)
    db.session.expire_all()
    pairs = [(f"/manage/events/{small_event.id}/organisations",
              f"/manage/events/{large_event.id}/organisations"),
             (f"/manage/series/{small_series.id}", f"/manage/series/{large_series.id}")]
    for small_url, large_url in pairs:
        assert _statements_for(client, large_url) == _statements_for(client, small_url), large_url
    page = client.get(f"/manage/series/{large_series.id}").get_data(as_text=True)
    assert "Ville 4 — Étape longue 4" in page


def test_speaker_page_cost_does_not_grow_with_slots(client, make_event):
    _programme(make_event, "petit", 3)
    _programme(make_event, "grand", 30)
    speakers = {s.name: s for s in services.list_speakers()}
    few, many = speakers["Intervenant petit 0"], speakers["Intervenant grand 0"]
    db.session.expire_all()
    assert (_statements_for(client, f"/speakers/{many.slug}")
            == _statements_for(client, f"/speakers/{few.slug}"))
