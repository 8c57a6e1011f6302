"""Demo registrations: the live-demo edition takes registrations, with a few people in."""

from __future__ import annotations

from flask import current_app

from eventhub.demo.programme import LIVE_DEMO_SLUG
from eventhub.programme.services import find_event
from eventhub.registration import checkin, services

PEOPLE = (
    ("Camille Rouvière", "camille.rouviere@example.org", "Télécentre de Marvejols", "onsite"),
    ("Julien Teissèdre", "julien.teissedre@example.org", "", "onsite"),
    ("Aurélie Bonnal", "aurelie.bonnal@example.org", "Lozère Développement", "onsite"),
    ("Mathieu Pagès", "mathieu.pages@example.org", "MDECS", "onsite"),
    ("Sophie Chabert", "sophie.chabert@example.org", "", "remote"),
    ("Nicolas Vidal", "nicolas.vidal@example.org", "Comptoir de Langogne", "remote"),
)
CHECKED_IN = 2


def load(report) -> None:
    """Open registrations (120 on site, remote unlimited) and register a few people once."""
    event = find_event(LIVE_DEMO_SLUG, include_drafts=True)
    if event is None:
        report.say(f"Registration demo skipped: no event {LIVE_DEMO_SLUG}.")
        return
    if services.settings_for(event) is None:
        services.save_settings(event, 120, None, None, None)
    added = 0
    for position, (name, email, organisation, attendance) in enumerate(PEOPLE):
        registration = services.find_by_email(event, email)
        if registration is None:
            registration = services.register(event, name, email, attendance, organisation)
            if position < CHECKED_IN:
                checkin.scan(event.slug, registration.code, None)
            added += 1
    first = services.find_by_email(event, PEOPLE[0][1])
    report.say(f"Registrations open for {LIVE_DEMO_SLUG}: 120 on site, remote unlimited; "
               f"{added} demo registrations added.")
    report.say(f"Demo ticket: {current_app.config['PUBLIC_URL']}/tickets/{first.token}")
