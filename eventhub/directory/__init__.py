"""Directory: teleworkers and the venues that welcome them (télécentres, comptoirs)."""

from urllib.parse import urlsplit

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the directory pages, its API, its map tiles' origin and the event-venue
    helper."""
    from eventhub.directory import admin, api, services, views

    # The tile server is the only outside origin the venue map loads images from (none
    # when the tiles are served from this site).
    tiles = urlsplit(app.config["DIRECTORY_MAP_TILES"])
    origin = f"{tiles.scheme}://{tiles.netloc}"
    if tiles.netloc and origin not in app.config["CSP_IMG_SRC"]:
        app.config["CSP_IMG_SRC"] = [*app.config["CSP_IMG_SRC"], origin]
    app.register_blueprint(views.bp)
    app.register_blueprint(admin.bp)
    app.register_blueprint(api.bp)
    api.declare(app)
    app.add_template_global(services.venue_for_event, "directory_venue_for")
