"""Live pages over HTTP: live page without JavaScript, console, presenter, overlay, CSP."""

from __future__ import annotations

import re

import pytest

from eventhub.live import services
from eventhub.live.viewer import COOKIE
from eventhub.programme.services import find_event
from tests.live.helpers import live_event


def test_live_page_without_javascript_lists_questions_and_sets_a_viewer_cookie(client):
    event = live_event(premoderation=False)
    services.ask(event, "someone", "<script>alert(1)</script> Fibre ?", "Léa")
    response = client.get("/events/direct/live")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Fibre ?" in html
    assert "<script>alert(1)" not in html
    assert 'aria-live="polite"' in html
    assert "Table ronde en cours" in html and "Atelier suivant" in html
    assert COOKIE in response.headers["Set-Cookie"]
    assert 'method="post" action="/events/direct/live/questions"' in html


def test_plain_form_asks_and_the_asker_sees_their_pending_question(client):
    live_event()
    client.get("/events/direct/live")
    response = client.post("/events/direct/live/questions", data={"text": "Et la 4G ?"})
    assert response.status_code == 302
    page = client.get("/events/direct/live").get_data(as_text=True)
    assert "Et la 4G ?" in page and "En attente de validation" in page
    other = client.application.test_client()
    assert "Et la 4G ?" not in other.get("/events/direct/live").get_data(as_text=True)


@pytest.mark.parametrize(("text", "message"), [("   ", "La question est vide."),
                                                ("x" * 301, "300")])
def test_plain_form_refuses_bad_questions_with_400(client, text, message):
    live_event()
    client.get("/events/direct/live")
    response = client.post("/events/direct/live/questions", data={"text": text})
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert services.questions_for(find_event("direct"), moderator=True).questions \
        == []


def test_plain_form_without_cookie_is_refused(client):
    live_event()
    response = client.post("/events/direct/live/questions", data={"text": "Sans cookie ?"})
    assert response.status_code == 400
    assert "cookies" in response.get_data(as_text=True)


def test_plain_vote(client):
    event = live_event(premoderation=False)
    question = services.ask(event, "asker", "Votez ?")
    client.get("/events/direct/live")
    for _ in range(2):
        client.post(f"/events/direct/live/questions/{question.id}/vote")
    assert services.questions_for(event).questions[0].votes == 1


def test_sort_and_questions_only_mode(client):
    event = live_event(premoderation=False)
    first = services.ask(event, "a", "Première ?")
    services.ask(event, "a", "Seconde ?")
    services.vote(event, first.id, "v")
    services.set_stream(event, "https://youtu.be/dQw4w9WgXcQ")
    by_votes = client.get("/events/direct/live").get_data(as_text=True)
    assert by_votes.index("Première ?") < by_votes.index("Seconde ?")
    by_time = client.get("/events/direct/live?sort=time").get_data(as_text=True)
    assert by_time.index("Seconde ?") < by_time.index("Première ?")
    assert "player-launch" in by_votes
    assert "player-launch" not in client.get("/events/direct/live?mode=questions").get_data(
        as_text=True)


def test_player_loads_nothing_before_the_click_and_csp_allows_the_providers(client):
    event = live_event()
    services.set_stream(event, "https://www.youtube.com/watch?v=dQw4w9WgXcQ")
    response = client.get("/events/direct/live")
    html = response.get_data(as_text=True)
    assert "<iframe" not in html
    assert not re.search(r'<(img|script|link)[^>]+(src|href)="https?://', html)
    assert 'data-embed="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"' in html
    policy = response.headers["Content-Security-Policy"]
    frames = re.search(r"frame-src ([^;]+)", policy).group(1)
    assert "https://www.youtube-nocookie.com" in frames and "https://player.vimeo.com" in frames
    assert "*" not in frames


def test_peertube_and_hls_origins_are_added_for_their_page_only(client):
    event = live_event()
    room = event.rooms[0]
    services.set_stream(event, "https://tube.example.org/w/kkGMgK9ZtnKfYAgnEtQxbv")
    services.set_stream(event, "https://cdn.example.net/live/stream.m3u8", room)
    policy = client.get("/events/direct/live").headers["Content-Security-Policy"]
    assert re.search(r"frame-src [^;]*https://tube\.example\.org", policy)
    room_page = client.get(f"/events/direct/rooms/{room.id}/live")
    assert "hls.js" in room_page.get_data(as_text=True)
    room_policy = room_page.headers["Content-Security-Policy"]
    assert re.search(r"media-src [^;]*https://cdn\.example\.net", room_policy)
    assert re.search(r"connect-src [^;]*https://cdn\.example\.net", room_policy)
    assert "tube.example.org" not in room_policy


def test_unknown_event_and_room_are_404(client):
    live_event()
    assert client.get("/events/nope/live").status_code == 404
    assert client.get("/events/direct/rooms/999999/live").status_code == 404


