"""The demo directory, and the promise that no member's or venue's e-mail leaks."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import sqlalchemy as sa

from eventhub.demo import Report
from eventhub.demo import accounts as demo_accounts
from eventhub.demo import directory as demo_directory
from eventhub.directory import services
from eventhub.directory.models import EntryState, Teleworker, Venue
from eventhub.extensions import db


def load_demo() -> Report:
    report = Report()
    demo_accounts.load(report)
    demo_directory.load(report)
    return report


def test_demo_directory_is_complete_and_idempotent(app):
    load_demo()
    load_demo()
    venues = {v.commune: v for v in db.session.scalars(sa.select(Venue))}
    assert sorted(venues) == sorted(["Saint-Chély-d'Apcher", "Langogne", "Meyrueis",
                                     "Villefort", "Marvejols", "Mende"])
    assert venues["Mende"].kind == "resource_centre" and venues["Mende"].name.startswith("POLeN")
    assert {v.kind for c, v in venues.items() if c != "Mende"} == {"telecentre"}
    assert all(v.state == EntryState.APPROVED and v.latitude and v.charter_version == 1
               for v in venues.values())
    people = db.session.scalars(sa.select(Teleworker)).all()
    assert len(people) == len(demo_directory.TELEWORKERS)
    assert all(p.email.endswith("@example.org") and "fictif" in p.name for p in people)


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "action", "src", "data-url") and value:
                self.links.append(value)


def _public(path: str) -> bool:
    return path.startswith(("/annuaire", "/api/v1", "/lang/")) or path == "/"


def test_no_member_or_venue_email_in_any_public_page_or_api_answer(
        client, make_teleworker, make_venue, make_event):
    """Crawl every public page reachable from the directory (and the API) of a seeded
    directory, and look for any e-mail of its members and venues."""
    load_demo()
    make_teleworker(name="Personne Secrète", email="secret.person@example.org",
                    skills="discrétion")
    venue, _ = make_venue("comptoir", name="Comptoir Secret", email="secret.venue@example.org",
                          services=["wifi"])
    services.set_event_venue(make_event(), venue)
    make_teleworker(approved=False, name="Pending", email="pending.person@example.org")
    emails = set(db.session.scalars(sa.select(Teleworker.email))) | set(
        db.session.scalars(sa.select(Venue.email)))
    assert len(emails) >= 12

    start = ["/", "/annuaire", "/annuaire/lieux", "/annuaire/inscription",
             "/annuaire/adhesion-lieu", "/annuaire/merci", "/annuaire?q=secr",
             "/api/v1/directory/teleworkers", "/api/v1/directory/venues",
             "/api/v1/openapi.json"]
    seen: set[str] = set()
    queue = list(start)
    while queue and len(seen) < 400:
        path = queue.pop()
        if path in seen:
            continue
        seen.add(path)
        response = client.get(path)
        if path.startswith("/lang/"):
            continue
        assert response.status_code == 200, path
        body = response.get_data(as_text=True)
        leaked = [email for email in emails if email.lower() in body.lower()]
        assert leaked == [], f"{path} shows {leaked}"
        assert not re.search(r"mailto:", body), path
        if response.mimetype == "application/json":
            for url in re.findall(r'"url":\s*"([^"]+)"', body):
                if urlsplit(url).path.startswith("/annuaire"):
                    queue.append(urlsplit(url).path)
            continue
        parser = _Links()
        parser.feed(body)
        for link in parser.links:
            parts = urlsplit(urljoin("http://localhost" + path, link))
            if parts.netloc == "localhost" and _public(parts.path):
                queue.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    profiles = [p for p in seen if p.startswith("/annuaire/membres/")]
    places = [p for p in seen if p.startswith("/annuaire/lieux/")]
    assert len(profiles) == 5 and len(places) == 7  # every published entry was visited
