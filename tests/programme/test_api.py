"""The programme's JSON API and the OpenAPI document that describes /api/v1."""

from __future__ import annotations

import re
from datetime import date

import pytest

from eventhub.extensions import db
from eventhub.programme.models import Series, SlotSpeaker, Speaker
from tests.conftest import recorded_statements
from tests.programme.test_ical import make_programme

METHODS = {"get", "put", "post", "delete", "patch"}


@pytest.fixture
def event(make_event):
    """A published event of a series, with two rooms, a speaker and a rotation."""
    found = make_event(slug="aubrac", theme="Le télétravail à la campagne",
                       venue_commune="Aumont-Aubrac", slots=[
        {"start": "09:30", "end": "10:30", "title": "Ouverture", "kind": "opening",
         "room": "Grande salle"},
        {"start": "11:00", "end": "12:00", "title": "Atelier fibre", "kind": "workshop",
         "room": "Salle B", "rotation": 1, "capacity": 20},
    ])
    found.series = Series(slug="tour", name="Le tour de Lozère")
    opening = found.slots[0]
    opening.speaker_links.append(SlotSpeaker(
        speaker=Speaker(slug="gaelle-ottan", name="Gaëlle Ottan", affiliation="MDECS")))
    opening.replay_url = "https://peertube.example.org/w/abc"
    db.session.commit()
    return found


def test_events_lists_published_events_only(client, event, make_event):
    make_event(slug="brouillon", published=False)
    make_event(slug="plus-tot", day=date(2030, 5, 1))
    response = client.get("/api/v1/events")
    assert response.status_code == 200
    events = response.get_json()["events"]
    assert [e["slug"] for e in events] == ["plus-tot", "aubrac"]
    aubrac = events[1]
    assert aubrac == {
        "slug": "aubrac",
        "title": event.title,
        "theme": "Le télétravail à la campagne",
        "start_date": "2030-10-28",
        "end_date": "2030-10-28",
        "timezone": "Europe/Paris",
        "venue": {"name": "Aumont-Aubrac", "address": "", "commune": "Aumont-Aubrac"},
        "series": {"slug": "tour", "name": "Le tour de Lozère"},
        "urls": {
            "page": "http://localhost/events/aubrac",
            "programme": "http://localhost/api/v1/events/aubrac/programme",
            "ics": "http://localhost/events/aubrac/programme.ics",
        },
    }


def test_event_detail(client, event):
    response = client.get("/api/v1/events/aubrac")
    assert response.status_code == 200
    assert response.get_json()["title"] == event.title
    assert client.get(response.get_json()["urls"]["ics"]).status_code == 200


def test_programme(client, event):
    response = client.get("/api/v1/events/aubrac/programme")
    assert response.status_code == 200
    data = response.get_json()
    assert data["event"]["slug"] == "aubrac"
    assert [room["name"] for room in data["rooms"]] == ["Grande salle", "Salle B"]
    opening, workshop = data["slots"]
    assert opening == {
        "id": event.slots[0].id,
        "uid": event.slots[0].uid,
        "kind": "opening",
        "title": "Ouverture",
        "abstract": "",
        "starts_at": "2030-10-28T09:30:00+01:00",
        "ends_at": "2030-10-28T10:30:00+01:00",
        "room": {"id": event.slots[0].room_id, "name": "Grande salle"},
        "rotation": None,
        "capacity": None,
        "speakers": [{"slug": "gaelle-ottan", "name": "Gaëlle Ottan", "affiliation": "MDECS"}],
        "replay_url": "https://peertube.example.org/w/abc",
        "slides_url": "",
        "sequence": 0,
    }
    assert (workshop["rotation"], workshop["capacity"], workshop["speakers"]) == (1, 20, [])


@pytest.mark.parametrize("count", [2, 30])
def test_programme_costs_the_same_queries_whatever_its_size(client, make_event, count):
    make_programme(make_event, "grand", count)
    with recorded_statements("SELECT") as selects:
        data = client.get("/api/v1/events/grand/programme").get_json()
    assert len(data["slots"]) == count
    assert all(len(slot["speakers"]) == 1 for slot in data["slots"])
    # The event, its rooms, its slots with their room, their speakers.
    assert len(selects) == 4, selects


def test_summer_time_offset(client, make_event):
    make_event(slug="ete", day=date(2030, 7, 2),
               slots=[{"start": "14:00", "end": "15:00", "title": "En été"}])
    [slot] = client.get("/api/v1/events/ete/programme").get_json()["slots"]
    assert slot["starts_at"] == "2030-07-02T14:00:00+02:00"
    assert slot["room"] is None


@pytest.mark.parametrize("path", [
    "/api/v1/events/nowhere",
    "/api/v1/events/nowhere/programme",
    "/api/v1/events/brouillon",
    "/api/v1/events/brouillon/programme",
])
def test_unknown_or_draft_event_is_a_json_404(client, make_event, path):
    make_event(slug="brouillon", published=False)
    response = client.get(path)
    assert response.status_code == 404
    assert response.is_json
    body = response.get_json()
    assert body["error"] == "not_found"
    assert body["message"]


def _openapi_path(rule: str) -> str:
    """``/api/v1/events/<slug>/x/<int:id>`` → ``/events/{slug}/x/{id}``."""
    path = rule.removeprefix("/api/v1")
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", path)


def test_openapi_documents_every_api_route(app, client):
    document = client.get("/api/v1/openapi.json").get_json()
    served = {
        (_openapi_path(rule.rule), method.lower())
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/v1/") and rule.rule != "/api/v1/openapi.json"
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    documented = {
        (path, method) for path, operations in document["paths"].items() for method in operations
        if method in METHODS
    }
    assert ("/events/{slug}/programme", "get") in served
    assert served - documented == set()


def test_openapi_document_structure(client):
    document = client.get("/api/v1/openapi.json").get_json()
    assert document["openapi"].startswith("3.1")
    assert document["info"]["title"] and document["info"]["version"]
    schemas = document["components"]["schemas"]
    assert {"Event", "Slot", "Speaker", "Programme", "Error"} <= set(schemas)
    for path, item in document["paths"].items():
        assert path.startswith("/")
        shared = {p["name"] for p in item.get("parameters", []) if p["in"] == "path"}
        operations = {key: value for key, value in item.items() if key in METHODS}
        assert operations, path
        for method, operation in operations.items():
            declared = shared | {p["name"] for p in operation.get("parameters", [])
                                 if p["in"] == "path"}
            assert set(re.findall(r"{([^}]+)}", path)) <= declared, (path, method)
            assert operation["responses"], (path, method)
            for status in operation["responses"]:
                assert re.fullmatch(r"[1-5]\d\d|[1-5]XX|default", status), (path, status)
    # Every $ref points at a schema that exists.
    refs = re.findall(r'"\$ref": "#/components/schemas/([^"]+)"', str(document).replace("'", '"'))
    assert refs and set(refs) <= set(schemas)


def test_programme_matches_its_schema(client, event):
    schemas = client.get("/api/v1/openapi.json").get_json()["components"]["schemas"]
    data = client.get("/api/v1/events/aubrac/programme").get_json()
    for name, value in (("Programme", data), ("Event", data["event"]),
                        ("Slot", data["slots"][0]), ("Room", data["rooms"][0]),
                        ("Speaker", data["slots"][0]["speakers"][0])):
        schema = schemas[name]
        assert set(schema["required"]) <= set(value), name
        assert set(value) <= set(schema["properties"]), name
