"""Changes gathered for a moment and sent once: live figures that many screens watch."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable

from flask import Flask, current_app

from eventhub.extensions import db, socketio


class Coalescer:
    """Hands what changed to ``send`` at most once per interval, each change once.

    When the doors open or a room votes, each change would otherwise cost a query and an
    emission to every watcher. The first change starts a background task that waits the
    interval (seconds, the app setting named ``setting``), then sends every key changed
    meanwhile, and goes on while changes keep coming: it ends after an interval without
    any, so no task outlives the traffic. An interval of 0 sends each change at once.
    """

    def __init__(self, setting: str, send: Callable[[set], None]):
        self._setting = setting
        self._send = send
        self._lock = threading.Lock()
        # Keys per app: each goes out in the context of the app that reported it, so a
        # process serving two apps never counts one's viewers in the other's records.
        self._keys: dict[Flask, set] = {}
        self._running = False

    def changed(self, key: Hashable) -> None:
        """Remember that ``key`` must go out with the next sending."""
        app = current_app._get_current_object()
        if not app.config[self._setting]:
            self._send({key})
            return
        with self._lock:
            self._keys.setdefault(app, set()).add(key)
            if self._running:
                return
            self._running = True
        socketio.start_background_task(self._run, app)

    def wait_idle(self, timeout: float = 5.0) -> bool:
        """Wait until nothing is left to send (shutdown, tests); whether it got idle."""
        deadline = time.monotonic() + timeout
        while self._running and time.monotonic() < deadline:
            socketio.sleep(0.02)
        return not self._running

    def _run(self, app: Flask) -> None:
        while True:
            socketio.sleep(app.config[self._setting])
            with self._lock:
                pending, self._keys = self._keys, {}
                if not pending:
                    self._running = False
                    return
            for owner, keys in pending.items():
                with owner.app_context():
                    try:
                        self._send(keys)
                    except Exception:
                        # A failed sending must not stop the next ones.
                        owner.logger.exception("sending coalesced changes (%s) failed",
                                               self._setting)
                    finally:
                        db.session.remove()
