"""Issue 12, item 6: with the rate limiter's Redis unreachable, login and registration
answer as usual, limited per process, and a warning is logged."""

from __future__ import annotations

import logging

import pytest

from eventhub.extensions import limiter
from tests.conftest import PASSWORD

DEAD_REDIS = "redis://127.0.0.1:1/0"  # nothing listens on port 1
FORM = {"name": "Ana Martin", "email": "ana@example.org", "attendance": "onsite",
        "consent": "y"}


@pytest.fixture
def outage_app(make_app, monkeypatch):
    # Flask-Limiter's one limiter remembers a dead storage across apps, and warns only
    # when it first finds it dead: an earlier test's outage would silence this one's.
    monkeypatch.setattr(limiter, "_storage_dead", False)
    app = make_app(RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI=DEAD_REDIS)
    with app.app_context():
        yield app


def test_login_survives_a_redis_outage_and_still_limits(outage_app, caplog):
    client = outage_app.test_client()
    from tests.conftest import AuthActions

    user = AuthActions(client).create("organiser")
    with caplog.at_level(logging.WARNING):
        wrong = [client.post("/login", data={"email": user.email, "password": "nope"})
                 for _ in range(10)]
    assert {response.status_code for response in wrong} == {400}
    assert client.post("/login", data={"email": user.email,
                                       "password": PASSWORD}).status_code == 429
    assert any(record.levelno >= logging.WARNING for record in caplog.records)


def test_registration_survives_a_redis_outage(outage_app, open_event):
    open_event()
    response = outage_app.test_client().post("/events/rencontres/register", data=FORM)
    assert response.status_code == 302 and "/tickets/" in response.headers["Location"]
