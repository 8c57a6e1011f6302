"""Check-in at the door: one answer per scan, decided atomically, every scan recorded.

The decisive write is a conditional ``UPDATE registration SET checked_in_at = …
WHERE code = … AND event_id = … AND status = 'confirmed' AND attendance = 'onsite' AND
checked_in_at IS NULL``: whichever scan's UPDATE changes the row is ``ok``; every other
scan reads why it did not (the time the first one wrote: ``already_checked_in``; or a
cancelled, waitlisted, remote, foreign or invalid ticket). It runs in
``write_transaction`` so that SQLite serialises it too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from eventhub.database import serialised, utcnow, write_transaction
from eventhub.errors import Refused
from eventhub.extensions import db
from eventhub.programme.models import Event
from eventhub.registration import sockets, tickets
from eventhub.registration.models import Attendance, Registration, Scan, ScanResult, Status


@dataclass(frozen=True)
class Answer:
    """What the check-in API answers for one scan (plain data, usable after commit)."""

    result: str
    registration_id: int | None = None
    attendee: dict | None = None
    checked_in_at: datetime | None = None

    @classmethod
    def of(cls, result: str, registration: Registration | None = None,
           checked_in_at: datetime | None = None) -> Answer:
        """The answer about ``registration`` (read now, inside the transaction)."""
        if registration is None:
            # Without a registration there is no check-in, so no time to tell.
            return cls(result)
        return cls(result, registration.id, {"name": registration.name,
                                             "organisation": registration.organisation,
                                             "attendance": registration.attendance},
                   checked_in_at)

    def as_json(self) -> dict:
        """The JSON body of the API answer."""
        body: dict = {"result": self.result}
        if self.checked_in_at is not None:
            body["checked_in_at"] = self.checked_in_at.isoformat()
        if self.attendee is not None:
            body["attendee"] = self.attendee
        return body


def _event_id_of(slug: str | sa.BindParameter) -> sa.ScalarSelect:
    """The id of the event ``slug``, as a subquery of the statement that needs it."""
    return sa.select(Event.id).where(Event.slug == slug).scalar_subquery()


# Built once with bound parameters: SQLAlchemy then reuses the statement's cache key and
# compiled form, where a statement built per scan is rebuilt and keyed again each time.
# mutmut changes function bodies only: each condition here was mutated by hand instead,
# and tests/registration/test_checkin_rules.py kills every such change.
_DECISIVE_WRITE = (
    sa.update(Registration)
    .where(Registration.code == sa.bindparam("ticket"),
           Registration.event_id == _event_id_of(sa.bindparam("event_slug")),
           Registration.status == Status.CONFIRMED,
           Registration.attendance == Attendance.ONSITE,
           Registration.checked_in_at.is_(None))
    .values(checked_in_at=sa.bindparam("at"))
    .returning(Registration.id, Registration.event_id, Registration.name,
               Registration.organisation, Registration.attendance)
    .execution_options(synchronize_session=False)
)
_RECORD = sa.insert(Scan)


def _event_id(slug: str) -> int:
    event_id = db.session.scalar(sa.select(Event.id).where(Event.slug == slug))
    if event_id is None:
        raise Refused("not_found", _("Événement inconnu."))
    return event_id


def _check_in(slug: str, code: str, at: datetime) -> tuple[int, Answer] | None:
    """The decisive write: the confirmed on-site ticket ``code`` of the event ``slug``
    checked in, if no scan has checked it in yet; the event's id and the answer, or None
    when this scan is not the one (nothing written)."""
    if not tickets.is_authentic(code):
        return None
    row = db.session.execute(_DECISIVE_WRITE,
                             {"ticket": code, "event_slug": slug, "at": at}).first()
    if row is None:
        return None
    return row.event_id, Answer(ScanResult.OK, row.id, {
        "name": row.name, "organisation": row.organisation, "attendance": row.attendance}, at)


def _refusal(event_id: int, code: str) -> Answer:
    """Why the decisive write did not check ``code`` in, read in the same transaction."""
    registration = None
    if tickets.is_authentic(code):
        registration = db.session.scalar(sa.select(Registration).where(Registration.code == code))
    if registration is None:
        return Answer.of(ScanResult.INVALID)
    if registration.event_id != event_id:
        return Answer.of(ScanResult.WRONG_EVENT)
    if registration.status == Status.CANCELLED:
        return Answer.of(ScanResult.CANCELLED, registration)
    if registration.attendance == Attendance.REMOTE:
        # A remote place is no seat in the room: the door sends the holder away (and names
        # them, so staff can explain) whether or not it was confirmed.
        return Answer.of(ScanResult.REMOTE, registration)
    if registration.checked_in_at is not None:
        return Answer.of(ScanResult.ALREADY_CHECKED_IN, registration, registration.checked_in_at)
    # Not confirmed when the write ran (on PostgreSQL a promotion may have landed since).
    return Answer.of(ScanResult.WAITLISTED, registration)


def _as_recorded(code: str) -> str:
    """``code`` as the scan record keeps it: its column holds 100 characters."""
    return code[:100]


def _record(slug: str, code: str, user_id: int | None, nonce: str | None,
            at: datetime) -> tuple[int, Answer]:
    """Decide the scan and record it, inside the write transaction; the event's id and the
    answer. A scan that checks in needs no separate lookup of the event: the decisive
    write finds it. Any other looks it up, and an unknown event is refused here, which
    rolls back the transaction before anything is recorded."""
    decided = _check_in(slug, code, at)
    if decided is None:
        event_id = _event_id(slug)
        decided = event_id, _refusal(event_id, code)
    event_id, answer = decided
    db.session.execute(_RECORD, {
        "event_id": event_id, "registration_id": answer.registration_id, "user_id": user_id,
        "code": _as_recorded(code), "nonce": nonce, "result": answer.result, "scanned_at": at,
        "first_checked_in_at": answer.checked_in_at,
    })
    return event_id, answer


def _signed_code(slug: str, code: str) -> str:
    """``code`` itself if it is a signed ``T1.`` code, else the signed code of the ticket
    of this event whose short code it is (typed by hand: any case, spaces and dashes
    ignored), or ``code`` unchanged when there is none, which then answers ``invalid``."""
    short = tickets.normalise_short_code(code)
    if len(short) != tickets.SHORT_LENGTH:
        return code
    return db.session.scalar(sa.select(Registration.code).where(
        Registration.event_id == _event_id_of(slug), Registration.short_code == short)) or code


def scan(slug: str, code: str, user_id: int | None, nonce: str | None = None,
         scanned_at: datetime | None = None) -> Answer:
    """Check in the holder of ``code`` at the event ``slug``, record the scan, and answer.

    A retry with a ``nonce`` already seen for this event (with the same code) answers as
    the first call did and changes nothing: the unique (event, nonce) constraint refuses
    its record, which rolls the whole attempt back. ``scanned_at`` is the scan's own time
    (offline sync). ``code`` may be a ticket's short code, for this event only. An
    unknown event is refused (``not_found``) and nothing is recorded. A check-in
    updates the event's live figures.
    """
    at = scanned_at or utcnow()
    code = code if isinstance(code, str) else ""
    nonce = nonce[:64] if nonce else None
    code = _signed_code(slug, code)
    try:
        event_id, answer = serialised(lambda: _record(slug, code, user_id, nonce, at))
    except IntegrityError:
        previous = db.session.scalar(sa.select(Scan).where(
            Scan.event_id == _event_id_of(slug), Scan.nonce == nonce)) if nonce else None
        if previous is None:
            raise
        if previous.code != _as_recorded(code):
            # A nonce answers for its own code only: another scan's answer would name its
            # attendee to whoever reused the nonce.
            return Answer.of(ScanResult.INVALID)
        return Answer.of(previous.result, previous.registration, previous.first_checked_in_at)
    if answer.result == ScanResult.OK:
        sockets.publish_stats(event_id)
    return answer


def undo(registration: Registration, user_id: int | None) -> bool:
    """Cancel the check-in of ``registration`` (an organiser's correction); recorded too,
    and the event's live figures updated."""
    with write_transaction():
        result = db.session.execute(
            sa.update(Registration)
            .where(Registration.id == registration.id, Registration.checked_in_at.is_not(None))
            .values(checked_in_at=None)
        )
        if result.rowcount:
            db.session.add(Scan(event_id=registration.event_id, registration_id=registration.id,
                                user_id=user_id, code=registration.code,
                                result=ScanResult.UNDONE))
    db.session.refresh(registration)
    if result.rowcount:
        sockets.publish_stats(registration.event_id)
    return bool(result.rowcount)


def scans(event: Event, limit: int = 100) -> list[Scan]:
    """The latest scans at ``event``, newest first."""
    return db.session.scalars(
        sa.select(Scan).where(Scan.event_id == event.id)
        .order_by(Scan.recorded_at.desc(), Scan.id.desc()).limit(limit)
    ).all()


def door_names(event: Event) -> list[dict]:
    """The confirmed on-site attendees of ``event`` by name, with their printed short code,
    for the scanner's name search when the network is gone (no e-mail: the list sits on
    the door's device)."""
    registrations = db.session.scalars(
        sa.select(Registration)
        .where(Registration.event_id == event.id, Registration.status == Status.CONFIRMED,
               Registration.attendance == Attendance.ONSITE)
        # The id keeps namesakes in a stable order on PostgreSQL; SQLite, where the
        # mutants run, already returns them in the order written.
        .order_by(Registration.name, Registration.id)
    ).all()
    return [{"name": r.name, "organisation": r.organisation,
             "short_code": r.printed_short_code} for r in registrations]


def valid_code_hashes(event: Event) -> list[str]:
    """SHA-256 of the codes of the confirmed on-site tickets (those that may come in), the
    signed ones and the short ones, for the offline scanner."""
    rows = db.session.execute(
        sa.select(Registration.code, Registration.short_code)
        .where(Registration.event_id == event.id, Registration.status == Status.CONFIRMED,
               Registration.attendance == Attendance.ONSITE)
    ).all()
    return sorted(tickets.code_hash(code) for row in rows for code in row)
