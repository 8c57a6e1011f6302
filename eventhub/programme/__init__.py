"""Programme: series, events, rooms, slots, speakers; public pages, editing, ICS, API."""

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the programme pages."""
    from eventhub.programme import admin, views

    app.register_blueprint(views.bp)
    app.register_blueprint(admin.bp)
