"""Links that put a slot into someone's calendar: Google, Outlook, webcal.

Templates call these as Jinja globals (registered by ``init_app``).
"""

from __future__ import annotations

from datetime import UTC
from urllib.parse import quote, urlencode

from flask import Flask

from eventhub.programme.ical import clean_text, slot_description, slot_location, slot_url
from eventhub.programme.models import Slot


def webcal_url(http_url: str) -> str:
    """The ``webcal://`` form of a feed URL, which makes calendar apps subscribe to it."""
    scheme, sep, rest = http_url.partition("://")
    return f"webcal://{rest}" if sep and scheme in ("http", "https") else http_url


def _details(slot: Slot) -> str:
    return f"{slot_description(slot)}\n\n{slot_url(slot)}"


def _query(params: dict[str, str]) -> str:
    # %20 rather than "+": Outlook shows a literal "+" in some fields otherwise.
    # Control characters are dropped, as in the ICS exports.
    return urlencode({key: clean_text(value) for key, value in params.items()},
                     quote_via=quote, safe="/")


def google_calendar_url(slot: Slot) -> str:
    """Google Calendar's "add event" link for ``slot`` (times in UTC, zone named)."""
    fmt = "%Y%m%dT%H%M%SZ"
    start = slot.starts_at.astimezone(UTC).strftime(fmt)
    end = slot.ends_at.astimezone(UTC).strftime(fmt)
    return "https://calendar.google.com/calendar/render?" + _query({
        "action": "TEMPLATE",
        "text": slot.title,
        "dates": f"{start}/{end}",
        "ctz": slot.event.timezone,
        "details": _details(slot),
        "location": slot_location(slot),
    })


def outlook_calendar_url(slot: Slot) -> str:
    """Outlook.com's "new event" link for ``slot`` (ISO 8601 times in UTC)."""
    fmt = "%Y-%m-%dT%H:%M:%SZ"
    return "https://outlook.live.com/calendar/0/deeplink/compose?" + _query({
        "path": "/calendar/action/compose",
        "rru": "addevent",
        "subject": slot.title,
        "startdt": slot.starts_at.astimezone(UTC).strftime(fmt),
        "enddt": slot.ends_at.astimezone(UTC).strftime(fmt),
        "body": _details(slot),
        "location": slot_location(slot),
    })


def init_app(app: Flask) -> None:
    """Make the link builders available to every template."""
    app.add_template_global(google_calendar_url, "google_calendar_url")
    app.add_template_global(outlook_calendar_url, "outlook_calendar_url")
    app.add_template_global(webcal_url, "webcal_url")
