"""Directory fixtures: entries made through the services, and a contact-form stamp."""

from __future__ import annotations

import time

import pytest

from eventhub.directory import services


def teleworker_fields(**overrides) -> dict:
    """A valid teleworker application."""
    return {
        "name": "Camille Exemple", "status": "independant", "activity": "Traductrice",
        "skills": "traduction, anglais", "commune": "Mende", "website": "",
        "presentation": "Traductions techniques.", "email": "camille@example.org",
        **overrides,
    }


def venue_fields(**overrides) -> dict:
    """A valid venue application offering what a Télécentre needs."""
    return {
        "name": "Télécentre de Test", "address": "1 place de la Mairie", "commune": "Langogne",
        "latitude": 44.72, "longitude": 3.85, "contact_name": "Dominique Accueil",
        "email": "accueil-test@example.org", "website": "", "opening_hours": "Lun–ven 9h–17h",
        "description": "", "services": ["wifi", "private_offices", "pro_connectivity"],
        "open_to_public": True, **overrides,
    }


@pytest.fixture
def moderator(app):
    """A moderator account (not logged in)."""
    from eventhub.accounts.services import create_user

    return create_user("moderation@example.org", "correct horse battery", "moderator")


@pytest.fixture
def make_teleworker(app, moderator):
    """Create a teleworker, approved unless ``approved=False``; returns (entry, token)."""

    def factory(approved: bool = True, **overrides):
        person, token = services.apply_teleworker(teleworker_fields(**overrides), consent=True)
        if approved:
            services.approve_teleworker(person, moderator)
        return person, token

    return factory


@pytest.fixture
def make_venue(app, moderator):
    """Create a venue, approved as ``kind`` unless ``kind=None``; returns (entry, token)."""

    def factory(kind: str | None = "telecentre", **overrides):
        venue, token = services.apply_venue(venue_fields(**overrides), 1)
        if kind:
            services.approve_venue(venue, kind, moderator)
        return venue, token

    return factory


@pytest.fixture
def contact_stamp(app):
    """A signed 'form shown at' stamp from ``age`` seconds ago."""
    from eventhub.directory.forms import _serializer

    def factory(age: float = 60) -> str:
        return _serializer().dumps(time.time() - age)

    return factory
