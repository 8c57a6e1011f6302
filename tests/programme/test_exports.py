"""Public exports over HTTP: shared with every origin without cookies, reached by
``Accept`` from the programme page; the plain-text timetable and the widget's data."""

from __future__ import annotations

from datetime import date

import pytest

from eventhub.extensions import db
from eventhub.programme.models import SlotSpeaker, Speaker
from tests.programme.schedule_checks import valid_json, valid_xml

EXPORTS = ("programme.ics", "schedule.xml", "schedule.json", "widget.json", "programme.txt")


@pytest.fixture
def event(make_event):
    """A morning with a plenary, two rooms side by side, then lunch without a room."""
    event = make_event(slug="aubrac", slots=[
        {"start": "09:00", "end": "09:45", "title": "Ouverture", "room": "Grande salle",
         "kind": "opening"},
        {"start": "10:00", "end": "11:00", "title": "Fibre & réseaux", "room": "Grande salle"},
        {"start": "10:00", "end": "10:40", "title": "Solos", "room": "Petite salle",
         "kind": "workshop"},
        {"start": "12:00", "end": "13:30", "title": "Déjeuner", "kind": "break"},
    ])
    db.session.add(SlotSpeaker(slot=event.slots[1], speaker=Speaker(
        slug="ana", name="Ana Martin", affiliation="MDECS")))
    db.session.commit()
    return event


@pytest.mark.parametrize("export", EXPORTS)
def test_exports_are_shared_with_every_origin_without_cookies(client, event, export):
    # A permanent session is written back on every answer: pages carry its cookie...
    with client.session_transaction() as session:
        session.permanent = True
        session["lang"] = "en"
    page = client.get("/events/aubrac", headers={"Origin": "https://solozere.example"})
    assert "Set-Cookie" in page.headers
    assert "Access-Control-Allow-Origin" not in page.headers

    # ...shared exports do not, and do not vary with it.
    response = client.get(f"/events/aubrac/{export}",
                          headers={"Origin": "https://solozere.example"})
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "Set-Cookie" not in response.headers
    assert "cookie" not in {value.lower() for value in response.vary}
    # The reader's language does not change a shared export either.
    client.get("/lang/en")
    assert response.get_data() == client.get(f"/events/aubrac/{export}").get_data()


def test_the_speaker_feed_is_shared_too(client, event):
    response = client.get("/speakers/ana/talks.ics")
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "Set-Cookie" not in response.headers


@pytest.mark.parametrize(("accept", "target"), [
    ("application/json", "/events/aubrac/schedule.json"),
    ("application/xml", "/events/aubrac/schedule.xml"),
    ("text/xml", "/events/aubrac/schedule.xml"),
    ("text/plain", "/events/aubrac/programme.txt"),
    ("application/json, text/javascript, */*; q=0.01", "/events/aubrac/schedule.json"),
])
def test_accept_on_the_programme_page_redirects_to_the_export(client, event, accept, target):
    response = client.get("/events/aubrac/programme", headers={"Accept": accept})
    assert response.status_code == 303
    assert response.headers["Location"] == target
    assert "accept" in {value.lower() for value in response.vary}
    # Other sites' fetches follow the redirect only if they may read it.
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    followed = client.get(target)
    if target.endswith(".json"):
        valid_json(followed.get_json())
    elif target.endswith(".xml"):
        valid_xml(followed.get_data())
    else:
        assert "Fibre & réseaux" in followed.get_data(as_text=True)


@pytest.mark.parametrize("accept", [
    "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",  # a browser
    "*/*",  # curl
    None,
])
def test_browsers_and_curl_keep_the_html_page(client, event, accept):
    headers = {"Accept": accept} if accept else {}
    response = client.get("/events/aubrac/programme", headers=headers)
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    assert "accept" in {value.lower() for value in response.vary}
    assert "Access-Control-Allow-Origin" not in response.headers


def test_negotiation_does_not_reveal_unknown_events(client, event):
    response = client.get("/events/inconnu/programme", headers={"Accept": "application/json"})
    assert response.status_code == 404


def test_plain_text_timetable_groups_rooms_per_time_in_paris_time(client, event):
    response = client.get("/events/aubrac/programme.txt")
    assert response.headers["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.get_data().decode("utf-8").splitlines()
    assert lines[:3] == ["Les Rencontres du télétravail", "Aumont-Aubrac",
                         "Horaires de Europe/Paris."]
    assert "lundi 28 octobre 2030" in lines
    # 10:00 in Paris (09:00 UTC): both rooms under one time, their names in one column.
    row = lines.index("10:00–11:00")
    assert lines[row + 1] == "  Grande salle  Fibre & réseaux"
    assert lines[row + 2] == "                Conférence · Ana Martin (MDECS)"
    assert lines[row + 3] == "  Petite salle  Solos  (10:00–10:40)"
    assert lines[row + 4] == "                Atelier"
    assert lines[lines.index("09:00–09:45") + 1] == "  Grande salle  Ouverture"
    assert lines[lines.index("12:00–13:30") + 1] == "  Déjeuner"


def test_widget_data_lists_rows_of_parallel_slots(client, event):
    response = client.get("/events/aubrac/widget.json")
    data = response.get_json()
    assert data["title"] == "Les Rencontres du télétravail"
    assert data["url"] == "http://localhost/events/aubrac/programme"
    (day,) = data["days"]
    assert (day["date"], day["label"]) == ("2030-10-28", "lundi 28 octobre 2030")
    assert [(row["start"], row["end"], [slot["title"] for slot in row["slots"]])
            for row in day["rows"]] == [
        ("09:00", "09:45", ["Ouverture"]),
        ("10:00", "11:00", ["Fibre & réseaux", "Solos"]),
        ("12:00", "13:30", ["Déjeuner"]),
    ]
    fibre, solos = day["rows"][1]["slots"]
    assert (fibre["room"], fibre["kind"], fibre["speakers"]) == (
        "Grande salle", "Conférence", ["Ana Martin (MDECS)"])
    assert (solos["start"], solos["end"], solos["room"]) == ("10:00", "10:40", "Petite salle")
    assert fibre["url"] == f"http://localhost/events/aubrac/slots/{event.slots[1].id}"


@pytest.mark.parametrize("export", EXPORTS)
def test_drafts_have_no_public_export(client, make_event, export):
    make_event(slug="brouillon", published=False, day=date(2030, 11, 2))
    response = client.get(f"/events/brouillon/{export}")
    assert response.status_code == 404
    assert "Access-Control-Allow-Origin" not in response.headers


def test_plain_text_keeps_terminal_escapes_out(client, event):
    event.slots[0].title = "Ouverture\x1b[2J\x1b]0;pwned\x07\nofficielle"
    db.session.commit()
    text = client.get("/events/aubrac/programme.txt").get_data().decode("utf-8")
    assert "\x1b" not in text and "\x07" not in text
    assert "  Grande salle  Ouverture[2J]0;pwned officielle" in text.splitlines()
