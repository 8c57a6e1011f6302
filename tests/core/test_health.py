"""/healthz and /readyz: alive, and ready only when the database, schema and Redis are."""

from __future__ import annotations

import os

import pytest
import sqlalchemy as sa

from eventhub.extensions import db, limiter
from tests.conftest import free_port


def test_healthz_says_alive(client):
    response = client.get("/healthz")
    assert (response.status_code, response.get_json()) == (200, {"status": "alive"})


def test_readyz_reports_each_check(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ready",
                                   "checks": {"database": "ok", "migrations": "ok"}}


def test_readyz_is_503_when_the_schema_is_behind(client, app):
    with db.engine.begin() as connection:
        connection.execute(sa.text("UPDATE alembic_version SET version_num = '0003_registration'"
                                   " WHERE version_num = '0004_registration_door'"))
    try:
        response = client.get("/readyz")
    finally:
        with db.engine.begin() as connection:
            connection.execute(sa.text(
                "UPDATE alembic_version SET version_num = '0004_registration_door'"
                " WHERE version_num = '0003_registration'"))
    assert response.status_code == 503
    body = response.get_json()
    assert body["status"] == "not_ready"
    assert body["checks"]["database"] == "ok"
    migrations = body["checks"]["migrations"]
    assert migrations.startswith("not at head: database at ")
    assert migrations.endswith(" (flask init-db)")
    assert "0003_registration" in migrations and "0004_registration_door" not in migrations


def test_readyz_is_503_when_the_database_refuses(dead_database_app):
    response = dead_database_app.test_client().get("/readyz")
    assert response.status_code == 503
    checks = response.get_json()["checks"]
    assert checks["database"].startswith("unreachable")
    assert checks["migrations"] == "unknown"


def test_readyz_reports_a_dead_redis(make_app):
    app = make_app(REDIS_URL=f"redis://127.0.0.1:{free_port()}/0")
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    checks = response.get_json()["checks"]
    assert (checks["database"], checks["redis"]) == ("ok", "unreachable (ConnectionError)")


def test_readyz_checks_a_live_redis(make_app):
    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.RedisError:
        pytest.skip(f"no Redis at {url}")
    response = make_app(REDIS_URL=url).test_client().get("/readyz")
    assert response.status_code == 200
    assert response.get_json()["checks"]["redis"] == "ok"


@pytest.fixture
def default_limit_reset():
    """Flask-Limiter's one limiter keeps the first default limits it reads: give them
    back, or every later app of the run would be limited to them."""
    yield
    limiter.limit_manager.set_default_limits([])


@pytest.mark.usefixtures("default_limit_reset")
def test_health_checks_are_never_rate_limited(make_app):
    app = make_app(RATELIMIT_ENABLED=True, RATELIMIT_DEFAULT="2 per minute")
    client = app.test_client()
    assert [client.get("/healthz").status_code for _ in range(4)] == [200] * 4
    assert [client.get("/readyz").status_code for _ in range(4)] == [200] * 4
    assert [client.get("/").status_code for _ in range(3)][-1] == 429
