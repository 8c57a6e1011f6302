"""The door's decisions called directly (no HTTP): what each answer carries, what each
scan records, the order in which a refusal is explained, and what the door's lists hold.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from eventhub.errors import Refused
from eventhub.extensions import db
from eventhub.registration import checkin, services, sockets
from eventhub.registration.models import Scan, ScanResult

# A scan's own time (offline sync), far from "now" so that it cannot be mistaken for it.
DOOR_TIME = datetime(2030, 10, 28, 8, 12, tzinfo=UTC)


@pytest.fixture
def published(monkeypatch):
    """The events whose live figures were sent, in order."""
    sent: list[int] = []
    monkeypatch.setattr(sockets, "publish_stats", sent.append)
    return sent


@pytest.fixture
def event(open_event):
    """An event of 2 places on site and 1 remote place."""
    return open_event(capacity=2, remote_capacity=1)


@pytest.fixture
def door_user(auth):
    return auth.create("door")


def _only_scan() -> Scan:
    return db.session.scalars(sa.select(Scan)).one()


def test_an_ok_answer_names_the_attendee_and_records_everything(event, door_user,
                                                                  published):
    ana = services.register(event, "Ana Martin", "ana@example.org", "onsite", "MDECS")
    published.clear()

    answer = checkin.scan(event.slug, ana.code, door_user.id, nonce="n-7",
                          scanned_at=DOOR_TIME)

    assert answer == checkin.Answer(
        "ok", ana.id, {"name": "Ana Martin", "organisation": "MDECS", "attendance": "onsite"},
        DOOR_TIME)
    assert answer.as_json() == {
        "result": "ok", "checked_in_at": "2030-10-28T08:12:00+00:00",
        "attendee": {"name": "Ana Martin", "organisation": "MDECS", "attendance": "onsite"}}
    scan = _only_scan()
    assert (scan.event_id, scan.registration_id, scan.user_id, scan.code, scan.nonce,
            scan.result, scan.scanned_at, scan.first_checked_in_at) == (
        event.id, ana.id, door_user.id, ana.code, "n-7", "ok", DOOR_TIME, DOOR_TIME)
    db.session.refresh(ana)
    assert ana.checked_in_at == DOOR_TIME
    assert published == [event.id]  # the dashboards count one more arrival


def test_a_scan_without_its_own_time_is_dated_now(event):
    ana = services.register(event, "Ana", "ana@example.org", "onsite")
    before = datetime.now(UTC)
    answer = checkin.scan(event.slug, ana.code, None)
    after = datetime.now(UTC)
    assert before <= answer.checked_in_at <= after
    assert _only_scan().scanned_at == answer.checked_in_at


def test_already_checked_in_carries_the_first_time_and_the_attendee(event, published):
    ana = services.register(event, "Ana Martin", "ana@example.org", "onsite", "MDECS")
    checkin.scan(event.slug, ana.code, None, scanned_at=DOOR_TIME)
    published.clear()

    later = DOOR_TIME + timedelta(minutes=3)
    answer = checkin.scan(event.slug, ana.code, None, scanned_at=later)

    assert answer == checkin.Answer(
        "already_checked_in", ana.id,
        {"name": "Ana Martin", "organisation": "MDECS", "attendance": "onsite"}, DOOR_TIME)
    second = db.session.scalars(sa.select(Scan).order_by(Scan.id.desc())).first()
    assert (second.result, second.registration_id, second.scanned_at,
            second.first_checked_in_at) == ("already_checked_in", ana.id, later, DOOR_TIME)
    assert published == []  # nothing changed: no figures to send


def test_each_refusal_names_its_ticket_and_sends_no_figures(event, open_event, published):
    services.register(event, "Ana", "ana@example.org", "onsite")
    services.register(event, "Bob", "bob@example.org", "onsite")
    waiting = services.register(event, "Cléo", "cleo@example.org", "onsite")
    cancelled = services.register(event, "Dan", "dan@example.org", "remote")
    services.cancel(cancelled)
    remote = services.register(event, "Eve", "eve@example.org", "remote")
    foreign = services.register(open_event(slug="autre"), "Fay", "fay@example.org", "onsite")
    published.clear()

    answers = {ticket.name: checkin.scan(event.slug, ticket.code, None)
               for ticket in (waiting, cancelled, remote, foreign)}

    assert {name: (a.result, a.registration_id) for name, a in answers.items()} == {
        "Cléo": ("waitlisted", waiting.id), "Dan": ("cancelled", cancelled.id),
        "Eve": ("remote", remote.id), "Fay": ("wrong_event", None)}
    # Another event's attendee is never named at this door.
    assert answers["Fay"].attendee is None
    assert answers["Cléo"].attendee == {"name": "Cléo", "organisation": "",
                                        "attendance": "onsite"}
    recorded = db.session.execute(
        sa.select(Scan.result, Scan.registration_id).order_by(Scan.id)).all()
    assert [tuple(row) for row in recorded] == [
        ("waitlisted", waiting.id), ("cancelled", cancelled.id), ("remote", remote.id),
        ("wrong_event", None)]
    assert published == []


def test_a_remote_ticket_once_checked_in_still_reads_remote(event):
    # Before remote tickets were refused, the door let some in: such a ticket is still
    # no seat in the room, and its old arrival is not reported as this scan's answer.
    eve = services.register(event, "Eve", "eve@example.org", "remote")
    eve.checked_in_at = DOOR_TIME
    db.session.commit()
    answer = checkin.scan(event.slug, eve.code, None)
    assert (answer.result, answer.checked_in_at) == ("remote", None)


def test_a_cancelled_ticket_once_checked_in_reads_cancelled(event):
    ana = services.register(event, "Ana", "ana@example.org", "onsite")
    checkin.scan(event.slug, ana.code, None, scanned_at=DOOR_TIME)
    services.cancel(ana)
    answer = checkin.scan(event.slug, ana.code, None)
    assert (answer.result, answer.registration_id, answer.checked_in_at) == (
        "cancelled", ana.id, None)


def test_a_cancelled_ticket_of_another_event_reads_wrong_event(event, open_event):
    other = open_event(slug="autre")
    fay = services.register(other, "Fay", "fay@example.org", "onsite")
    services.cancel(fay)
    assert checkin.scan(event.slug, fay.code, None) == checkin.Answer("wrong_event")


def test_a_code_that_is_no_text_is_recorded_empty_and_invalid(event, door_user):
    assert checkin.scan(event.slug, None, door_user.id) == checkin.Answer("invalid")
    scan = _only_scan()
    assert (scan.code, scan.result, scan.registration_id, scan.nonce) == (
        "", "invalid", None, None)


def test_a_long_code_is_recorded_cut_to_100_characters_and_its_retry_matches(event):
    code = "".join(str(n % 10) for n in range(150))
    first = checkin.scan(event.slug, code, None, nonce="long")
    again = checkin.scan(event.slug, code, None, nonce="long")
    assert first == again == checkin.Answer("invalid")
    scan = _only_scan()
    assert scan.code == code[:100]


def test_a_nonce_counts_by_its_first_64_characters(event):
    ana = services.register(event, "Ana", "ana@example.org", "onsite")
    bob = services.register(event, "Bob", "bob@example.org", "onsite")
    nonce = "n" * 64
    first = checkin.scan(event.slug, ana.code, None, nonce=nonce + "-first",
                         scanned_at=DOOR_TIME)
    # The same 64 first characters: the same scan sent again, whatever follows them.
    retried = checkin.scan(event.slug, ana.code, None, nonce=nonce + "-again")
    assert retried == first
    assert _only_scan().nonce == nonce
    # A retry answers for its own code only: Bob's ticket is neither checked in nor named.
    assert checkin.scan(event.slug, bob.code, None, nonce=nonce) == checkin.Answer("invalid")
    db.session.refresh(bob)
    assert bob.checked_in_at is None


def test_a_retried_refusal_answers_as_the_first_time(event):
    eve = services.register(event, "Eve", "eve@example.org", "remote")
    first = checkin.scan(event.slug, eve.code, None, nonce="n-1")
    assert checkin.scan(event.slug, eve.code, None, nonce="n-1") == first
    assert first.result == "remote"


def test_a_nonce_belongs_to_its_event(event, open_event):
    # One device used at two events' doors, its counter restarted: the same nonce at the
    # second door is a scan of its own, and its retry answers what that door answered.
    other = open_event(slug="autre")
    ana = services.register(event, "Ana", "ana@example.org", "onsite")
    assert checkin.scan(event.slug, ana.code, None, nonce="n-1").result == "ok"
    assert checkin.scan(other.slug, ana.code, None, nonce="n-1").result == "wrong_event"
    assert checkin.scan(other.slug, ana.code, None, nonce="n-1") == checkin.Answer(
        "wrong_event")


def test_a_record_that_cannot_be_written_without_a_nonce_is_an_error(event):
    ana = services.register(event, "Ana", "ana@example.org", "onsite")
    checkin.scan(event.slug, ana.code, None)
    # An account that does not exist: the record breaks a constraint, and no earlier
    # scan's answer stands in for this one.
    with pytest.raises(IntegrityError):
        checkin.scan(event.slug, ana.code, 10**6)
    db.session.rollback()
    assert db.session.scalars(sa.select(Scan.result)).all() == ["ok"]


def test_an_unknown_event_is_refused_by_name(event):
    with pytest.raises(Refused) as caught:
        checkin.scan("nulle-part", "T1.x.y", None)
    assert (caught.value.code, caught.value.message) == ("not_found", "Événement inconnu.")
    assert db.session.scalars(sa.select(Scan)).all() == []


def test_a_typed_code_of_the_wrong_length_is_invalid(event):
    ana = services.register(event, "Ana", "ana@example.org", "onsite")
    # One character short, then one too many: neither is taken for Ana's short code.
    for typed in (ana.short_code[:7], ana.short_code + "2"):
        assert checkin.scan(event.slug, typed, None) == checkin.Answer("invalid")
    db.session.refresh(ana)
    assert ana.checked_in_at is None


def test_undo_cancels_the_arrival_and_records_who_undid_it(event, door_user, auth, published):
    organiser = auth.create("organiser")
    ana = services.register(event, "Ana", "ana@example.org", "onsite")
    bob = services.register(event, "Bob", "bob@example.org", "onsite")
    for ticket in (ana, bob):
        checkin.scan(event.slug, ticket.code, door_user.id, scanned_at=DOOR_TIME)
    published.clear()

    assert checkin.undo(ana, organiser.id) is True

    assert ana.checked_in_at is None  # the caller's object reads the new state
    db.session.refresh(bob)
    assert bob.checked_in_at == DOOR_TIME  # only the one corrected
    undone = db.session.scalars(sa.select(Scan).where(Scan.result == "undone")).one()
    assert (undone.event_id, undone.registration_id, undone.user_id, undone.code) == (
        event.id, ana.id, organiser.id, ana.code)
    assert published == [event.id]


def test_undo_of_someone_not_checked_in_changes_nothing(event, auth, published):
    organiser = auth.create("organiser")
    ana = services.register(event, "Ana", "ana@example.org", "onsite")
    published.clear()
    assert checkin.undo(ana, organiser.id) is False
    assert db.session.scalars(sa.select(Scan)).all() == []
    assert published == []


def test_scans_lists_the_latest_hundred_newest_first(event):
    # 103 scans: recorded one second apart, except the last two, recorded together
    # (then the later row comes first).
    start = DOOR_TIME
    times = [start + timedelta(seconds=n) for n in range(102)] + [start + timedelta(
        seconds=101)]
    db.session.add_all(Scan(event_id=event.id, code=f"c{n}", result=ScanResult.INVALID,
                            recorded_at=at) for n, at in enumerate(times))
    # Written last, recorded first (as rows copied back from a backup): its time counts,
    # not its place in the table.
    db.session.add(Scan(event_id=event.id, code="restored", result=ScanResult.INVALID,
                        recorded_at=start - timedelta(minutes=1)))
    db.session.commit()

    latest = checkin.scans(event)

    assert len(latest) == 100
    assert [s.code for s in latest[:3]] == ["c102", "c101", "c100"]
    assert latest[-1].code == "c3"
    assert [s.code for s in checkin.scans(event, limit=2)] == ["c102", "c101"]


def test_door_names_sorted_by_name_then_registration(event, open_event):
    services.save_settings(event, 5, 1, None, None)
    first = services.register(event, "Zoé", "zoe1@example.org", "onsite", "MDECS")
    services.register(event, "Ana", "ana@example.org", "onsite")
    second = services.register(event, "Zoé", "zoe2@example.org", "onsite")
    services.register(event, "Bob", "bob@example.org", "remote")
    services.register(open_event(slug="autre"), "Cléo", "cleo@example.org", "onsite")

    names = checkin.door_names(event)

    assert [(n["name"], n["organisation"]) for n in names] == [
        ("Ana", ""), ("Zoé", "MDECS"), ("Zoé", "")]
    assert [n["short_code"] for n in names[1:]] == [first.printed_short_code,
                                                     second.printed_short_code]


def test_the_offline_hashes_are_those_of_confirmed_on_site_tickets_of_this_event(
        event, open_event):
    ana = services.register(event, "Ana", "ana@example.org", "onsite")
    bob = services.register(event, "Bob", "bob@example.org", "onsite")
    services.register(event, "Cléo", "cleo@example.org", "onsite")  # waits
    services.cancel(services.register(event, "Dan", "dan@example.org", "remote"))
    services.register(event, "Eve", "eve@example.org", "remote")
    services.register(open_event(slug="autre"), "Fay", "fay@example.org", "onsite")

    hashes = checkin.valid_code_hashes(event)

    from eventhub.registration import tickets

    expected = [tickets.code_hash(c) for c in (ana.code, ana.short_code, bob.code,
                                               bob.short_code)]
    assert hashes == sorted(expected)
