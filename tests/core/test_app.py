"""The factory: configuration layers, database settings, errors, security headers."""

import pytest
import sqlalchemy as sa

from eventhub import create_app
from eventhub.config import _normalise_database_url
from eventhub.extensions import db


def test_configuration_layers_in_order(tmp_path, monkeypatch, test_config):
    from eventhub import config

    monkeypatch.setattr("eventhub.ROOT", tmp_path)
    (tmp_path / "instance").mkdir()
    (tmp_path / "instance" / "config.py").write_text(
        "PUBLIC_URL = 'https://from-instance.example'\nMAIL_PORT = 2525\n"
    )
    monkeypatch.setenv("MAIL_PORT", "2626")
    monkeypatch.setenv("EVENTHUB_LOGIN_RATE_LIMIT", "1 per hour")
    overrides = {**test_config}
    overrides.pop("PUBLIC_URL")
    overrides.pop("MAIL_SERVER")
    app = create_app(overrides)
    assert app.config["PUBLIC_URL"] == "https://from-instance.example"
    assert app.config["MAIL_PORT"] == 2626  # the environment wins over instance/config.py
    assert app.config["LOGIN_RATE_LIMIT"] == "1 per hour"
    assert app.config["SESSION_COOKIE_SECURE"] is True  # served over HTTPS
    assert config.Defaults.MAIL_PORT == 25


def test_a_secret_key_is_generated_once_per_instance(tmp_path, monkeypatch, test_config):
    monkeypatch.setattr("eventhub.ROOT", tmp_path)
    overrides = {k: v for k, v in test_config.items() if k != "SECRET_KEY"}
    first = create_app(overrides).config["SECRET_KEY"]
    second = create_app(overrides).config["SECRET_KEY"]
    assert first == second and len(first) == 64
    assert (tmp_path / "instance" / "secret_key").stat().st_mode & 0o077 == 0


def test_postgres_urls_use_psycopg3():
    assert _normalise_database_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert _normalise_database_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert _normalise_database_url("sqlite:///x.db") == "sqlite:///x.db"


def test_sqlite_runs_in_wal_with_foreign_keys(app):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite pragmas: this run is on PostgreSQL")
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000


def test_foreign_keys_are_enforced(app):
    from eventhub.programme.models import Room

    db.session.add(Room(event_id=999_999, name="ghost"))
    try:
        db.session.commit()
    except sa.exc.IntegrityError:
        db.session.rollback()
    else:
        raise AssertionError("a room of a missing event was accepted")


def test_api_errors_are_json_and_pages_are_html(client):
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.get_json() == {"error": "not_found",
                                   "message": "Cette page n'existe pas, ou plus."}
    page = client.get("/nothing-here")
    assert page.status_code == 404
    assert page.mimetype == "text/html"
    assert "Erreur 404" in page.get_data(as_text=True)


def test_an_unexpected_exception_shows_no_traceback(make_app):
    app = make_app(TESTING=False, PROPAGATE_EXCEPTIONS=False)

    @app.get("/boom")
    def boom():
        raise RuntimeError("secret internals")

    @app.get("/api/v1/boom")
    def api_boom():
        raise RuntimeError("secret internals")

    client = app.test_client()
    page = client.get("/boom")
    assert page.status_code == 500
    assert "secret internals" not in page.get_data(as_text=True)
    assert "Traceback" not in page.get_data(as_text=True)
    api = client.get("/api/v1/boom")
    assert api.status_code == 500 and api.get_json()["error"] == "internal_error"


def test_security_headers(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "object-src 'none'" in csp
    assert "ws://localhost" in csp and "wss://localhost" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    cookie_flags = client.get("/lang/en").headers["Set-Cookie"]
    assert "HttpOnly" in cookie_flags and "SameSite=Lax" in cookie_flags


def test_json_answers_carry_the_api_headers_not_the_page_policy(client):
    response = client.get("/api/v1/events")
    assert response.mimetype == "application/json"
    policy = response.headers["Content-Security-Policy"]
    assert policy == "default-src 'none'; frame-ancestors 'none'"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_without_app_wide_limits_only_declared_limits_apply(make_app):
    limited = make_app(RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="2 per minute")
    client = limited.test_client()
    assert {client.get("/api/v1/events").status_code for _ in range(5)} == {200}
    logins = [client.post("/login", data={"email": "x@example.org", "password": "wrong"})
              .status_code for _ in range(3)]
    assert logins[-1] == 429


def test_oversized_bodies_are_refused(client, app):
    response = client.post("/login", data={"email": "x" * (app.config["MAX_CONTENT_LENGTH"] + 1)})
    assert response.status_code == 413


def test_language_switch_ignores_foreign_next(client):
    response = client.get("/lang/en?next=//evil.example/")
    assert response.headers["Location"] == "/"
    response = client.get("/lang/xx?next=/login")
    assert response.headers["Location"] == "/login"


def test_a_header_the_view_set_is_kept(app, client):
    from flask import jsonify

    @app.get("/own-headers")
    def own_headers():
        response = jsonify(ok=True)
        response.headers["x-frame-options"] = "SAMEORIGIN"  # any case: header names aren't
        return response

    response = client.get("/own-headers")
    assert response.headers.getlist("X-Frame-Options") == ["SAMEORIGIN"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(("method", "url", "body"), [
    ("get", "/events/x/live?sort=%00", None),
    ("get", "/events/x/live?%00sort=date", None),
    ("get", "/api/v1/events/a%00b", None),
    ("post", "/api/v1/events/x/registrations", {"name": "A\u0000", "email": "a@example.org",
                                                "attendance": "onsite"}),
    ("post", "/api/v1/events/x/checkin", {"code": "T1.\u0000"}),
])
def test_nul_characters_are_refused_before_the_database(client, method, url, body):
    response = getattr(client, method)(url, json=body)
    assert response.status_code == 400
    if url.startswith("/api/"):
        assert response.get_json()["error"] == "nul_character"
    else:
        assert "caractère nul" in response.get_data(as_text=True)


def test_nul_characters_in_a_form_are_refused(client):
    response = client.post("/login", data={"email": "a\x00@example.org", "password": "x"})
    assert response.status_code == 400
    assert "caractère nul" in response.get_data(as_text=True)
    # Without the NUL, the same form is refused for another reason (its missing CSRF token).
    response = client.post("/login", data={"email": "a@example.org", "password": "x"})
    assert "caractère nul" not in response.get_data(as_text=True)


def test_the_serving_app_freezes_its_start_up_objects(test_config):
    import gc

    from eventhub.serve import serving_app

    gc.unfreeze()
    try:
        app = serving_app(test_config)
        assert gc.get_freeze_count() > 10_000  # the app's own objects, out of every pass
        assert app.config["SECRET_KEY"] == test_config["SECRET_KEY"]
    finally:
        gc.unfreeze()
