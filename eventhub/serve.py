"""Serve the app with Socket.IO (``make run``): ``python -m eventhub.serve --host H --port P``."""

from __future__ import annotations

import argparse

from eventhub import create_app
from eventhub.extensions import socketio


def main(argv: list[str] | None = None) -> None:
    """Parse the address and serve until interrupted."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5000)
    args = parser.parse_args(argv)
    app = create_app()
    print(f"eventhub is serving on http://{args.host}:{args.port}/", flush=True)
    socketio.run(app, host=args.host, port=args.port, allow_unsafe_werkzeug=True)


if __name__ == "__main__":
    main()
