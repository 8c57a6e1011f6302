"""The Socket.IO message queue on Redis, made to come back quickly after an outage.

python-socketio's ``RedisManager`` is kept for the protocol, with three changes:

- its connections come from a blocking pool (:mod:`eventhub.redis_pool`), so a burst
  waits for a connection instead of failing on redis-py's cap of 100;
- its subscriber retries every ``RETRY_SECONDS`` while Redis is unreachable, where the
  library doubles its wait up to a minute: deliveries between processes stayed lost
  for about 40 s after Redis had returned;
- once subscribed again, it sends this process's clients a ``resync`` event: what was
  emitted during the outage never reached them, and a client answers by asking for
  what changed since the version it holds.
"""

from __future__ import annotations

import time
from collections.abc import Mapping

import redis
import socketio

from eventhub.redis_pool import blocking_pool

# Flask-SocketIO's channel, so that its write-only emitters still reach the servers.
CHANNEL = "flask-socketio"
RESYNC_EVENT = "resync"


class MessageQueue(socketio.RedisManager):
    """A Redis message queue with a blocking pool, a steady retry and a resync."""

    RETRY_SECONDS = 1.0

    def __init__(self, url: str, config: Mapping):
        super().__init__(url, channel=CHANNEL)
        self._pool = blocking_pool(url, config)

    def _redis_connect(self) -> None:
        # One pool for the life of the process: it replaces its dead connections itself.
        self.redis = redis.Redis(connection_pool=self._pool)
        self.pubsub = self.redis.pubsub(ignore_subscribe_messages=True)
        self.connected = True

    def _redis_listen_with_retries(self):
        interrupted = False
        while True:
            # Publishing reconnects too (and replaces ``self.pubsub``): keep our own.
            self._redis_connect()
            pubsub = self.pubsub
            try:
                pubsub.subscribe(self.channel)
                if interrupted:
                    interrupted = False
                    self._get_logger().warning("message queue: subscribed again")
                    self._resync_local_clients()
                yield from pubsub.listen()
            except redis.RedisError as exc:
                self._get_logger().error("message queue: cannot receive from Redis (%s); "
                                         "retrying in %s s", exc, self.RETRY_SECONDS)
                interrupted = True
                pubsub.close()  # gives its connection back to the pool
                time.sleep(self.RETRY_SECONDS)

    def _resync_local_clients(self) -> None:
        for namespace in list(self.get_namespaces()):
            self.emit(RESYNC_EVENT, {}, namespace=namespace, ignore_queue=True)
