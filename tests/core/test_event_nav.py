"""The organiser's one event menu: the same on every page that manages an event, and
showing each account only the pages its role opens."""

import re

import pytest


def _menu(html: str) -> list[str]:
    nav = html.split('class="event-nav', 1)[1].split("</nav>", 1)[0]
    return re.findall(r'<a href="([^"]+)"', nav)


@pytest.mark.parametrize("path", [
    "/manage/events/{id}/slots",
    "/manage/events/{slug}/registration",
    "/manage/events/{slug}/dashboard",
    "/manage/events/{slug}/scanner",
    "/manage/events/{slug}/stream",
    "/manage/events/{slug}/questions",
])
def test_an_organiser_finds_the_same_menu_on_every_event_page(client, auth, make_event,
                                                             path):
    auth.login("organiser")
    event = make_event(slug="mende")
    response = client.get(path.format(id=event.id, slug=event.slug))
    assert response.status_code == 200, path
    links = _menu(response.get_data(as_text=True))
    assert len(links) == 13
    assert links[-1] == "/events/mende"
    assert "/manage/events/mende/scanner" in links
    assert f"/manage/events/{event.id}/rooms" in links


def test_door_staff_see_only_the_door_pages(client, auth, make_event):
    auth.login("door")
    make_event(slug="mende")
    html = client.get("/manage/events/mende/scanner").get_data(as_text=True)
    assert _menu(html) == ["/manage/events/mende/dashboard",
                           "/manage/events/mende/scanner", "/events/mende"]


def test_a_moderator_sees_the_questions_only(client, auth, make_event):
    auth.login("moderator")
    make_event(slug="mende")
    html = client.get("/manage/events/mende/questions").get_data(as_text=True)
    assert _menu(html) == ["/manage/events/mende/questions", "/events/mende"]
