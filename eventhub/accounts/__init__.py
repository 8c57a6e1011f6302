"""Organiser accounts, roles and bearer tokens."""

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the accounts pages and the login machinery."""
    from eventhub.accounts import auth, views

    auth.init_app(app)
    app.register_blueprint(views.bp)
