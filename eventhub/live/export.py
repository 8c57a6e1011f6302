"""Questions of an event for the written restitution: CSV and Markdown, by slot."""

from __future__ import annotations

import csv
import io
import re
from itertools import groupby

import sqlalchemy as sa
from flask_babel import gettext as _

from eventhub.extensions import db
from eventhub.i18n import format_datetime
from eventhub.live.models import Question
from eventhub.programme.models import Event, Slot
from eventhub.spreadsheet import safe_cell


def _rows(event: Event) -> list[tuple[Slot | None, Question]]:
    rows = db.session.execute(
        sa.select(Slot, Question)
        .select_from(Question)
        .outerjoin(Slot, Question.slot_id == Slot.id)
        .where(Question.event_id == event.id)
        .order_by(Slot.starts_at.is_(None), Slot.starts_at, Slot.id, Question.votes.desc(),
                  Question.created_at)
    )
    return [(slot, question) for slot, question in rows]


def to_csv(event: Event) -> str:
    """Every question of the event, one line each, formula injection neutralised."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_("Créneau"), _("Début"), _("Question"), _("Nom"), _("Votes"),
                     _("Statut"), _("Épinglée"), _("Posée le")])
    for slot, question in _rows(event):
        writer.writerow([safe_cell(cell) for cell in (
            slot.title if slot else _("Hors créneau"),
            format_datetime(slot.starts_at, event.timezone) if slot else "",
            question.text, question.name, question.votes, question.status_label,
            _("oui") if question.pinned else _("non"),
            format_datetime(question.created_at, event.timezone),
        )])
    return out.getvalue()


# What makes inline markup or HTML, wherever it stands. Parentheses and "!" make a link or
# an image only after a "[", which is escaped, so they show as they are.
_MARKUP = frozenset("\\`*_[]<>#|~")
# What opens a block at the start of a list item's text: another list or a quote.
_BLOCK_START = re.compile(r"^(?:[-+>]|[0-9]+[.)])")


def _md(text: str) -> str:
    """Text as Markdown shows it literally (no markup, no HTML, one line)."""
    flat = "".join("\\" + c if c in _MARKUP else c for c in " ".join(text.split()))
    return _BLOCK_START.sub(lambda found: found[0][:-1] + "\\" + found[0][-1], flat)


def to_markdown(event: Event) -> str:
    """The questions grouped by slot, most voted first, with votes and status."""
    title = _("%(event)s — questions du public", event=_md(event.title))
    lines = [f"# {title}", ""]
    for slot, group in groupby(_rows(event), key=lambda row: row[0]):
        heading = _md(slot.title if slot else _("Hors créneau"))
        if slot:
            heading += f" ({_md(format_datetime(slot.starts_at, event.timezone))})"
        lines += [f"## {heading}", ""]
        for _slot, question in group:
            author = f" — {_md(question.name)}" if question.name else ""
            votes = _("%(n)d vote(s)", n=question.votes)
            lines.append(f"- {_md(question.text)}{author} ({votes}, {question.status_label})")
        lines.append("")
    return "\n".join(lines)
