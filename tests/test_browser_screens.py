"""Every screen at 375 px and at 1280 px, in French and English: nothing wider than the
screen, and no accessibility violation that axe-core (vendored under tests/vendor) finds.

The demo is loaded, so each page shows what it shows in real use: the seeds' events, the
live edition with its registrations and questions, and the directory.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from eventhub.extensions import db
from tests.conftest import browser_login

AXE = Path(__file__).parent / "vendor" / "axe-core-4.14.1" / "axe.min.js"
LIVE = "rencontres-teletravail-aujourdhui"
PUBLIC = [
    "/", "/events/{live}", "/events/{live}/programme", "/events/{live}/live",
    "/events/{live}/register", "/events/rencontres-teletravail-aumont-aubrac",
    "/events/explorcamp-2-teletravail-territoires/programme",
    "/series/tour-de-france-teletravail-coworking-2014", "/speakers/{speaker}",
    "/annuaire", "/annuaire/lieux", "/annuaire/lieux/{venue}", "/annuaire/membres/{member}",
    "/annuaire/inscription", "/annuaire/adhesion-lieu", "/tickets/{ticket}",
    "/tickets/{remote_ticket}", "/login",
]
ORGANISER = [
    "/manage/events", "/manage/events/{event_id}", "/manage/events/{event_id}/rooms",
    "/manage/events/{event_id}/slots", "/manage/events/{event_id}/slots/new",
    "/manage/events/{event_id}/organisations", "/manage/events/{live}/registration",
    "/manage/events/{live}/attendees", "/manage/events/{live}/dashboard",
    "/manage/events/{live}/scanner", "/manage/events/{live}/stream",
    "/manage/events/{live}/questions", "/manage/annuaire", "/manage/annuaire/journal",
]
WIDTHS = [375, 1280]


@pytest.fixture
def demo(app):
    """The full demo, and the values that fill the page addresses above."""
    from eventhub import demo as demo_package
    from eventhub.directory.models import Teleworker, Venue
    from eventhub.programme.models import Event, Speaker
    from eventhub.registration.models import Registration

    demo_package.load()
    event = db.session.scalar(sa.select(Event).where(Event.slug == LIVE))
    registrations = db.session.scalars(sa.select(Registration).where(
        Registration.event_id == event.id).order_by(Registration.id)).all()
    return {
        "live": LIVE, "event_id": event.id,
        "speaker": db.session.scalars(sa.select(Speaker.slug)).first(),
        "venue": db.session.scalars(sa.select(Venue.slug)).first(),
        "member": db.session.scalars(sa.select(Teleworker.slug).where(
            Teleworker.state == "approved")).first(),
        "ticket": next(r.token for r in registrations if r.attendance == "onsite"),
        "remote_ticket": next(r.token for r in registrations if r.attendance == "remote"),
    }


@pytest.fixture
def axe_page(browser):
    """A page whose context lets the test inject axe-core despite the app's CSP."""
    context = browser.new_context(bypass_csp=True, locale="fr-FR", timezone_id="Europe/Paris")
    yield context.new_page()
    context.close()


def _problems(page, url: str, width: int) -> list[str]:
    page.set_viewport_size({"width": width, "height": 800})
    response = page.goto(url)
    assert response is not None and response.status == 200, url
    found = []
    overflow = page.evaluate("document.documentElement.scrollWidth")
    if overflow > width:
        found.append(f"{url} at {width}px is {overflow}px wide")
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate("""async () => {
        const result = await axe.run(document, {resultTypes: ['violations']});
        return result.violations.map(
            v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).slice(0, 3).join(', '));
    }""")
    found += [f"{url} at {width}px: {violation}" for violation in violations]
    return found


@pytest.mark.parametrize("language", ["fr", "en"])
def test_public_pages_fit_every_screen_and_pass_axe(axe_page, live_server, demo, language):
    page = axe_page
    page.goto(f"{live_server}/lang/{language}")
    problems = [problem for path in PUBLIC for width in WIDTHS
                for problem in _problems(page, live_server + path.format(**demo), width)]
    assert problems == []


@pytest.mark.parametrize("language", ["fr", "en"])
def test_organiser_and_door_pages_fit_every_screen_and_pass_axe(axe_page, live_server, auth,
                                                                 demo, language):
    page = axe_page
    browser_login(page, live_server, auth.create("admin", "admin-screens@example.org"))
    page.goto(f"{live_server}/lang/{language}")
    problems = [problem for path in ORGANISER for width in WIDTHS
                for problem in _problems(page, live_server + path.format(**demo), width)]
    assert problems == []
