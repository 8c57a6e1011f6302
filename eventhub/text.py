"""Small text helpers shared by the domains: slugs, e-mail and web addresses, names."""

from __future__ import annotations

import re
import unicodedata

from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _

from eventhub.errors import Refused

SLUG_MAX_LENGTH = 100
# A scheme, then a host with at least one dot, then anything but white space.
WEB_ADDRESS = re.compile(r"https?://[^\s/]+\.\S+", re.IGNORECASE)


def slugify(text: str) -> str:
    """A URL slug: ASCII lowercase words joined by hyphens ("Gaëlle Ottan" → "gaelle-ottan");
    "item" when nothing of ``text`` is left."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:SLUG_MAX_LENGTH].rstrip("-") or "item"


def normalise_email(email: object, field: str = "email") -> str:
    """The canonical form of an e-mail address, lowercased so that one person is one
    address whatever the case typed; ``invalid_field`` on ``field`` for a bad one."""
    if not isinstance(email, str):
        raise Refused("invalid_field", _("Adresse e-mail invalide."), field=field)
    try:
        return validate_email(email.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as exc:
        raise Refused("invalid_field", _("Adresse e-mail invalide."), field=field) from exc


def web_address_problem(value: str) -> str | None:
    """Why ``value`` is not an acceptable web address, or None (an empty one is)."""
    if value and not WEB_ADDRESS.fullmatch(value):
        return _("Adresse web attendue, commençant par http:// ou https://.")
    return None


def split_affiliation(label: str) -> tuple[str, str]:
    """Split "Name (Affiliation)" into its two parts; the affiliation may be empty."""
    match = re.fullmatch(r"\s*(.+?)\s*\((.+)\)\s*", label)
    return (match.group(1), match.group(2)) if match else (label.strip(), "")
