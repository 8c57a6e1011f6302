"""eventhub: rural teleworking events end to end."""

from __future__ import annotations

import importlib
from pathlib import Path

import socketio as socketio_base
from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from eventhub import config as config_module
from eventhub import database
from eventhub.extensions import babel, csrf, db, migrate, socketio
from eventhub.jsonio import JSONProvider
from eventhub.message_queue import MessageQueue
from eventhub.sessions import CookieSessions

ROOT = Path(__file__).resolve().parent.parent

# The domains, in the order their blueprints are registered. Each package exposes
# ``init_app(app)``.
DOMAINS = (
    "accounts",
    "programme",
    "directory",
    "live",
    "registration",
)


def create_app(config: dict | None = None) -> Flask:
    """Build the application: configuration, extensions, domains, error pages.

    ``config`` overrides every other configuration layer (tests pass it).
    """
    app = Flask(
        __name__,
        instance_path=str(ROOT / "instance"),
        instance_relative_config=True,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    app.json = JSONProvider(app)
    # The instance folder holds the signing key and the SQLite database: the owner's only.
    instance = Path(app.instance_path)
    instance.mkdir(mode=0o700, parents=True, exist_ok=True)
    instance.chmod(0o700)
    config_module.configure(app, config)
    database.create_private_sqlite_file(app.config["SQLALCHEMY_DATABASE_URI"])
    app.session_interface = CookieSessions()
    from eventhub import (
        cli,
        compression,
        errors,
        health,
        i18n,
        limits,
        openapi,
        request_log,
        security,
        static_files,
        urls,
    )

    urls.init_app(app)
    if app.config["PROXY_FIX"]:
        hops = int(app.config["PROXY_FIX"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=0)

    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"))
    csrf.init_app(app)
    compression.init_app(app)
    limits.init_app(app)
    babel.init_app(
        app,
        locale_selector=i18n.select_locale,
        default_translation_directories=";".join(i18n.translation_directories(app)),
    )
    queue = app.config.get("SOCKETIO_MESSAGE_QUEUE")
    socketio.init_app(
        app,
        async_mode=app.config["SOCKETIO_ASYNC_MODE"],
        # Always given: Flask-SocketIO keeps the options of an earlier app otherwise.
        client_manager=MessageQueue(queue, app.config) if queue else socketio_base.Manager(),
        cors_allowed_origins=app.config.get("SOCKETIO_CORS_ALLOWED_ORIGINS"),
        max_http_buffer_size=app.config["SOCKETIO_MAX_BUFFER"],
    )
    i18n.init_app(app)
    security.init_app(app)
    static_files.init_app(app)
    request_log.init_app(app)
    errors.register_error_handlers(app)
    cli.init_app(app)
    openapi.init_app(app)
    health.init_app(app)
    for name in DOMAINS:
        importlib.import_module(f"eventhub.{name}").init_app(app)
    return app
