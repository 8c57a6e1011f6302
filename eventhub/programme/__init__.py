"""Programme: series, events, rooms, slots, speakers; public pages, editing, ICS, API."""

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the programme pages, ICS feeds, exports, calendar links and JSON API."""
    from eventhub import openapi
    from eventhub.programme import (
        admin,
        api,
        calendar_links,
        exports,
        feeds,
        serializers,
        views,
    )

    app.register_blueprint(views.bp)
    app.register_blueprint(admin.bp)
    app.register_blueprint(feeds.bp)
    app.register_blueprint(exports.bp)
    app.register_blueprint(api.bp)
    calendar_links.init_app(app)
    openapi.declare(app, paths=api.PATHS, schemas=serializers.SCHEMAS)
