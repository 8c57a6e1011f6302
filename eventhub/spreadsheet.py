"""CSV exports that spreadsheets open safely."""

from __future__ import annotations

# What Excel, LibreOffice and Google Sheets treat as the start of a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    """A CSV cell a spreadsheet will not run as a formula (prefixed with a quote)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text
