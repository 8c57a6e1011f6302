"""Print-ready PDFs for the door: name badges and the check-in list.

Badges go eight to an A4 sheet (two columns, four rows) with cut marks in the margins;
each carries the name, the organisation, how the person attends and the ticket's QR
code, so a badge is scanned at the door like the ticket. The check-in list is the
fallback when the network fails: confirmed on-site attendees by surname, a box to tick.
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Iterator, Sequence
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from eventhub.extensions import db
from eventhub.i18n import format_date, format_datetime
from eventhub.programme.models import Event
from eventhub.registration.models import Attendance, Registration, Status

FONT, BOLD = "Helvetica", "Helvetica-Bold"
PAGE_WIDTH, PAGE_HEIGHT = A4

BADGE_WIDTH, BADGE_HEIGHT = 90 * mm, 60 * mm
COLUMNS, ROWS = 2, 4
BADGE_PADDING = 5 * mm
QR_SIZE = 27 * mm
# Cut marks stop short of the badges, so that a slightly misaligned cut leaves no line.
MARK_GAP, MARK_LENGTH = 2 * mm, 6 * mm

LIST_MARGIN = 15 * mm
LIST_ROW = 8 * mm
BOX = 4.5 * mm


def surname_key(name: str) -> tuple[str, str]:
    """Sort key of a full name by its last word, accents and case ignored."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().casefold()
    words = plain.split()
    return (words[-1] if words else "", plain)


def attendees(event: Event, attendance: str | None = None) -> list[Registration]:
    """The confirmed registrations of ``event`` (of one ``attendance``), by surname."""
    statement = sa.select(Registration).where(Registration.event_id == event.id,
                                              Registration.status == Status.CONFIRMED)
    if attendance is not None:
        statement = statement.where(Registration.attendance == attendance)
    found = db.session.scalars(statement).all()
    return sorted(found, key=lambda registration: surname_key(registration.name))


def _fit(text: str, font: str, size: float, width: float) -> str:
    """``text`` cut (with an ellipsis) to fit ``width`` at ``size``."""
    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def _name_lines(name: str, width: float) -> tuple[list[str], float]:
    """The name on at most two lines, in the largest size from 20 pt down that fits."""
    for size in (20, 18, 16, 14, 12):
        lines = simpleSplit(name, BOLD, size, width)
        if len(lines) <= 2 and all(stringWidth(line, BOLD, size) <= width for line in lines):
            return lines, size
    return [_fit(name, BOLD, 12, width)], 12


def _qr(canvas: Canvas, code: str, x: float, y: float, size: float) -> None:
    """The QR code of ``code`` (quiet zone included) as vectors, ``size`` wide at (x, y)."""
    widget = QrCodeWidget(code, barLevel="M", barBorder=4)
    left, bottom, right, top = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (right - left), 0, 0,
                                             size / (top - bottom), 0, 0])
    drawing.add(widget)
    renderPDF.draw(drawing, canvas, x, y)


def _badge(canvas: Canvas, registration: Registration, event: Event, x: float, y: float,
           attendance_labels: dict[str, str]) -> None:
    """One badge with its lower left corner at (x, y)."""
    inner = BADGE_WIDTH - 2 * BADGE_PADDING
    top = y + BADGE_HEIGHT - BADGE_PADDING
    canvas.setFillGray(0.35)
    canvas.setFont(FONT, 8)
    canvas.drawString(x + BADGE_PADDING, top - 8, _fit(event.title, FONT, 8, inner))
    canvas.setFillGray(0)
    lines, size = _name_lines(registration.name, inner)
    baseline = top - 12 - size
    canvas.setFont(BOLD, size)
    for line in lines:
        canvas.drawString(x + BADGE_PADDING, baseline, line)
        baseline -= size * 1.15
    beside_qr = inner - QR_SIZE - 2 * mm
    if registration.organisation:
        canvas.setFont(FONT, 11)
        canvas.drawString(x + BADGE_PADDING, baseline - 4,
                          _fit(registration.organisation, FONT, 11, beside_qr))
    label = attendance_labels[registration.attendance]
    canvas.setFont(BOLD, 10)
    label_width = stringWidth(label, BOLD, 10) + 4 * mm
    canvas.roundRect(x + BADGE_PADDING, y + BADGE_PADDING, label_width, 7 * mm, 1.5 * mm)
    canvas.drawString(x + BADGE_PADDING + 2 * mm, y + BADGE_PADDING + 2.3 * mm, label)
    # Beside the label, for a badge whose QR will not scan: door staff type it instead.
    canvas.setFont(FONT, 10)
    canvas.drawString(x + BADGE_PADDING + label_width + 2 * mm, y + BADGE_PADDING + 2.3 * mm,
                      registration.printed_short_code)
    _qr(canvas, registration.code, x + BADGE_WIDTH - BADGE_PADDING - QR_SIZE + 2 * mm,
        y + BADGE_PADDING - 2 * mm, QR_SIZE)


