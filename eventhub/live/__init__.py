"""Live: stream embeds, audience questions over Socket.IO, moderation, presenter screens."""

from flask import Flask

from eventhub.live.embed import FRAME_ORIGINS


def init_app(app: Flask) -> None:
    """Register the live pages and Socket.IO handlers; allow the stream providers' frames."""
    from eventhub.live import admin, presence, publish, ratelimit, services, sockets, views

    frames = app.config["CSP_FRAME_SRC"]
    app.config["CSP_FRAME_SRC"] = [*frames, *(origin for origin in FRAME_ORIGINS
                                              if origin not in frames)]
    sockets.register()
    ratelimit.init_app(app)
    presence.init_app(app, publish.viewer_counts.changed)
    app.register_blueprint(views.bp)
    app.register_blueprint(admin.bp)
    app.add_template_global(services.stream_for, "live_stream_for")
