"""The mail outbox: a request only writes its mails here; a sender delivers them.

SMTP being slow or down never fails nor slows a request: each mail waits in the
``mail_outbox`` table until the server takes it, retried with a growing delay (the
first retry within seconds, then at most every ``MAIL_RETRY_MAX_DELAY``). Any number
of processes may deliver at once: a sender first claims rows (``FOR UPDATE SKIP
LOCKED`` on PostgreSQL, the write lock on SQLite) for a lease, so no mail goes twice;
a sender that dies mid-lease leaves its rows to the others once the lease expires.
A delivered mail's row is deleted: a relayed contact message is not kept.
"""

from __future__ import annotations

import os
import smtplib
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser

import sqlalchemy as sa
from flask import Flask, current_app
from sqlalchemy.orm import Mapped, mapped_column

from eventhub.database import UTCDateTime, utcnow, write_transaction
from eventhub.extensions import db
from eventhub.smtp import Transmitter

# How many mails a sender claims at once, and for how long: longer than delivering
# them all takes even when each waits for the SMTP timeout.
BATCH = 10
LEASE = timedelta(minutes=5)


class OutboxMail(db.Model):
    """A mail waiting to be delivered (deleted once delivered)."""

    __tablename__ = "mail_outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(sa.String(254))
    subject: Mapped[str] = mapped_column(sa.String(300))
    message: Mapped[bytes] = mapped_column(sa.LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str] = mapped_column(sa.String(500), default="")


def retry_delay(attempts: int) -> float:
    """Seconds to wait after ``attempts`` failed deliveries: doubling from
    ``MAIL_RETRY_DELAY``, capped at ``MAIL_RETRY_MAX_DELAY``."""
    config = current_app.config
    first, cap = config["MAIL_RETRY_DELAY"], config["MAIL_RETRY_MAX_DELAY"]
    return min(first * 2 ** min(attempts - 1, 32), cap)


def enqueue(message: EmailMessage) -> OutboxMail:
    """Store ``message`` for delivery and commit (with whatever the session holds), then
    wake this process's sender. It is written with its own policy (``mail.POLICY``, which
    folds subjects soundly), as the wire wants it."""
    now = utcnow()
    wire = message.as_bytes(policy=message.policy.clone(linesep="\r\n"))
    row = OutboxMail(recipient=str(message["To"])[:254], subject=str(message["Subject"])[:300],
                     message=wire, created_at=now, attempts=0, next_attempt_at=now,
                     last_error="")
    db.session.add(row)
    db.session.commit()
    if current_app.config["MAIL_SENDER_THREAD"]:
        start_sender(current_app._get_current_object()).wake()
    return row


def waiting() -> list[OutboxMail]:
    """Every mail not yet delivered, oldest first."""
    return list(db.session.scalars(sa.select(OutboxMail).order_by(OutboxMail.id)))


@dataclass(frozen=True)
class _Claimed:
    id: int
    recipient: str
    message: bytes
    attempts: int


def _claim(now: datetime, due_only: bool, skip: set[int]) -> list[_Claimed]:
    """Claim up to ``BATCH`` unclaimed mails (due ones unless ``due_only`` is False), not
    those in ``skip``; what delivering them needs is read in the same transaction."""
    with write_transaction():
        query = (sa.select(OutboxMail.id, OutboxMail.recipient, OutboxMail.message,
                           OutboxMail.attempts)
                 .where(sa.or_(OutboxMail.claimed_until.is_(None),
                               OutboxMail.claimed_until < now),
                        OutboxMail.id.not_in(skip))
                 .order_by(OutboxMail.next_attempt_at, OutboxMail.id)
                 .limit(BATCH)
                 .with_for_update(skip_locked=True))
        if due_only:
            query = query.where(OutboxMail.next_attempt_at <= now)
        claimed = [_Claimed(*row) for row in db.session.execute(query)]
        if claimed:
            db.session.execute(sa.update(OutboxMail)
                               .where(OutboxMail.id.in_([mail.id for mail in claimed]))
                               .values(claimed_until=now + LEASE))
    return claimed


