"""CSV exports that spreadsheets open safely."""

from __future__ import annotations

import re

# What Excel, LibreOffice and Google Sheets treat as the start of a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

# French spreadsheets split a CSV on ";", others on ","; a piece of a cell after either
# becomes a cell of its own (quotes aside), so each piece is neutralised.
_PIECES = re.compile(r"([,;])")


def safe_cell(value: object) -> str:
    """A CSV cell a spreadsheet will not run as a formula, whichever separator it reads:
    every piece that would start a cell with a formula gets a leading quote."""
    text = "" if value is None else str(value)
    return "".join("'" + piece if piece.lstrip(" ").startswith(FORMULA_STARTS) else piece
                   for piece in _PIECES.split(text))
