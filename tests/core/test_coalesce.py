"""The coalescer: changes gathered per interval, each sent in its own app's context."""

from flask import current_app

from eventhub.coalesce import Coalescer


def test_each_change_goes_out_once_in_the_app_that_reported_it(make_app):
    first, second = make_app(TEST_TICK=0.2), make_app(TEST_TICK=0.2)
    first.name, second.name = "first", "second"
    sent = []
    coalescer = Coalescer("TEST_TICK", lambda keys: sent.append((current_app.name, keys)))
    with first.app_context():
        coalescer.changed(3)
        coalescer.changed(2)
    # Reported while the first app's sending is already waiting: it must not be counted
    # in the first app's records (a test's live server after the previous test's).
    with second.app_context():
        coalescer.changed(2)
    assert coalescer.wait_idle()
    assert sorted(sent) == [("first", {2, 3}), ("second", {2})]


def test_an_interval_of_zero_sends_at_once(make_app):
    app = make_app(TEST_TICK=0)
    sent = []
    coalescer = Coalescer("TEST_TICK", sent.append)
    with app.app_context():
        coalescer.changed(4)
        assert sent == [{4}]