@dataclass
class Delivery:
    """What one pass of the sender did."""

    sent: int = 0
    failed: int = 0


def deliver(due_only: bool = True) -> Delivery:
    """Deliver the waiting mails (only those due unless ``due_only`` is False), batch by
    batch, until none is left to claim; failures are rescheduled."""
    done = Delivery()
    failed_ids: set[int] = set()
    with Transmitter() as transmitter:  # one SMTP connection for the whole pass
        _deliver_claimed(transmitter, due_only, failed_ids, done)
    return done


def _deliver_claimed(transmitter, due_only: bool, failed_ids: set[int],
                     done: Delivery) -> None:
    while claimed := _claim(utcnow(), due_only, failed_ids):
        for mail in claimed:
            try:
                transmitter.send(BytesParser(policy=policy.default).parsebytes(mail.message))
            except (OSError, smtplib.SMTPException) as exc:
                _reschedule(mail, f"{type(exc).__name__}: {exc}"[:500])
                failed_ids.add(mail.id)
                done.failed += 1
            else:
                with write_transaction():
                    db.session.execute(sa.delete(OutboxMail).where(OutboxMail.id == mail.id))
                done.sent += 1


def _reschedule(mail: _Claimed, error: str) -> None:
    attempts = mail.attempts + 1
    current_app.logger.warning("mail %s to %s not delivered (attempt %s): %s",
                               mail.id, mail.recipient, attempts, error)
    with write_transaction():
        db.session.execute(sa.update(OutboxMail).where(OutboxMail.id == mail.id).values(
            attempts=attempts, last_error=error, claimed_until=None,
            next_attempt_at=utcnow() + timedelta(seconds=retry_delay(attempts))))


def next_due() -> datetime | None:
    """When the earliest waiting mail is due, if any mail waits."""
    return db.session.scalar(sa.select(sa.func.min(OutboxMail.next_attempt_at)))


class Sender:
    """A background thread (a greenlet under gevent) of one process delivering the
    outbox: woken by this process's new mails, it also looks for due mails at least every
    ``MAIL_SENDER_POLL`` seconds, for those other processes queued or left to retry."""

    def __init__(self, app: Flask):
        self.app = app
        self.pid = os.getpid()
        self._wake = threading.Event()
        self._stopped = False
        self._thread = threading.Thread(target=self._run, name="mail-sender", daemon=True)

    def start(self) -> None:
        """Start delivering."""
        self._thread.start()

    def wake(self) -> None:
        """Deliver now."""
        self._wake.set()

    def stop(self, timeout: float = 10) -> None:
        """Stop after the current delivery."""
        self._stopped = True
        self._wake.set()
        self._thread.join(timeout)

    def _run(self) -> None:
        poll = self.app.config["MAIL_SENDER_POLL"]
        while not self._stopped:
            self._wake.clear()
            wait = poll
            try:
                with self.app.app_context():
                    deliver()
                    due = next_due()
                    db.session.remove()
                if due is not None:
                    wait = min(poll, max((due - utcnow()).total_seconds(), 0.05))
            except Exception:
                # The database may be restarting: try again at the next poll.
                self.app.logger.exception("mail sender pass failed")
            self._wake.wait(wait)


_starting = threading.Lock()


def start_sender(app: Flask) -> Sender:
    """This process's sender for ``app``, started if it is not running (after a fork, the
    parent's thread is not in the child: a new one starts)."""
    with _starting:
        sender = app.extensions.get("mail_sender")
        if sender is None or sender.pid != os.getpid():
            sender = app.extensions["mail_sender"] = Sender(app)
            sender.start()
    return sender


def stop_sender(app: Flask) -> None:
    """Stop ``app``'s sender in this process, if one runs."""
    sender = app.extensions.pop("mail_sender", None)
    if sender is not None and sender.pid == os.getpid():
        sender.stop()
