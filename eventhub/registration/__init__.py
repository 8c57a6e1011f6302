"""Registration: forms, capacity and waiting list, QR tickets, check-in, dashboards."""

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the pages, the API, the Socket.IO namespace and the OpenAPI paths."""
    from eventhub import openapi
    from eventhub.registration import admin, api, services, sockets, views

    app.register_blueprint(views.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(admin.bp)
    sockets.register()
    app.add_template_global(services.registration_open, "registration_open")
    openapi.declare(app, paths=api.OPENAPI_PATHS, schemas=api.OPENAPI_SCHEMAS)