def test_presenter_and_overlay_show_the_pinned_question_only(client):
    event = live_event()
    pinned = services.ask(event, "a", "Épinglée <i>?</i>")
    services.moderate(event, pinned.id, "pin")
    services.ask(event, "b", "En attente secrète ?")
    top = services.ask(event, "c", "Publiée ?")
    services.moderate(event, top.id, "approve")
    presenter = client.get("/events/direct/live/presenter")
    html = presenter.get_data(as_text=True)
    assert "Épinglée &lt;i&gt;?&lt;/i&gt;" in html and "Publiée ?" in html
    assert "En attente secrète" not in html
    assert presenter.headers["X-Frame-Options"] == "SAMEORIGIN"
    overlay = client.get("/events/direct/live/overlay")
    html = overlay.get_data(as_text=True)
    assert "Épinglée &lt;i&gt;?&lt;/i&gt;" in html and "Publiée ?" not in html
    assert "X-Frame-Options" not in overlay.headers
    assert "frame-ancestors *" in overlay.headers["Content-Security-Policy"]


def test_console_needs_the_moderator_role(client, auth):
    event = live_event()
    services.ask(event, "a", "À modérer <b>?</b>")
    assert client.get("/manage/events/direct/questions").status_code == 302
    auth.login("door")
    assert client.get("/manage/events/direct/questions").status_code == 403


def test_console_lists_and_moderates_without_javascript(client, auth):
    event = live_event()
    question = services.ask(event, "a", "À modérer <b>?</b>")
    auth.login("moderator")
    html = client.get("/manage/events/direct/questions").get_data(as_text=True)
    assert "À modérer &lt;b&gt;?&lt;/b&gt;" in html
    response = client.post(f"/manage/events/direct/questions/{question.id}/approve")
    assert response.status_code == 302
    assert services.questions_for(event).questions[0].status == "approved"
    client.post(f"/manage/events/direct/questions/{question.id}/explode")
    client.post("/manage/events/direct/questions/settings", data={})
    assert services.settings_for(event).premoderation is False


def test_stream_settings_form(client, auth):
    event = live_event()
    auth.login("organiser")
    assert client.get("/manage/events/direct/stream").status_code == 200
    bad = client.post("/manage/events/direct/stream", data={
        "target": 0, "stream0-url": "https://example.org/a.mp4"})
    assert bad.status_code == 400
    assert "PeerTube" in bad.get_data(as_text=True)
    assert services.stream_for(event) is None
    room = event.rooms[0]
    ok = client.post("/manage/events/direct/stream", data={
        "target": room.id, f"stream{room.id}-url": "https://vimeo.com/76979871"})
    assert ok.status_code == 302
    assert services.stream_for(event, room).provider == "vimeo"
    assert services.stream_for(event) is None


def test_stream_settings_show_each_current_stream_and_saving_as_shown_keeps_it(client, auth):
    event = live_event()
    room = event.rooms[0]
    services.set_stream(event, "https://tube.example.org/w/kkGMgK9ZtnKfYAgnEtQxbv", room)
    auth.login("organiser")
    html = client.get("/manage/events/direct/stream").get_data(as_text=True)
    assert "Diffusée sur PeerTube" in html and "peertube" not in html.replace("PeerTube", "")
    values = dict(re.findall(r'<input id="(stream\d+)-url"[^>]* value="([^"]*)"', html))
    assert values == {"stream0": "", f"stream{room.id}":
                      "https://tube.example.org/w/kkGMgK9ZtnKfYAgnEtQxbv"}
    empty = client.post("/manage/events/direct/stream", data={
        "target": room.id, f"stream{room.id}-url": ""})
    assert empty.status_code == 400
    assert "Indiquez l'adresse de la diffusion." in empty.get_data(as_text=True)
    assert services.stream_for(event, room).provider == "peertube"
    client.post("/manage/events/direct/stream/remove", data={"target": room.id})
    assert services.stream_for(event, room) is None


def test_a_stream_target_that_is_not_the_event_s_is_refused(client, auth):
    live_event()
    auth.login("organiser")
    response = client.post("/manage/events/direct/stream", data={
        "target": 999, "stream999-url": "https://vimeo.com/76979871"})
    assert response.status_code == 400


def test_stream_settings_need_the_organiser_role(client, auth):
    live_event()
    auth.login("moderator")
    assert client.get("/manage/events/direct/stream").status_code == 403


def test_event_page_links_the_live_page_once_a_stream_is_set(client):
    event = live_event()
    link = 'href="/events/direct/live"'
    assert link not in client.get("/events/direct").get_data(as_text=True)
    services.set_stream(event, "https://www.youtube.com/watch?v=dQw4w9WgXcQ")
    assert link in client.get("/events/direct").get_data(as_text=True)
