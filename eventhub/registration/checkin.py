"""Check-in at the door: one answer per scan, decided atomically, every scan recorded.

The decisive write is a conditional ``UPDATE registration SET checked_in_at = …
WHERE id = … AND status = 'confirmed' AND checked_in_at IS NULL``: whichever scan's
UPDATE changes the row is ``ok``; all others read the time it wrote and answer
``already_checked_in``. It runs in ``write_transaction`` so that SQLite serialises it
too.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError, OperationalError

from eventhub.accounts.auth import may_act_as
from eventhub.accounts.roles import Role
from eventhub.database import (
    Prepared,
    UTCDateTime,
    lock_timed_out,
    utcnow,
    write_connection,
    write_transaction,
)
from eventhub.errors import ApiError
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
    event_id: int | None = None  # the event scanned at, whose live figures may change

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


def _scan_by_nonce(event_id: int, nonce: str) -> Scan | None:
    return db.session.scalar(sa.select(Scan).where(Scan.event_id == event_id, Scan.nonce == nonce))


def _find(code: str, authentic: bool) -> Registration | None:
    if not authentic:
        return None
    return db.session.scalar(sa.select(Registration).where(Registration.code == code))


def _decide(event_id: int, registration: Registration | None, at: datetime) -> Answer:
    """The answer for one scan, writing the check-in if it is the first."""
    if registration is None:
        return Answer.of(ScanResult.INVALID)
    if registration.event_id != event_id:
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


def scan(slug: str, code: str, user_id: int | None, nonce: str | None = None,
         scanned_at: datetime | None = None) -> Answer:
    """Check in the holder of ``code`` at the event ``slug``, record the scan, and answer.

    A retry with a ``nonce`` already seen for this event answers as the first call did
    and changes nothing: the unique (event, nonce) constraint refuses its record, which
    rolls the whole attempt back. ``scanned_at`` is the scan's own time (offline sync).
    An unknown event is a 404 ``ApiError``, and nothing is recorded.
    """
    at = scanned_at or utcnow()
    code = code if isinstance(code, str) else ""
    nonce = _clipped(nonce)
    authentic = tickets.is_authentic(code)  # outside the write lock, which others wait for
    try:
        return serialised(lambda: _record(slug, code, authentic, user_id, nonce, at))
    except IntegrityError:
        previous = _scan_by_nonce(_event_id(slug), nonce) if nonce else None
        if previous is None:
            raise
        if previous.code != code[:100]:
            # A nonce answers for its own code only: another scan's answer would name
            # its attendee to whoever reused the nonce.
            return replace(Answer.of(ScanResult.INVALID), event_id=previous.event_id)
        return replace(_answer_of(previous), event_id=previous.event_id)


def _clipped(nonce: str | None) -> str | None:
    return nonce[:64] if nonce else None


_EVENT_ID = sa.select(Event.__table__.c.id).where(
    Event.__table__.c.slug == sa.bindparam("scanned_slug"))


def _event_id(slug: str) -> int:
    event_id = db.session.connection().execute(_EVENT_ID, {"scanned_slug": slug}).scalar()
    if event_id is None:
        raise ApiError(404, "not_found", _("Événement inconnu."))
    return event_id


# Built once, on the tables rather than the classes, and run as ``Prepared`` statements:
# constructing a statement, the ORM's DML bookkeeping and even Core's execution cost
# more than SQLite takes to run it. The scan is never read back in the request, so the
# unit of work would be spent on it for nothing.
_registrations = Registration.__table__
_FAST_CHECK_IN = (
    sa.update(_registrations)
    .where(_registrations.c.code == sa.bindparam("scanned_code"),
           # The event by its slug in the same statement: one query fewer per scan.
           _registrations.c.event_id == _EVENT_ID.scalar_subquery(),
           _registrations.c.status == Status.CONFIRMED,
           _registrations.c.checked_in_at.is_(None))
    .values(checked_in_at=sa.bindparam("scanned_at", type_=UTCDateTime()))
    .returning(_registrations.c.id, _registrations.c.event_id, _registrations.c.name,
               _registrations.c.organisation, _registrations.c.attendance)
)
_SCAN_USER = sa.bindparam("scan_user_id", type_=sa.Integer())
_scans = Scan.__table__
_SCAN_COLUMNS = ("event_id", "registration_id", "user_id", "code", "nonce", "result",
                 "scanned_at", "first_checked_in_at", "recorded_at")
_RECORD_SCAN = Prepared(sa.insert(_scans).inline().values(
    {name: sa.bindparam(name, type_=_scans.c[name].type) for name in _SCAN_COLUMNS}))


def _and_record(check_in: sa.Update) -> sa.Select:
    """``check_in`` that also records its scan, as a data-modifying CTE: one round trip
    fewer on PostgreSQL (SQLite has no such CTEs)."""
    hit = check_in.cte("hit")
    return sa.select(hit).add_cte(
        sa.insert(_scans).from_select(
            _SCAN_COLUMNS,
            sa.select(hit.c.event_id, hit.c.id, _SCAN_USER,
                      sa.bindparam("scanned_code", type_=sa.String()),
                      sa.bindparam("scan_nonce", type_=sa.String()),
                      sa.literal(ScanResult.OK.value),
                      sa.bindparam("scanned_at", type_=UTCDateTime()),
                      sa.bindparam("scanned_at", type_=UTCDateTime()),
                      # Column defaults are not applied inside a CTE.
                      sa.bindparam("scan_recorded_at", type_=UTCDateTime())),
        ).cte("record")
    )


# By (whether the statement checks the scanning account, whether it records the scan).
_CHECK_INS = {
    (door, records): Prepared(_and_record(statement) if records else statement)
    for door, statement in ((False, _FAST_CHECK_IN),
                            (True, _FAST_CHECK_IN.where(may_act_as(Role.DOOR, _SCAN_USER))))
    for records in (False, True)
}


def _fast_check_in(connection: sa.Connection, slug: str, code: str, user_id: int | None,
                   nonce: str | None, at: datetime, door: bool = False) -> Answer | None:
    """The common case: a valid ticket of this event, not yet used, checked in and its
    scan recorded; None if the ticket is not in that case.

    ``door``: only if the account ``user_id`` may check people in, decided by the same
    statement.
    """
    records = connection.dialect.name == "postgresql"
    row = _CHECK_INS[door, records].first(connection, {
        "scanned_code": code, "scanned_slug": slug, "scanned_at": at,
        "scan_user_id": user_id, "scan_nonce": nonce, "scan_recorded_at": utcnow()})
    if row is None:
        return None
    registration_id, event_id, name, organisation, attendance = row
    answer = Answer(ScanResult.OK, registration_id, {
        "name": name, "organisation": organisation, "attendance": attendance}, at, event_id)
    if not records:
        _record_scan(connection, answer, code, user_id, nonce, at)
    return answer


def _record_scan(connection: sa.Connection, answer: Answer, code: str, user_id: int | None,
                 nonce: str | None, at: datetime) -> None:
    _RECORD_SCAN.first(connection, {
        "event_id": answer.event_id, "registration_id": answer.registration_id,
        "user_id": user_id, "code": code[:100], "nonce": nonce, "result": answer.result,
        "scanned_at": at, "first_checked_in_at": answer.checked_in_at,
        "recorded_at": utcnow(),
    })


def _record(slug: str, code: str, authentic: bool, user_id: int | None,
            nonce: str | None, at: datetime) -> Answer:
    answer = None
    if GUARD and authentic:
        answer = _fast_check_in(db.session.connection(), slug, code, user_id, nonce, at)
    if answer is None:  # every other answer, and the reason for it
        event_id = _event_id(slug)
        answer = replace(_decide(event_id, _find(code, authentic), at), event_id=event_id)
        # Asked again: the unguarded decision of the tests commits in between.
        _record_scan(db.session.connection(), answer, code, user_id, nonce, at)
    return answer


def scan_at_door(slug: str, code: str, nonce: str | None, user_id: int) -> Answer | None:
    """``scan`` for the doors' rush: a signed-in account's check-in of a valid ticket of
    this event, not yet used, in one short transaction.

    ``user_id`` is only claimed (``claimed_user_id``): the check-in's own statement
    decides whether that account may check people in, so no query reads it first. None
    in every other case (a refusal, a retried nonce, an account without the right, a
    write lock that stayed busy), which ``scan`` then answers with its reason; nothing
    was changed.
    """
    if not (GUARD and tickets.is_authentic(code)):
        return None
    try:
        with write_connection() as connection:
            return _fast_check_in(connection, slug, code, user_id, _clipped(nonce), utcnow(),
                                  door=True)
    except IntegrityError:  # the nonce was seen: ``scan`` answers as the first time
        return None
    except OperationalError as exc:
        if lock_timed_out(exc):
            return None
        raise


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
