"""With the Redis of the rate limits unreachable, registration still works."""

from __future__ import annotations

import logging

import sqlalchemy as sa

from eventhub.extensions import db
from eventhub.registration.models import Registration


def test_a_registration_counts_its_limit_in_memory_while_redis_is_down(make_app, open_event,
                                                                        caplog):
    event = open_event(capacity=3)
    down = make_app(REDIS_URL="redis://127.0.0.1:1/0", RATELIMIT_ENABLED=True,
                    RATELIMIT_STORAGE_URI="memory://")
    assert down.config["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:1/0"
    client = down.test_client()
    with caplog.at_level(logging.WARNING, logger="flask-limiter"):
        answers = [client.post(f"/api/v1/events/{event.slug}/registrations",
                               json={"name": f"Personne {i}", "email": f"p{i}@example.org",
                                     "attendance": "onsite"}).status_code for i in range(4)]
    assert answers == [201, 201, 201, 201]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Registration)) == 4
    assert "falling back to in-memory storage" in caplog.text
