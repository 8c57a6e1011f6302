"""Can the external servers the scale-out path needs be reached? Used by fixtures and make.

``python -m tests.servers postgres URL`` (or ``redis URL``) exits 0 when the server
answers, else prints why and exits 1.
"""

from __future__ import annotations

import sys


def postgres_unreachable(url: str) -> str | None:
    """``None`` when a PostgreSQL server answers at ``url``'s host, else the reason."""
    import psycopg
    import sqlalchemy as sa

    target = sa.engine.make_url(url.replace("postgresql+psycopg://", "postgresql://", 1))
    try:
        psycopg.connect(
            host=target.host or "127.0.0.1", port=target.port or 5432,
            user=target.username or "postgres", password=target.password,
            dbname="postgres", connect_timeout=3,
        ).close()
    except psycopg.Error as exc:
        return f"no PostgreSQL server at {target.host}:{target.port or 5432} ({exc})"
    return None


def redis_unreachable(url: str) -> str | None:
    """``None`` when a Redis server answers PING at ``url``, else the reason."""
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        return f"no Redis server at {url} ({exc})"
    return None


if __name__ == "__main__":
    kind, url = sys.argv[1], sys.argv[2]
    reason = {"postgres": postgres_unreachable, "redis": redis_unreachable}[kind](url)
    if reason:
        print(reason)
    sys.exit(1 if reason else 0)
