"""The mail outbox: retries with backoff, a sender thread, and two processes at once."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import timedelta

import sqlalchemy as sa

from eventhub import outbox
from eventhub.database import utcnow
from eventhub.extensions import db
from eventhub.mail import send_mail
from tests.conftest import free_port, smtp_listening


def test_retries_start_within_ten_seconds_and_cap_at_five_minutes(app):
    assert [outbox.retry_delay(n) for n in range(1, 10)] == [
        5, 10, 20, 40, 80, 160, 300, 300, 300]
    assert outbox.retry_delay(5000) == 300


def test_a_failed_delivery_is_rescheduled_by_the_backoff(app):
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port())
    send_mail("ada@example.org", "Sujet", "Corps")
    before = utcnow()
    assert outbox.deliver() == outbox.Delivery(sent=0, failed=1)
    (row,) = outbox.waiting()
    assert row.claimed_until is None
    assert timedelta(seconds=4) < row.next_attempt_at - before < timedelta(seconds=6)
    # Not due yet: a normal pass leaves it alone.
    assert outbox.deliver() == outbox.Delivery(sent=0, failed=0)
    assert outbox.waiting()[0].attempts == 1


def test_a_claimed_mail_is_not_claimed_again_until_its_lease_ends(app):
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port())
    for n in range(3):
        send_mail(f"p{n}@example.org", f"Sujet {n}", "Corps")
    now = utcnow()
    first = [mail.recipient for mail in outbox._claim(now, True, set())]
    assert first == ["p0@example.org", "p1@example.org", "p2@example.org"]
    assert outbox._claim(now, True, set()) == []
    later = now + outbox.LEASE + timedelta(seconds=1)
    assert [mail.recipient for mail in outbox._claim(later, True, set())] == first


def test_the_sender_thread_delivers_once_smtp_comes_back(make_app):
    port = free_port()
    app = make_app(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_SENDER_THREAD=True,
                   MAIL_RETRY_DELAY=0.2, MAIL_RETRY_MAX_DELAY=0.5)
    with app.app_context():
        send_mail("ada@example.org", "Votre billet", "Bonjour")
        deadline = time.monotonic() + 5
        while not (rows := outbox.waiting()) or rows[0].attempts == 0:
            assert time.monotonic() < deadline, "the sender never tried"
            time.sleep(0.05)
            db.session.commit()
        with smtp_listening(port) as mailbox:
            (message,) = mailbox.wait_for(1)
            assert message["Subject"] == "Votre billet"
            deadline = time.monotonic() + 5
            while outbox.waiting():
                assert time.monotonic() < deadline, "the delivered mail stayed in the outbox"
                time.sleep(0.05)
                db.session.commit()
            time.sleep(0.6)  # past a retry delay: nothing is sent a second time
            assert len(mailbox.received) == 1


def test_two_processes_send_each_mail_exactly_once(app, database_url):
    port = free_port()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
    for n in range(30):
        send_mail(f"p{n}@example.org", f"Mail {n}", f"Corps {n}")
    env = {**os.environ, "FLASK_APP": "eventhub", "DATABASE_URL": database_url,
           "SECRET_KEY": "test-secret-key", "MAIL_SERVER": "127.0.0.1",
           "MAIL_PORT": str(port), "MAIL_SENDER_THREAD": "0"}
    flask = [sys.executable, "-m", "flask", "mail-outbox", "--send"]
    with smtp_listening(port) as mailbox:
        processes = [subprocess.Popen(flask, env=env, stdout=subprocess.PIPE, text=True)
                     for _ in range(2)]
        outputs = [process.communicate(timeout=60)[0] for process in processes]
        assert [process.returncode for process in processes] == [0, 0], outputs
        subjects = sorted(str(m["Subject"]) for m in mailbox.wait_for(30))
    assert subjects == sorted(f"Mail {n}" for n in range(30))
    sent = [int(out.split(" mail(s) sent")[0].rsplit("\n", 1)[-1]) for out in outputs]
    assert sum(sent) == 30
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(outbox.OutboxMail)) == 0


def test_a_pass_delivers_over_one_smtp_connection(app, smtp_server):
    for n in range(12):  # more than a claimed batch
        send_mail(f"p{n}@example.org", f"Mail {n}", "Corps")
    assert outbox.deliver() == outbox.Delivery(sent=12, failed=0)
    assert len(smtp_server.received) == 12
    assert smtp_server.sessions == 1


def test_without_a_server_nothing_waits(app, capsys):
    app.config["MAIL_SERVER"] = None
    send_mail("ada@example.org", "Sujet", "Corps")
    assert "Sujet" in capsys.readouterr().out
    assert outbox.waiting() == []
