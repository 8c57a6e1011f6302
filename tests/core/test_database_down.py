"""The database down or restarting: a clean 503, never a traceback, and recovery."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from eventhub.extensions import db


def test_a_page_answers_503_when_the_database_refuses(dead_database_app, caplog):
    response = dead_database_app.test_client().get("/events/rencontres")
    body = response.get_data(as_text=True)
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    assert "momentanément indisponible" in body
    assert "Traceback" not in body and "psycopg" not in body and "127.0.0.1" not in body
    assert "database unavailable on GET /events/rencontres" in caplog.text


def test_the_api_answers_503_in_json_when_the_database_refuses(dead_database_app):
    client = dead_database_app.test_client()
    client.get("/lang/en")  # the session alone: no database needed to choose a language
    response = client.get("/api/v1/events")
    assert response.status_code == 503
    assert response.get_json() == {"error": "service_unavailable",
                                   "message": "The service is briefly unavailable: "
                                              "try again in a moment."}


def test_the_app_recovers_when_the_server_drops_its_connections(app, client, make_event):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("terminating backends needs PostgreSQL")
    make_event()
    assert client.get("/events/rencontres").status_code == 200
    db.session.commit()
    admin_engine = sa.create_engine(db.engine.url, poolclass=sa.pool.NullPool)
    with admin_engine.connect() as admin:
        killed = admin.scalar(sa.text(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"))
    assert killed >= 1
    # Every pooled connection is dead: the pool's pre-ping replaces them.
    assert [client.get("/events/rencontres").status_code for _ in range(3)] == [200] * 3


def test_a_connection_lost_mid_request_answers_503(app, client, make_event):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("terminating backends needs PostgreSQL")
    make_event()

    @app.get("/_terminate_self")
    def terminate_self():
        db.session.execute(sa.text("SELECT pg_terminate_backend(pg_backend_pid())"))
        return "unreachable"

    response = client.get("/_terminate_self")
    assert response.status_code == 503 and "Traceback" not in response.get_data(as_text=True)
    assert client.get("/events/rencontres").status_code == 200
