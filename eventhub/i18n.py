"""Languages (French first, English second) and dates in an event's timezone."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from babel import dates as babel_dates
from flask import (
    Blueprint,
    Flask,
    current_app,
    has_request_context,
    redirect,
    request,
    session,
)
from flask_babel import get_locale

from eventhub.urls import safe_redirect_target

bp = Blueprint("i18n", __name__)


def select_locale() -> str:
    """The reader's language: the one chosen in the header, else French.

    The browser's preference is not followed: the events are French, and a reader who
    has not chosen sees them in the language they are held in, English one click away.
    """
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # commands and background tasks speak French
        return languages[0]
    chosen = session.get("lang")
    return chosen if chosen in languages else languages[0]


@bp.get("/lang/<code>")
def switch_language(code: str):
    """Remember the chosen language in the session and go back where the reader was."""
    if code in current_app.config["LANGUAGES"]:
        session["lang"] = code
    return redirect(safe_redirect_target(request.args.get("next")))


def _zone(tz: str | None) -> ZoneInfo:
    return ZoneInfo(tz or current_app.config["BABEL_DEFAULT_TIMEZONE"])


def format_datetime(value: datetime | None, tz: str | None = None, fmt: str = "medium") -> str:
    """A UTC datetime shown in ``tz`` (default Europe/Paris) in the reader's language."""
    if value is None:
        return ""
    return babel_dates.format_datetime(value, fmt, tzinfo=_zone(tz), locale=get_locale())


def format_time(value: datetime | None, tz: str | None = None, fmt: str = "short") -> str:
    """The time of day of a UTC datetime in ``tz``."""
    if value is None:
        return ""
    return babel_dates.format_time(value, fmt, tzinfo=_zone(tz), locale=get_locale())


def format_date(value: date | datetime | None, tz: str | None = None, fmt: str = "full") -> str:
    """A date (or the local date of a UTC datetime in ``tz``)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.astimezone(_zone(tz)).date()
    return babel_dates.format_date(value, fmt, locale=get_locale())


def init_app(app: Flask) -> None:
    """Register the language switch and the date filters."""
    app.register_blueprint(bp)
    app.add_template_filter(format_datetime, "datetime")
    app.add_template_filter(format_time, "time")
    app.add_template_filter(format_date, "date")
    app.add_template_global(get_locale, "get_locale")


def translation_directories(app: Flask) -> list[str]:
    """The catalog folders: the core one and one per domain, relative to the package."""
    from pathlib import Path

    root = Path(app.root_path)
    found = [p for p in [root / "translations", *sorted(root.glob("*/translations"))] if p.is_dir()]
    return [str(p) for p in found]


def compile_catalogs(app: Flask) -> int:
    """Compile every ``.po`` under the catalog folders whose ``.mo`` is missing or older.

    Returns how many were written. The ``.mo`` files are build output, not tracked.
    """
    from pathlib import Path

    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    written = 0
    for folder in translation_directories(app):
        for po_path in Path(folder).glob("*/LC_MESSAGES/*.po"):
            mo_path = po_path.with_suffix(".mo")
            if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
                continue
            with po_path.open("rb") as po_file:
                catalog = read_po(po_file, locale=po_path.parts[-3])
            with mo_path.open("wb") as mo_file:
                write_mo(mo_file, catalog)
            written += 1
    return written
