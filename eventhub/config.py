"""Configuration: defaults here, then ``instance/config.py``, then the environment.

Every setting a deployment may change is named here with its default, so this module is
also the list of what can be configured.
"""

from __future__ import annotations

import json
import os
import secrets
from datetime import timedelta
from pathlib import Path

ENV_PREFIX = "EVENTHUB_"

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
    "MAIL_SENDER_THREAD",
    "PUBLIC_URL",
    "LOG_JSON",
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
    # When the Redis of the limits is unreachable, count in this process's memory (with
    # a warning in the log) rather than refuse logins and registrations.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    LOGIN_RATE_LIMIT = "10 per minute"

    # Compression (Flask-Compress) of text answers, in every mode, when the client takes
    # gzip; bodies under COMPRESS_MIN_SIZE bytes gain nothing and go as they are.
    COMPRESS_ALGORITHM = "gzip"
    COMPRESS_ALGORITHM_STREAMING = "gzip"  # files (static ones) are sent as streams
    COMPRESS_MIN_SIZE = 500
    COMPRESS_LEVEL = 6
    COMPRESS_MIMETYPES = [
        "text/html", "text/css", "text/plain", "text/csv", "text/calendar",
        "text/javascript", "application/javascript", "application/json",
        "application/geo+json", "image/svg+xml",
    ]
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
    # Each process's Redis pools (message queue, rate limits, presence): at most this many
    # connections each; a request waits up to REDIS_POOL_TIMEOUT seconds for a free one.
    REDIS_POOL_SIZE = 50
    REDIS_POOL_TIMEOUT = 10.0

    # Outgoing mail. Without MAIL_SERVER, mails are printed to the console (the demo).
    MAIL_SERVER: str | None = None
    MAIL_PORT = 25
    MAIL_USE_TLS = False
    MAIL_USERNAME: str | None = None
    MAIL_PASSWORD: str | None = None
    MAIL_DEFAULT_SENDER = "eventhub <noreply@eventhub.localhost>"
    # With MAIL_SERVER, mails wait in the outbox table until the server takes them. Each
    # app process delivers them in a background thread, woken by its own new mails and
    # looking for others' every MAIL_SENDER_POLL seconds; with MAIL_SENDER_THREAD off,
    # only ``flask mail-outbox --send`` (run by cron, say) delivers. A failed delivery is
    # retried after MAIL_RETRY_DELAY seconds, doubling up to MAIL_RETRY_MAX_DELAY.
    MAIL_SENDER_THREAD = True
    MAIL_SENDER_POLL = 30.0
    MAIL_RETRY_DELAY = 5.0
    MAIL_RETRY_MAX_DELAY = 300.0

    # Content-Security-Policy: origins allowed beyond the site's own. The live and
    # directory domains add the stream providers' frames and the map tiles.
    CSP_FRAME_SRC: tuple[str, ...] = ()
    CSP_IMG_SRC: tuple[str, ...] = ()
    CSP_MEDIA_SRC: tuple[str, ...] = ()
    CSP_CONNECT_SRC: tuple[str, ...] = ()
    CSP_FRAME_ANCESTORS = "'self'"

    # Live figures of the organiser dashboard: at most one update per event this often
    # (seconds); 0 sends every change at once.
    REGISTRATION_LIVE_INTERVAL = 0.5

    # A live viewer counts while its process has announced it within this many seconds:
    # the viewers of a process that died stop counting after at most that long.
    LIVE_PRESENCE_SECONDS = 30
    # Live questions: vote and viewer counts go out once per tick (seconds; 0 sends every
    # change at once).
    LIVE_TICK_SECONDS = 1.0

    # Directory: the community figure counts people who were members before the
    # directory existed (baseline) towards a target; the contact and application forms
    # are rate limited; a human takes more than DIRECTORY_CONTACT_MIN_SECONDS to fill
    # in the contact form, robots usually do not; the venue map's tile server.
    DIRECTORY_COMMUNITY_BASELINE = 30
    DIRECTORY_COMMUNITY_TARGET = 100
    DIRECTORY_CONTACT_RATE_LIMIT = "5 per hour"
    DIRECTORY_APPLY_RATE_LIMIT = "10 per hour"
    DIRECTORY_CONTACT_MIN_SECONDS = 3
    DIRECTORY_MAP_TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"

    # The site's address, e.g. "https://events.example.org": every absolute link that
    # leaves a request (mails, calendars, the API's URLs) is built from it, never from the
    # request's Host. A server refuses to start without it (debug and tests fall back to
    # DEVELOPMENT_URL).
    PUBLIC_URL: str | None = None
    DEVELOPMENT_URL = "http://127.0.0.1:5000"

    # The Host names requests may carry (Flask). None: in production only the host of
    # PUBLIC_URL; in debug and tests any.
    TRUSTED_HOSTS: list[str] | None = None


    # One JSON line per request on standard error (time, method, route pattern, endpoint,
    # status, duration), never a path or query string, which may hold a token.
    LOG_JSON = False

    # Set behind a reverse proxy: the number of proxies whose X-Forwarded-For and
    # X-Forwarded-Proto to trust (never X-Forwarded-Host: the Host is ours).
    PROXY_FIX = 0

    # Strict-Transport-Security's max-age (seconds), sent when PUBLIC_URL is https.
    HSTS_MAX_AGE = 365 * 24 * 3600


