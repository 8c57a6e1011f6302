"""Health checks for a load balancer or a supervisor: ``/healthz`` and ``/readyz``.

``/healthz`` says the process answers, touching nothing else. ``/readyz`` says whether
it can serve: the database answers, its schema is at the migrations' heads, and Redis
answers when one is configured. Both are exempt from rate limits, and cheap: the heads
are read from the migration scripts once, and each check is one round trip.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, Flask, current_app, jsonify

from eventhub.extensions import db, limiter

bp = Blueprint("health", __name__)

# Redis must answer fast or be reported down: a probe never hangs.
REDIS_TIMEOUT = 1.0


@bp.get("/healthz")
@limiter.exempt
def healthz():
    """The process is alive."""
    return jsonify({"status": "alive"})


@bp.get("/readyz")
@limiter.exempt
def readyz():
    """Each check's state, 200 when all pass, else 503."""
    checks = {"database": _database(), "migrations": _migrations()}
    if _redis_url():
        checks["redis"] = _redis()
    ready = all(state == "ok" for state in checks.values())
    return jsonify({"status": "ready" if ready else "not_ready", "checks": checks}), (
        200 if ready else 503)


def _database() -> str:
    try:
        with db.engine.connect() as connection:
            connection.execute(sa.text("SELECT 1"))
    except sa.exc.SQLAlchemyError as exc:
        return f"unreachable ({type(exc.orig or exc).__name__})"
    return "ok"


def _migrations() -> str:
    try:
        with db.engine.connect() as connection:
            applied = set(connection.scalars(sa.text("SELECT version_num FROM alembic_version")))
    except sa.exc.SQLAlchemyError:
        return "unknown"
    expected = _heads()
    if applied == expected:
        return "ok"
    return f"not at head: database at {', '.join(sorted(applied)) or 'nothing'} (flask init-db)"


def _redis_url() -> str | None:
    config = current_app.config
    return config.get("REDIS_URL") or config.get("SOCKETIO_MESSAGE_QUEUE")


def _redis() -> str:
    import redis

    client = current_app.extensions.get("health_redis")
    if client is None:
        client = current_app.extensions["health_redis"] = redis.Redis.from_url(
            _redis_url(), socket_timeout=REDIS_TIMEOUT, socket_connect_timeout=REDIS_TIMEOUT)
    try:
        client.ping()
    except redis.RedisError as exc:
        return f"unreachable ({type(exc).__name__})"
    return "ok"


def _heads() -> set[str]:
    """The migration scripts' heads, read once per app."""
    heads = current_app.extensions.get("migration_heads")
    if heads is None:
        from alembic.script import ScriptDirectory

        config = current_app.extensions["migrate"].migrate.get_config()
        heads = current_app.extensions["migration_heads"] = set(
            ScriptDirectory.from_config(config).get_heads())
    return heads


def init_app(app: Flask) -> None:
    """Register the endpoints."""
    app.register_blueprint(bp)
