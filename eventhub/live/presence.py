"""How many viewers each event's live room has, across processes when Redis is configured."""

from __future__ import annotations

import threading
from collections import Counter

from flask import Flask, current_app


class LocalPresence:
    """Counts kept in this process (one server process)."""

    def __init__(self):
        self._lock = threading.Lock()
        self._counts: Counter[int] = Counter()

    def change(self, event_id: int, delta: int) -> None:
        """Add ``delta`` viewers to the event."""
        with self._lock:
            self._counts[event_id] = max(0, self._counts[event_id] + delta)

    def count(self, event_id: int) -> int:
        """The event's viewer count."""
        return self._counts[event_id]


class RedisPresence:
    """Counts in a Redis hash, shared by every process behind the message queue."""

    KEY = "eventhub:live:viewers"

    def __init__(self, url: str):
        import redis

        self._redis = redis.Redis.from_url(url)

    def change(self, event_id: int, delta: int) -> None:
        """Add ``delta`` viewers to the event."""
        self._redis.hincrby(self.KEY, str(event_id), delta)

    def count(self, event_id: int) -> int:
        """The event's viewer count."""
        return max(0, int(self._redis.hget(self.KEY, str(event_id)) or 0))


def init_app(app: Flask) -> None:
    """Choose where the counts live: Redis when several processes share a queue."""
    url = app.config.get("REDIS_URL") or app.config.get("SOCKETIO_MESSAGE_QUEUE")
    app.extensions["live_presence"] = RedisPresence(url) if url else LocalPresence()


def presence() -> LocalPresence | RedisPresence:
    """The current app's viewer counter."""
    return current_app.extensions["live_presence"]
