"""Issue 12, item 1: links that leave the request follow PUBLIC_URL, never the Host header."""

from __future__ import annotations

import re

import icalendar
import pytest

from eventhub.registration import services

PUBLIC = "https://events.example.org"
FORM = {"name": "Ana Martin", "email": "ana@example.org", "attendance": "onsite",
        "consent": "y"}
SLOTS = [{"start": "09:00", "end": "10:00", "title": "Ouverture", "kind": "opening"}]


@pytest.fixture
def public(app):
    app.config["PUBLIC_URL"] = PUBLIC
    return app


def _ticket_link(message) -> str:
    text = message.get_body(("plain",)).get_content()
    return re.search(r"\S+/tickets/\S+", text).group()


def test_resend_with_forged_host_mails_a_link_to_our_own_host(public, client, open_event,
                                                              smtp_server):
    event = open_event(slots=SLOTS)
    client.post("/events/rencontres/register", data=FORM)
    registration = services.find_by_email(event, "ana@example.org")
    client.post("/events/rencontres/resend", data={"email": "ana@example.org"},
                headers={"Host": "evil.example"})
    first, resent = smtp_server.wait_for(2)
    expected = f"{PUBLIC}/tickets/{registration.token}"
    assert _ticket_link(first) == expected
    assert _ticket_link(resent) == expected
    assert "evil.example" not in resent.get_body(("html",)).get_content()


def test_forwarded_host_behind_the_proxy_is_ignored(app, make_app, open_event, smtp_server):
    open_event(slots=SLOTS)
    proxied = make_app(PROXY_FIX=1, PUBLIC_URL=PUBLIC, MAIL_SERVER=app.config["MAIL_SERVER"],
                       MAIL_PORT=app.config["MAIL_PORT"])
    proxied.test_client().post("/events/rencontres/register", data=FORM,
                               headers={"X-Forwarded-Host": "evil.example",
                                        "X-Forwarded-Proto": "https"})
    assert _ticket_link(smtp_server.wait_for(1)[0]).startswith(f"{PUBLIC}/tickets/")


def test_calendar_links_and_feeds_name_our_own_host(public, client, make_event):
    make_event(slots=SLOTS)
    forged = {"Host": "evil.example"}
    page = client.get("/events/rencontres", headers=forged).get_data(as_text=True)
    assert "webcal://events.example.org/" in page
    assert "evil.example" not in page.replace("ws://evil.example", "").replace(
        "wss://evil.example", "")
    feed = icalendar.Calendar.from_ical(
        client.get("/events/rencontres/programme.ics", headers=forged).data)
    urls = [str(event["URL"]) for event in feed.walk("VEVENT")]
    assert urls and all(url.startswith(f"{PUBLIC}/") for url in urls)
    api = client.get("/api/v1/events/rencontres", headers=forged).get_json()
    assert {url.split("/")[2] for url in api["urls"].values()} == {"events.example.org"}


def test_production_refuses_a_foreign_host(make_app):
    production = make_app(TESTING=False, PUBLIC_URL=PUBLIC)
    client = production.test_client()
    assert client.get("/", headers={"Host": "evil.example"}).status_code == 400
    assert client.get("/", base_url=PUBLIC).status_code == 200


def test_proxy_fix_ignores_forwarded_host_and_trusts_for_and_proto(make_app):
    proxied = make_app(PROXY_FIX=1, TESTING=False, PUBLIC_URL=PUBLIC)
    response = proxied.test_client().get("/", base_url=PUBLIC, headers={
        "X-Forwarded-Host": "evil.example", "X-Forwarded-Proto": "https",
        "X-Forwarded-For": "203.0.113.9"})
    assert response.status_code == 200
    assert "evil.example" not in response.headers["Content-Security-Policy"]
    assert "wss://events.example.org" in response.headers["Content-Security-Policy"]


def test_start_up_refuses_a_missing_public_url(test_config):
    from eventhub.serve import serving_app

    with pytest.raises(RuntimeError, match="PUBLIC_URL"):
        serving_app({**test_config, "TESTING": False, "PUBLIC_URL": None})
