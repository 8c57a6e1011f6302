"""Directory: teleworkers and the venues that welcome them (télécentres, comptoirs)."""

from flask import Flask

# OpenStreetMap's tile server, the only outside origin the venue map loads images from.
OSM_TILES = "https://tile.openstreetmap.org"


def init_app(app: Flask) -> None:
    """Register the directory pages, its API, its settings and the event-venue helper."""
    from eventhub.directory import admin, api, services, views

    app.config.setdefault("DIRECTORY_COMMUNITY_BASELINE", 30)
    app.config.setdefault("DIRECTORY_COMMUNITY_TARGET", 100)
    app.config.setdefault("DIRECTORY_CONTACT_RATE_LIMIT", "5 per hour")
    app.config.setdefault("DIRECTORY_APPLY_RATE_LIMIT", "10 per hour")
    # A human takes more than this to fill in the contact form; robots usually do not.
    app.config.setdefault("DIRECTORY_CONTACT_MIN_SECONDS", 3)
    app.config.setdefault("DIRECTORY_MAP_TILES", OSM_TILES + "/{z}/{x}/{y}.png")
    if OSM_TILES not in app.config["CSP_IMG_SRC"]:
        app.config["CSP_IMG_SRC"] = [*app.config["CSP_IMG_SRC"], OSM_TILES]
    app.register_blueprint(views.bp)
    app.register_blueprint(admin.bp)
    app.register_blueprint(api.bp)
    api.declare(app)
    app.add_template_global(services.venue_for_event, "directory_venue_for")