class ConfigError(ValueError):
    """A setting from the environment that cannot be read; start-up stops on it."""


_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"0", "false", "no", "off", ""})


def parse_setting(name: str, raw: str, current):
    """Read the environment's text ``raw`` for setting ``name`` as the type of its
    ``current`` value (a boolean, a whole number, a decimal number, or text).

    A setting without a typed value is read as JSON when it parses (as Flask does for
    prefixed variables), else kept as text. Raises ``ConfigError`` naming the setting.
    """
    text = raw.strip()
    if isinstance(current, bool):
        if text.lower() in _TRUE:
            return True
        if text.lower() in _FALSE:
            return False
        raise ConfigError(f"{name}={raw!r} is not a boolean: use 1/0, true/false, yes/no "
                          "or on/off.")
    if isinstance(current, int):
        try:
            return int(text)
        except ValueError:
            raise ConfigError(f"{name}={raw!r} is not a whole number.") from None
    if isinstance(current, float):
        try:
            return float(text)
        except ValueError:
            raise ConfigError(f"{name}={raw!r} is not a number.") from None
    if isinstance(current, (dict, list, tuple)):
        try:
            return json.loads(text)
        except ValueError:
            raise ConfigError(f"{name}={raw!r} is not valid JSON.") from None
    if current is None and text[:1] in "[{":
        try:
            return json.loads(text)
        except ValueError:
            raise ConfigError(f"{name}={raw!r} is not valid JSON.") from None
    return raw


def _environment_settings() -> dict[str, str]:
    """The settings the environment gives: plain names, then ``EVENTHUB_`` ones (which
    win)."""
    found = {name: os.environ[name] for name in PLAIN_ENV_SETTINGS if name in os.environ}
    for key in sorted(os.environ):
        if key.startswith(ENV_PREFIX) and len(key) > len(ENV_PREFIX):
            found[key[len(ENV_PREFIX):]] = os.environ[key]
    return found


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
    (what tests pass to the factory). Environment values are read as the type of the
    setting's value so far (``MAIL_USE_TLS=0`` is False); one that cannot be read raises
    ``ConfigError``, which stops start-up.
    """
    app.config.from_object(Defaults)
    app.config.from_pyfile("config.py", silent=True)
    for name, raw in _environment_settings().items():
        app.config[name] = parse_setting(name, raw, app.config.get(name))
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
    redis_url = app.config.get("REDIS_URL") or app.config.get("SOCKETIO_MESSAGE_QUEUE")
    if redis_url and app.config["RATELIMIT_STORAGE_URI"] == "memory://":
        # Limits must count across processes once several share a message queue.
        app.config["RATELIMIT_STORAGE_URI"] = redis_url
