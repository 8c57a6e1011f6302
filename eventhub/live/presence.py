"""Who watches each event's live room: presence with an expiry, not a counter.

A counter is only right while every increment meets its decrement. A process killed with
-9 never says its viewers left (the count stays too high for good), and a Redis flush or
outage forgets increments that later decrements still subtract (it goes negative).

Presence records each viewer socket instead. Without Redis, this process holds the set
of its sockets. With Redis, every process writes its sockets into one sorted set per
event, scored with the time each was last seen, and re-announces them several times per
``LIVE_PRESENCE_SECONDS``: the count is the number of sockets seen within that time. The
sockets of a killed process stop being announced and expire; those a flush erased come
back at the next beat; a count can never be negative.

Only viewers enter: the handlers leave moderators out.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import redis
from flask import Flask, current_app
from redis.exceptions import RedisError

from eventhub.extensions import socketio
from eventhub.redis_pool import blocking_pool


class LocalPresence:
    """The viewer sockets of this process, per event."""

    def __init__(self):
        self._lock = threading.Lock()
        self._sockets: dict[int, set[str]] = {}

    def enter(self, event_id: int, sid: str) -> None:
        """Socket ``sid`` watches the event."""
        with self._lock:
            self._sockets.setdefault(event_id, set()).add(sid)

    def leave(self, event_id: int, sid: str) -> None:
        """Socket ``sid`` no longer watches the event (nothing happens if it did not)."""
        with self._lock:
            sockets = self._sockets.get(event_id)
            if sockets is not None:
                sockets.discard(sid)
                if not sockets:
                    del self._sockets[event_id]

    def count(self, event_id: int) -> int:
        """The event's viewer count."""
        with self._lock:
            return len(self._sockets.get(event_id, ()))

    def _snapshot(self) -> dict[int, list[str]]:
        with self._lock:
            return {event_id: list(sockets) for event_id, sockets in self._sockets.items()}


class RedisPresence(LocalPresence):
    """Every process's viewer sockets in one Redis sorted set per event.

    ``on_change(event_id)`` is called (in an app context) when a beat finds that an
    event's count moved without a join or leave here: another process died, Redis lost
    the set. The handlers send counts on their own joins and leaves.
    """

    PREFIX = "eventhub:live:presence:"

    def __init__(self, app: Flask, url: str, on_change: Callable[[int], None]):
        super().__init__()
        self._app = app
        self._redis = redis.Redis(connection_pool=blocking_pool(url, app.config))
        self._on_change = on_change
        self._beating = False
        self._counts: dict[int, int] = {}

    @property
    def beating(self) -> bool:
        """Whether this process's beat is running (it stops once it has no viewers)."""
        return self._beating

    @property
    def _seconds(self) -> float:
        return float(self._app.config["LIVE_PRESENCE_SECONDS"])

    def enter(self, event_id: int, sid: str) -> None:
        """Socket ``sid`` watches the event, here and in Redis."""
        super().enter(event_id, sid)
        self.announce({event_id: [sid]})
        self._start_beating()

    def leave(self, event_id: int, sid: str) -> None:
        """Socket ``sid`` left, here and in Redis."""
        super().leave(event_id, sid)
        try:
            self._redis.zrem(self.PREFIX + str(event_id), sid)
        except RedisError as exc:
            # It expires by itself once this process stops announcing it.
            self._app.logger.warning("live presence: Redis unreachable on leave (%s)", exc)

    def count(self, event_id: int) -> int:
        """Sockets of every process seen within ``LIVE_PRESENCE_SECONDS``.

        While Redis is unreachable, this process's own viewers.
        """
        key = self.PREFIX + str(event_id)
        try:
            with self._redis.pipeline(transaction=False) as pipe:
                pipe.zremrangebyscore(key, "-inf", time.time() - self._seconds)
                pipe.zcard(key)
                return int(pipe.execute()[1])
        except RedisError as exc:
            self._app.logger.warning("live presence: Redis unreachable (%s); counting the "
                                     "viewers of this process only", exc)
            return super().count(event_id)

    def announce(self, sockets: dict[int, list[str]] | None = None) -> bool:
        """Mark ``sockets`` (by default all of this process's) as seen now; whether it worked."""
        sockets = self._snapshot() if sockets is None else sockets
        now = time.time()
        try:
            with self._redis.pipeline(transaction=False) as pipe:
                for event_id, sids in sockets.items():
                    key = self.PREFIX + str(event_id)
                    pipe.zadd(key, dict.fromkeys(sids, now))
                    # A set nobody announces any more (every process gone) goes away.
                    pipe.expire(key, int(2 * self._seconds) + 1)
                pipe.execute()
        except RedisError as exc:
            self._app.logger.warning("live presence: Redis unreachable (%s)", exc)
            return False
        return True

    def _start_beating(self) -> None:
        with self._lock:
            if self._beating:
                return
            self._beating = True
        socketio.start_background_task(self._beat)

    def _beat(self) -> None:
        # Runs while this process has viewers, so no task outlives them.
        while True:
            socketio.sleep(self._seconds / 3)
            sockets = self._snapshot()
            if not sockets:
                with self._lock:
                    if not self._sockets:
                        self._beating = False
                        self._counts.clear()
                        return
                continue
            self.announce(sockets)
            with self._app.app_context():
                for event_id in sockets:
                    count = self.count(event_id)
                    if self._counts.get(event_id) not in (None, count):
                        self._on_change(event_id)
                    self._counts[event_id] = count


def init_app(app: Flask, on_change: Callable[[int], None]) -> None:
    """Choose where presence lives: Redis when several processes share a queue."""
    url = app.config.get("REDIS_URL") or app.config.get("SOCKETIO_MESSAGE_QUEUE")
    app.extensions["live_presence"] = (RedisPresence(app, url, on_change) if url
                                       else LocalPresence())


def presence() -> LocalPresence | RedisPresence:
    """The current app's viewer presence."""
    return current_app.extensions["live_presence"]