def _cut_marks(canvas: Canvas, left: float, bottom: float) -> None:
    """Short lines in the margins, in line with every edge between or around badges."""
    right, top = left + COLUMNS * BADGE_WIDTH, bottom + ROWS * BADGE_HEIGHT
    canvas.setLineWidth(0.3)
    for column in range(COLUMNS + 1):
        x = left + column * BADGE_WIDTH
        canvas.line(x, bottom - MARK_GAP, x, bottom - MARK_GAP - MARK_LENGTH)
        canvas.line(x, top + MARK_GAP, x, top + MARK_GAP + MARK_LENGTH)
    for row in range(ROWS + 1):
        y = bottom + row * BADGE_HEIGHT
        canvas.line(left - MARK_GAP, y, left - MARK_GAP - MARK_LENGTH, y)
        canvas.line(right + MARK_GAP, y, right + MARK_GAP + MARK_LENGTH, y)


def _pages(items: Sequence, per_page: int) -> Iterator[Sequence]:
    for start in range(0, len(items), per_page):
        yield items[start:start + per_page]


def _document(title: str) -> tuple[io.BytesIO, Canvas]:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, pageCompression=1)
    canvas.setTitle(title)
    canvas.setCreator("eventhub")
    return buffer, canvas


def badges_pdf(event: Event, registrations: Sequence[Registration]) -> bytes:
    """A4 sheets of badges for ``registrations``, in their order, eight to a page."""
    labels = {str(key): str(label) for key, label in Attendance.labels().items()}
    buffer, canvas = _document(_("Badges — %(title)s", title=event.title))
    left = (PAGE_WIDTH - COLUMNS * BADGE_WIDTH) / 2
    bottom = (PAGE_HEIGHT - ROWS * BADGE_HEIGHT) / 2
    for page in _pages(registrations, COLUMNS * ROWS) if registrations else [[]]:
        _cut_marks(canvas, left, bottom)
        if not page:
            canvas.setFont(FONT, 12)
            canvas.drawString(LIST_MARGIN, PAGE_HEIGHT - LIST_MARGIN - 12,
                              _("Aucun participant confirmé."))
        for index, registration in enumerate(page):
            row, column = divmod(index, COLUMNS)
            _badge(canvas, registration, event, left + column * BADGE_WIDTH,
                   bottom + (ROWS - 1 - row) * BADGE_HEIGHT, labels)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _tick_box(canvas: Canvas, x: float, y: float, ticked: bool) -> None:
    canvas.setLineWidth(0.8)
    canvas.rect(x, y, BOX, BOX)
    if ticked:
        canvas.line(x + 0.8 * mm, y + 2.2 * mm, x + 1.9 * mm, y + 0.9 * mm)
        canvas.line(x + 1.9 * mm, y + 0.9 * mm, x + 3.8 * mm, y + 3.8 * mm)


def checkin_list_pdf(event: Event, registrations: Sequence[Registration],
                     printed_at: datetime) -> bytes:
    """The check-in list of ``registrations``: a box to tick (ticked for those already in),
    the name and the organisation, page after page with the column heads repeated."""
    title = _("Liste d'émargement — %(title)s", title=event.title)
    buffer, canvas = _document(title)
    width = PAGE_WIDTH - 2 * LIST_MARGIN
    name_x = LIST_MARGIN + BOX + 4 * mm
    organisation_x = name_x + width * 0.5
    header = PAGE_HEIGHT - LIST_MARGIN
    per_page = int((header - 30 * mm - LIST_MARGIN) // LIST_ROW)
    pages = list(_pages(registrations, per_page)) or [[]]
    for number, page in enumerate(pages, start=1):
        canvas.setFont(BOLD, 14)
        canvas.drawString(LIST_MARGIN, header - 14, _fit(title, BOLD, 14, width))
        canvas.setFont(FONT, 9)
        canvas.drawString(LIST_MARGIN, header - 28, _(
            "%(date)s · %(count)s personnes attendues sur place · imprimée le %(printed)s · "
            "page %(page)s/%(pages)s", date=format_date(event.start_date),
            count=len(registrations), printed=format_datetime(printed_at, event.timezone),
            page=number, pages=len(pages)))
        y = header - 30 * mm
        canvas.setFont(BOLD, 10)
        canvas.drawString(name_x, y + 3 * mm, _("Nom"))
        canvas.drawString(organisation_x, y + 3 * mm, _("Organisation"))
        canvas.setLineWidth(0.5)
        canvas.line(LIST_MARGIN, y + 1.5 * mm, LIST_MARGIN + width, y + 1.5 * mm)
        if not page:
            canvas.setFont(FONT, 11)
            canvas.drawString(name_x, y - LIST_ROW + 2.5 * mm,
                              _("Aucun participant confirmé sur place."))
        for registration in page:
            y -= LIST_ROW
            _tick_box(canvas, LIST_MARGIN, y + 1.5 * mm, registration.checked_in_at is not None)
            canvas.setFont(FONT, 11)
            canvas.drawString(name_x, y + 2.5 * mm, _fit(
                registration.name, FONT, 11, organisation_x - name_x - 3 * mm))
            canvas.drawString(organisation_x, y + 2.5 * mm, _fit(
                registration.organisation, FONT, 11, LIST_MARGIN + width - organisation_x))
            canvas.setLineWidth(0.2)
            canvas.line(LIST_MARGIN, y, LIST_MARGIN + width, y)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()

