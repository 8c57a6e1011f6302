"""Viewer presence: sockets seen within a time, per process or across processes in Redis."""

from __future__ import annotations

import os
import time

import pytest
import redis

from eventhub.live.presence import LocalPresence, RedisPresence
from tests.servers import redis_unreachable

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def test_local_presence_counts_sockets_once_and_forgets_unknown_ones():
    presence = LocalPresence()
    for sid in ("a", "b", "c", "a"):
        presence.enter(7, sid)
    presence.enter(8, "d")
    presence.leave(7, "b")
    presence.leave(7, "never-there")
    presence.leave(9, "nowhere")
    assert (presence.count(7), presence.count(8), presence.count(9)) == (2, 1, 0)


@pytest.fixture
def shared_redis(app):
    """The test Redis, emptied before and after; presence expires after 1 s."""
    reason = redis_unreachable(REDIS_URL)
    if reason:
        pytest.skip(reason)
    client = redis.Redis.from_url(REDIS_URL)
    client.flushdb()
    app.config["LIVE_PRESENCE_SECONDS"] = 1
    yield client
    client.flushdb()
    client.close()


def wait_until(ready, timeout: float = 5.0) -> bool:
    """Poll ``ready()`` until it holds; whether it did."""
    deadline = time.monotonic() + timeout
    while not ready() and time.monotonic() < deadline:
        time.sleep(0.05)
    return ready()


@pytest.mark.redis
def test_processes_share_counts_and_a_dead_process_stops_counting(app, shared_redis):
    changed: list[int] = []
    alive = RedisPresence(app, REDIS_URL, changed.append)
    alive.enter(4, "here-1")
    alive.enter(4, "here-2")
    # A process that was killed: its sockets were announced once, then never again.
    shared_redis.zadd(RedisPresence.PREFIX + "4", {"killed-1": time.time(),
                                                   "killed-2": time.time(),
                                                   "killed-3": time.time()})
    assert alive.count(4) == 5
    assert wait_until(lambda: alive.count(4) == 2)
    assert wait_until(lambda: changed == [4]), changed  # the beat sent the healed count
    alive.leave(4, "here-1")
    alive.leave(4, "here-2")
    assert alive.count(4) == 0
    assert wait_until(lambda: not alive.beating)


@pytest.mark.redis
def test_a_flushed_redis_gets_the_viewers_back_and_never_counts_below_zero(app, shared_redis):
    presence = RedisPresence(app, REDIS_URL, lambda event_id: None)
    for sid in ("v1", "v2", "v3"):
        presence.enter(6, sid)
    shared_redis.flushdb()
    presence.leave(6, "v3")  # a leave that Redis no longer knows of
    assert presence.count(6) == 0
    assert presence.announce()
    assert presence.count(6) == 2
    presence.leave(6, "v1")
    presence.leave(6, "v2")
    assert wait_until(lambda: not presence.beating)


def test_without_redis_the_count_is_this_process_viewers(app):
    app.config["LIVE_PRESENCE_SECONDS"] = 1
    presence = RedisPresence(app, "redis://127.0.0.1:1/0", lambda event_id: None)
    presence.enter(3, "a")
    presence.enter(3, "b")
    presence.leave(3, "a")
    assert presence.count(3) == 1
    assert presence.announce() is False
    presence.leave(3, "b")
    assert presence.count(3) == 0
    assert wait_until(lambda: not presence.beating)
