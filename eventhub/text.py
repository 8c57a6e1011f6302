"""Small text helpers shared by the domains."""

from __future__ import annotations

import re
import unicodedata


def slugify(text: str, max_length: int = 80) -> str:
    """A URL slug: ASCII lowercase words joined by hyphens ("Gaëlle Ottan" → "gaelle-ottan")."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:max_length].rstrip("-") or "item"


def split_affiliation(label: str) -> tuple[str, str]:
    """Split "Name (Affiliation)" into its two parts; the affiliation may be empty."""
    match = re.fullmatch(r"\s*(.+?)\s*\((.+)\)\s*", label)
    return (match.group(1), match.group(2)) if match else (label.strip(), "")
