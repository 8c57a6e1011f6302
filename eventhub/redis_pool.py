"""Redis connection pools that wait for a free connection instead of failing.

redis-py's default pool raises ``MaxConnectionsError`` as soon as 100 connections are in
use. Right after start, a burst of registrations (each one checks a rate limit and
publishes live figures) needed more than that at once, and the excess answered 500. A
blocking pool of ``REDIS_POOL_SIZE`` connections makes the excess wait, at most
``REDIS_POOL_TIMEOUT`` seconds, for a connection that another request gives back
within milliseconds.
"""

from __future__ import annotations

from collections.abc import Mapping

import redis


def blocking_pool(url: str, config: Mapping) -> redis.BlockingConnectionPool:
    """A pool for ``url`` sized and timed by the app's configuration."""
    return redis.BlockingConnectionPool.from_url(
        url,
        max_connections=int(config["REDIS_POOL_SIZE"]),
        timeout=float(config["REDIS_POOL_TIMEOUT"]),
        # An unreachable host must fail a request, not hang it; reads stay unbounded
        # because the message queue's subscriber waits on its socket for good.
        socket_connect_timeout=float(config["REDIS_POOL_TIMEOUT"]),
        socket_keepalive=True,
    )
