"""Serve the app with Socket.IO (``make run``): ``python -m eventhub.serve --host H --port P``."""

from __future__ import annotations

import argparse
import gc

from flask import Flask

from eventhub import create_app, outbox, urls
from eventhub.extensions import socketio


def serving_app(config: dict | None = None) -> Flask:
    """The app of a long-running server, built once, with its start-up objects frozen.

    They never become garbage (models, blueprints, translations), yet each full pass of
    the garbage collector would walk them all, stalling every connected viewer's
    deliveries while it runs. Frozen, the collector leaves them alone.
    """
    app = create_app(config)
    urls.require_public_url(app)
    if app.config["MAIL_SERVER"] and app.config["MAIL_SENDER_THREAD"]:
        outbox.start_sender(app)  # mails left waiting by an earlier run go now
    gc.collect()  # what start-up left as garbage is freed, not frozen
    gc.freeze()
    return app


def main(argv: list[str] | None = None) -> None:
    """Parse the address and serve until interrupted."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5000)
    args = parser.parse_args(argv)
    app = serving_app()
    print(f"eventhub is serving on http://{args.host}:{args.port}/", flush=True)
    socketio.run(app, host=args.host, port=args.port, allow_unsafe_werkzeug=True)


if __name__ == "__main__":
    main()
