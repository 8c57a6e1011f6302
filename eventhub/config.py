"""Configuration: defaults here, then ``instance/config.py``, then the environment.

Every setting a deployment may change is named here with its default, so this module is
also the list of what can be configured.
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

# Settings read from plain environment variables (12-factor style) on top of the
# ``EVENTHUB_``-prefixed ones that Flask's ``from_prefixed_env`` handles.
PLAIN_ENV_SETTINGS = (
    "SECRET_KEY",
    "DATABASE_URL",
    "SOCKETIO_MESSAGE_QUEUE",
    "SOCKETIO_ASYNC_MODE",
    "REDIS_URL",
    "MAIL_SERVER",
    "MAIL_PORT",
    "MAIL_DEFAULT_SENDER",
    "MAIL_USE_TLS",
    "MAIL_USERNAME",
    "MAIL_PASSWORD",
    "PUBLIC_URL",
)


class Defaults:
    """Values used when neither ``instance/config.py`` nor the environment says otherwise."""

    SECRET_KEY: str | None = None
    DATABASE_URL: str | None = None
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}

    # Babel: French is the primary language of the interface.
    LANGUAGES = ("fr", "en")
    BABEL_DEFAULT_LOCALE = "fr"
    BABEL_DEFAULT_TIMEZONE = "Europe/Paris"

    # Sessions and uploads.
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    # "Stay signed in" lasts this long (Flask-Login's default is a year).
    REMEMBER_COOKIE_DURATION = timedelta(days=30)
    MAX_CONTENT_LENGTH = 2 * 1024 * 1024
    WTF_CSRF_TIME_LIMIT = None

    # Rate limits (Flask-Limiter); storage moves to Redis when one is configured.
    RATELIMIT_ENABLED = True
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_HEADERS_ENABLED = True
    # Redis unreachable: count in this process's memory (and log a warning) rather than
    # answer 500 to logins and registrations.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    LOGIN_RATE_LIMIT = "10 per minute"

    # Live Q&A (see SECURITY.md): per viewer (a cookie), per address (a hall of 120
    # people may share one), and the age in seconds a new cookie must reach before it
    # may ask or vote.
    LIVE_ASK_LIMIT = "5 per minute"
    LIVE_ASK_ADDRESS_LIMIT = "20 per minute"
    LIVE_VOTE_LIMIT = "60 per minute"
    LIVE_VOTE_ADDRESS_LIMIT = "300 per minute"
    LIVE_VIEWER_MIN_AGE = 20

    # Socket.IO: threading serves the development server and the tests; production
    # serves with gevent (see README).
    SOCKETIO_ASYNC_MODE = "threading"
    SOCKETIO_MESSAGE_QUEUE: str | None = None
    # The largest Socket.IO message accepted, in bytes (a question is 300 characters).
    SOCKETIO_MAX_BUFFER = 16 * 1024
    REDIS_URL: str | None = None

    # Outgoing mail. Without MAIL_SERVER, mails are printed to the console (the demo).
    MAIL_SERVER: str | None = None
    MAIL_PORT = 25
    MAIL_USE_TLS = False
    MAIL_USERNAME: str | None = None
    MAIL_PASSWORD: str | None = None
    MAIL_DEFAULT_SENDER = "eventhub <noreply@eventhub.localhost>"

    # Live figures of the organiser dashboard: at most one update per event this often
    # (seconds); 0 sends every change at once.
    REGISTRATION_LIVE_INTERVAL = 0.5

    # The site's address, e.g. "https://events.example.org": every absolute link that
    # leaves a request (mails, calendars, the API's URLs) is built from it, never from the
    # request's Host. A server refuses to start without it (debug and tests fall back to
    # DEVELOPMENT_URL).
    PUBLIC_URL: str | None = None
    DEVELOPMENT_URL = "http://127.0.0.1:5000"

    # The Host names requests may carry (Flask). None: in production only the host of
    # PUBLIC_URL; in debug and tests any.
    TRUSTED_HOSTS: list[str] | None = None

    # Set behind a reverse proxy: the number of proxies whose X-Forwarded-For and
    # X-Forwarded-Proto to trust (never X-Forwarded-Host: the Host is ours).
    PROXY_FIX = 0

    # Strict-Transport-Security's max-age (seconds), sent when PUBLIC_URL is https.
    HSTS_MAX_AGE = 365 * 24 * 3600


def _normalise_database_url(url: str) -> str:
    """Make a ``postgres://`` or ``postgresql://`` URL use the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def _instance_secret_key(instance_path: str) -> str:
    """Read the instance's signing key, creating it on first start."""
    path = Path(instance_path) / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def configure(app, overrides: dict | None = None) -> None:
    """Load the configuration layers into ``app.config``.

    Order: defaults, ``instance/config.py``, environment variables, then ``overrides``
    (what tests pass to the factory).
    """
    app.config.from_object(Defaults)
    app.config.from_pyfile("config.py", silent=True)
    for name in PLAIN_ENV_SETTINGS:
        if name in os.environ:
            app.config[name] = os.environ[name]
    app.config.from_prefixed_env("EVENTHUB")
    if overrides:
        app.config.update(overrides)

    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        url = app.config.get("DATABASE_URL") or (
            "sqlite:///" + str(Path(app.instance_path) / "eventhub.db")
        )
        app.config["SQLALCHEMY_DATABASE_URI"] = url
    app.config["SQLALCHEMY_DATABASE_URI"] = _normalise_database_url(
        app.config["SQLALCHEMY_DATABASE_URI"]
    )
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _instance_secret_key(app.instance_path)
    app.config["MAIL_PORT"] = int(app.config["MAIL_PORT"])
    redis_url = app.config.get("REDIS_URL") or app.config.get("SOCKETIO_MESSAGE_QUEUE")
    if redis_url and app.config["RATELIMIT_STORAGE_URI"] == "memory://":
        # Limits must count across processes once several share a message queue.
        app.config["RATELIMIT_STORAGE_URI"] = redis_url
