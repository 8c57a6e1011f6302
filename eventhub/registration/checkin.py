"""Check-in at the door: one answer per scan, decided atomically, every scan recorded.

The decisive write is a conditional ``UPDATE registration SET checked_in_at = …
WHERE id = … AND status = 'confirmed' AND checked_in_at IS NULL``: whichever scan's
UPDATE changes the row is ``ok``; all others read the time it wrote and answer
``already_checked_in``. It runs in ``write_transaction`` so that SQLite serialises it
too.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from eventhub.database import utcnow, write_transaction
from eventhub.extensions import db
from eventhub.programme.models import Event
from eventhub.registration import tickets
from eventhub.registration.models import Registration, Scan, ScanResult, Status
from eventhub.registration.services import serialised

# Tests switch this off to show that their concurrency check detects the race that the
# conditional UPDATE closes. Never change it elsewhere.
GUARD = True


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
            return cls(result, checked_in_at=checked_in_at)
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


def _answer_of(scan: Scan) -> Answer:
    return Answer.of(scan.result, scan.registration, scan.first_checked_in_at)


def _scan_by_nonce(event: Event, nonce: str) -> Scan | None:
    return db.session.scalar(sa.select(Scan).where(Scan.event_id == event.id, Scan.nonce == nonce))


def _find(code: str) -> Registration | None:
    if not tickets.is_authentic(code):
        return None
    return db.session.scalar(sa.select(Registration).where(Registration.code == code))


def _decide(event: Event, registration: Registration | None, at: datetime) -> Answer:
    """The answer for one scan, writing the check-in if it is the first."""
    if registration is None:
        return Answer.of(ScanResult.INVALID)
    if registration.event_id != event.id:
        return Answer.of(ScanResult.WRONG_EVENT)
    if registration.status == Status.CANCELLED:
        return Answer.of(ScanResult.CANCELLED, registration)
    if registration.status == Status.WAITLISTED:
        return Answer.of(ScanResult.WAITLISTED, registration)
    won = _check_in(registration, at) if GUARD else _check_in_unguarded(registration, at)
    if won:
        return Answer.of(ScanResult.OK, registration, at)
    db.session.refresh(registration)
    return Answer.of(ScanResult.ALREADY_CHECKED_IN, registration, registration.checked_in_at)


def _check_in(registration: Registration, at: datetime) -> bool:
    result = db.session.execute(
        sa.update(Registration)
        .where(Registration.id == registration.id, Registration.status == Status.CONFIRMED,
               Registration.checked_in_at.is_(None))
        .values(checked_in_at=at)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def _check_in_unguarded(registration: Registration, at: datetime) -> bool:
    """The naive read-then-write, as client-side or unlocked code does it (tests only).

    The read and the write run in two transactions, so another scan can read the same
    "not yet checked in" between them.
    """
    db.session.refresh(registration)
    if registration.checked_in_at is not None:
        return False
    db.session.commit()
    time.sleep(0.02)  # the time a slow request takes between its read and its write
    db.session.execute(sa.update(Registration).where(Registration.id == registration.id)
                       .values(checked_in_at=at).execution_options(synchronize_session=False))
    return True


def scan(event: Event, code: str, user_id: int | None, nonce: str | None = None,
         scanned_at: datetime | None = None) -> Answer:
    """Check in the holder of ``code`` at ``event``, record the scan, and answer.

    A retry with a ``nonce`` already seen for this event answers as the first call did
    and changes nothing: the unique (event, nonce) constraint refuses its record, which
    rolls the whole attempt back. ``scanned_at`` is the scan's own time (offline sync).
    """
    at = scanned_at or utcnow()
    code = code if isinstance(code, str) else ""
    nonce = nonce[:64] if nonce else None
    try:
        answer = serialised(lambda: _record(event, code, user_id, nonce, at))
    except IntegrityError:
        previous = _scan_by_nonce(event, nonce) if nonce else None
        if previous is None:
            raise
        return _answer_of(previous)
    return answer


def _fast_check_in(event: Event, code: str, at: datetime) -> Answer | None:
    """The common case in one statement: a valid ticket of this event, not yet used."""
    row = db.session.execute(
        sa.update(Registration)
        .where(Registration.code == code, Registration.event_id == event.id,
               Registration.status == Status.CONFIRMED, Registration.checked_in_at.is_(None))
        .values(checked_in_at=at)
        .returning(Registration.id, Registration.name, Registration.organisation,
                   Registration.attendance)
        .execution_options(synchronize_session=False)
    ).first()
    if row is None:
        return None
    return Answer(ScanResult.OK, row.id, {"name": row.name, "organisation": row.organisation,
                                          "attendance": row.attendance}, at)


def _record(event: Event, code: str, user_id: int | None, nonce: str | None,
            at: datetime) -> Answer:
    answer = None
    if GUARD and tickets.is_authentic(code):
        answer = _fast_check_in(event, code, at)
    if answer is None:  # every other answer, and the reason for it
        answer = _decide(event, _find(code), at)
    db.session.add(Scan(
        event_id=event.id, registration_id=answer.registration_id,
        user_id=user_id, code=code[:100], nonce=nonce,
        result=answer.result, scanned_at=at,
        first_checked_in_at=answer.checked_in_at,
    ))
    return answer


def undo(registration: Registration, user_id: int | None) -> bool:
    """Cancel the check-in of ``registration`` (an organiser's correction); recorded too."""
    with write_transaction():
        result = db.session.execute(
            sa.update(Registration)
            .where(Registration.id == registration.id, Registration.checked_in_at.is_not(None))
            .values(checked_in_at=None)
            .execution_options(synchronize_session=False)
        )
        if result.rowcount:
            db.session.add(Scan(event_id=registration.event_id, registration_id=registration.id,
                                user_id=user_id, code=registration.code,
                                result=ScanResult.UNDONE))
    db.session.refresh(registration)
    return bool(result.rowcount)


def scans(event: Event, limit: int = 100) -> list[Scan]:
    """The latest scans at ``event``, newest first."""
    return db.session.scalars(
        sa.select(Scan).where(Scan.event_id == event.id)
        .order_by(Scan.recorded_at.desc(), Scan.id.desc()).limit(limit)
    ).all()


def valid_code_hashes(event: Event) -> list[str]:
    """SHA-256 of the codes of confirmed tickets, for the offline scanner."""
    codes = db.session.scalars(
        sa.select(Registration.code).where(Registration.event_id == event.id,
                                           Registration.status == Status.CONFIRMED)
    ).all()
    return sorted(tickets.code_hash(code) for code in codes)
