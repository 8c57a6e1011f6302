"""Fan-out of a new live question to N websocket viewers: eventhub vs a bare Flask-SocketIO.

    .venv/bin/python bench/qa_fanout.py [--sizes 500,1000,2000] [--samples 8] [--scale-out]

Both servers run with gevent (the production mode) in their own process; viewers are
websocket clients spread over worker processes (gevent too). For each N, an asker sends
questions one by one and every viewer records when each arrived: delivery time = arrival
- send, over all viewers and questions (p50 / p95 / max). The baseline is a bare
Flask-SocketIO server that broadcasts the same payload to one room without a database.
``--scale-out`` adds eventhub on two processes joined by Redis (viewers split between
them) with 4,000 viewers, and counts lost deliveries. Traffic stays on 127.0.0.1.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import closing
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NS = "/live"
SLUG = "bench-live"
SECRET = "bench-secret-key"  # noqa: S105 (signs a throwaway local cookie)
WORKERS = 4


# --- The bare baseline server (run in its own gevent process) ------------------------


def serve_bare(port: int) -> None:
    """A Flask-SocketIO server that only joins a room and broadcasts what it is asked."""
    from datetime import UTC, datetime

    from flask import Flask
    from flask_socketio import SocketIO, join_room

    app = Flask("bare")
    sio = SocketIO(app, async_mode="gevent")
    counter = iter(range(1, 10**9))

    @sio.on("join", namespace=NS)
    def join(data):
        join_room("room")
        return {"ok": True}

    @sio.on("ask", namespace=NS)
    def ask(data):
        question = {"id": next(counter), "text": data["text"], "name": "", "votes": 0,
                    "status": "approved", "pinned": False, "slot": None,
                    "created_at": datetime.now(UTC).isoformat()}
        sio.emit("question", question, to="room", namespace=NS)
        return {"ok": True, "question": question}

    sio.run(app, host="127.0.0.1", port=port, log_output=False)


# --- Viewer worker processes ----------------------------------------------------------


def worker(urls: list[str]) -> None:
    """Read commands on stdin: ``grow K`` connects K more viewers, ``report`` prints arrivals."""
    import gevent.pool
    import gevent.select
    import socketio

    arrivals: dict[str, list[float]] = {}
    clients = []

    failures = []

    def connect(index: int) -> None:
        try:
            join(index)
        except Exception as exc:
            # Counted as lost deliveries by the driver; the reason goes to stderr.
            failures.append(exc)
            print(f"viewer {index} failed to connect: {exc!r}", file=sys.stderr, flush=True)

    def join(index: int) -> None:
        client = socketio.Client(reconnection=False)

        @client.on("question", namespace=NS)
        def on_question(data):
            arrivals.setdefault(data["text"], []).append(time.time())

        url = urls[index % len(urls)]
        client.connect(url, namespaces=[NS], transports=["websocket"], wait_timeout=30)
        ack = client.call("join", {"event": SLUG}, namespace=NS, timeout=30)
        assert ack["ok"], ack
        clients.append(client)

    pool = gevent.pool.Pool(40)
    while True:
        # A plain blocking read would stop every greenlet (and so every delivery).
        gevent.select.select([sys.stdin], [], [])
        command, _sep, arg = sys.stdin.readline().strip().partition(" ")
        if command == "grow":
            start = len(clients)
            pool.map(connect, range(start, start + int(arg)))
            print(f"ready {len(clients)}", flush=True)
        elif command == "report":
            print(json.dumps(arrivals), flush=True)
            arrivals.clear()
        elif command in {"stop", ""}:
            # Dropping the process closes every socket at once; a polite disconnect per
            # client would take longer than the measurement.
            os._exit(0)


# --- The driver -------------------------------------------------------------------------


def free_port() -> int:
    """A free local TCP port."""
    with closing(socket.socket()) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def gevent_process(args: list[str], env: dict | None = None, **kwargs) -> subprocess.Popen:
    """Run ``python -m gevent.monkey …`` (patched before anything is imported)."""
    return subprocess.Popen([sys.executable, "-m", "gevent.monkey", *args], cwd=ROOT,
                            env={**os.environ, **(env or {})}, **kwargs)


def wait_for_port(port: int, timeout: float = 30.0) -> None:
    """Wait until something listens on ``port``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with closing(socket.socket()) as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"nothing listens on port {port}")


def prepare_database(path: str) -> str:
    """A fresh SQLite database with a published event whose questions need no approval."""
    from datetime import date

    from eventhub import create_app
    from eventhub.cli import upgrade_database
    from eventhub.extensions import db
    from eventhub.live import services
    from eventhub.programme.models import Event

    url = f"sqlite:///{path}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": SECRET,
                      "SOCKETIO_MESSAGE_QUEUE": None, "REDIS_URL": None})
    with app.app_context():
        upgrade_database()
        event = Event(slug=SLUG, title="Banc d'essai", start_date=date.today(),
                      end_date=date.today(), published=True)
        db.session.add(event)
        db.session.commit()
        services.set_premoderation(event, False)
        db.engine.dispose()
    return url


def viewer_cookie() -> str:
    """A signed viewer cookie for the asker."""
    from eventhub import create_app
    from eventhub.live.viewer import COOKIE, sign

    app = create_app({"SECRET_KEY": SECRET, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    with app.app_context():
        return f"{COOKIE}={sign('bench-asker')}"


def start_eventhub(database_url: str, port: int, redis_url: str | None = None):
    """eventhub on ``port`` with gevent (optionally with a Redis message queue)."""
    env = {"DATABASE_URL": database_url, "SECRET_KEY": SECRET, "SOCKETIO_ASYNC_MODE": "gevent",
           "EVENTHUB_LIVE_ASK_LIMIT": "100000 per minute"}
    if redis_url:
        env.update(SOCKETIO_MESSAGE_QUEUE=redis_url, REDIS_URL=redis_url)
    return gevent_process(["--module", "eventhub.serve", "--host", "127.0.0.1",
                           "--port", str(port)], env, stdout=subprocess.DEVNULL,
                          stderr=subprocess.DEVNULL)


class Viewers:
    """The worker processes holding the viewers' websockets."""

    def __init__(self, urls: list[str]):
        self.procs = [gevent_process([__file__, "--worker", ",".join(urls)],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
                      for _ in range(WORKERS)]
        self.count = 0

    def grow_to(self, total: int) -> None:
        """Connect viewers until there are ``total``."""
        extra = total - self.count
        for index, proc in enumerate(self.procs):
            share = extra // WORKERS + (1 if index < extra % WORKERS else 0)
            proc.stdin.write(f"grow {share}\n")
            proc.stdin.flush()
        for proc in self.procs:
            proc.stdout.readline()
        self.count = total

    def arrivals(self) -> dict[str, list[float]]:
        """Every arrival time per question text since the last call."""
        merged: dict[str, list[float]] = {}
        for proc in self.procs:
            proc.stdin.write("report\n")
            proc.stdin.flush()
        for proc in self.procs:
            for text, times in json.loads(proc.stdout.readline()).items():
                merged.setdefault(text, []).extend(times)
        return merged

    def close(self) -> None:
        """Disconnect everyone and end the workers."""
        for proc in self.procs:
            try:
                proc.stdin.write("stop\n")
                proc.stdin.flush()
            except BrokenPipeError:
                pass
        for proc in self.procs:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()


def measure(url: str, viewers: Viewers, size: int, samples: int, label: str) -> dict:
    """Ask ``samples`` questions through ``url`` and time their delivery to every viewer."""
    import socketio

    asker = socketio.Client(reconnection=False)
    asker.connect(url, namespaces=[NS], transports=["websocket"],
                  headers={"Cookie": viewer_cookie()})
    asker.call("join", {"event": SLUG}, namespace=NS, timeout=30)
    sent: dict[str, float] = {}
    for index in range(samples):
        text = f"{label} {size} question {index} : le débit suffit-il ?"
        sent[text] = time.time()
        ack = asker.call("ask", {"text": text}, namespace=NS, timeout=30)
        assert ack["ok"], ack
        time.sleep(0.4 + size / 4000)
    time.sleep(1.0)
    asker.disconnect()
    arrivals = viewers.arrivals()
    delays = sorted((t - sent[text]) * 1000 for text in sent for t in arrivals.get(text, []))
    expected = size * samples
    return {
        "p50": statistics.median(delays) if delays else float("nan"),
        "p95": delays[int(0.95 * (len(delays) - 1))] if delays else float("nan"),
        "max": delays[-1] if delays else float("nan"),
        "lost": expected - len(delays),
    }


def run_series(urls: list[str], ask_url: str, sizes: list[int], samples: int,
               label: str) -> dict[int, dict]:
    """Grow the audience through ``sizes`` and measure at each size."""
    viewers = Viewers(urls)
    results = {}
    try:
        for size in sizes:
            began = time.monotonic()
            viewers.grow_to(size)
            print(f"  ({label}: {size} viewers connected in {time.monotonic() - began:.0f} s)",
                  flush=True)
            results[size] = measure(ask_url, viewers, size, samples, label)
            print(f"  {label:<10} N={size:>5}: p50 {results[size]['p50']:7.1f} ms  "
                  f"p95 {results[size]['p95']:7.1f} ms  max {results[size]['max']:7.1f} ms  "
                  f"lost {results[size]['lost']}", flush=True)
    finally:
        viewers.close()
    return results


def main() -> None:
    """Run the baseline and eventhub at each size and print the ratios."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="500,1000,2000")
    parser.add_argument("--samples", type=int, default=5)
    parser.add_argument("--scale-out", action="store_true",
                        help="also two eventhub processes joined by Redis with 4,000 viewers")
    parser.add_argument("--redis", default=os.environ.get("TEST_REDIS_URL",
                                                          "redis://127.0.0.1:6379/15"))
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--bare", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker.split(","))
        return
    if args.bare:
        serve_bare(args.bare)
        return

    sizes = [int(s) for s in args.sizes.split(",")]
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as tmp:
        database_url = prepare_database(str(Path(tmp) / "bench.db"))
        bare_port, app_port = free_port(), free_port()
        servers = [gevent_process([__file__, "--bare", str(bare_port)],
                                  stderr=subprocess.DEVNULL),
                   start_eventhub(database_url, app_port)]
        try:
            wait_for_port(bare_port)
            wait_for_port(app_port)
            print(f"Delivery of a new question to N websocket viewers "
                  f"({args.samples} questions per N, gevent, one process each)", flush=True)
            bare_url, app_url = f"http://127.0.0.1:{bare_port}", f"http://127.0.0.1:{app_port}"
            bare = run_series([bare_url], bare_url, sizes, args.samples, "bare")
            ours = run_series([app_url], app_url, sizes, args.samples, "eventhub")
        finally:
            for server in servers:
                server.terminate()
                server.wait(timeout=10)
        print("\n   N   bare p95   eventhub p95   ratio (goal <= 1.25 at 2,000)")
        for size in sizes:
            ratio = ours[size]["p95"] / bare[size]["p95"]
            print(f"{size:>5}  {bare[size]['p95']:8.1f} ms  {ours[size]['p95']:10.1f} ms"
                  f"   {ratio:5.2f}x")
        if args.scale_out:
            scale_out(database_url, args.redis, args.samples)
    print(f"\n(total {time.monotonic() - started:.0f} s)")


def scale_out(database_url: str, redis_url: str, samples: int) -> None:
    """Two eventhub processes joined by Redis, 4,000 viewers split between them."""
    sys.path.insert(0, str(ROOT))
    from tests.servers import redis_unreachable

    reason = redis_unreachable(redis_url)
    if reason:
        print(f"\nscale-out skipped: {reason}")
        return
    ports = [free_port(), free_port()]
    servers = [start_eventhub(database_url, port, redis_url) for port in ports]
    try:
        for port in ports:
            wait_for_port(port)
        urls = [f"http://127.0.0.1:{port}" for port in ports]
        print("\nTwo eventhub processes + Redis message queue:", flush=True)
        result = run_series(urls, urls[0], [4000], samples, "2 procs")[4000]
        print(f"4,000 viewers: p95 {result['p95']:.1f} ms, lost {result['lost']} deliveries")
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=10)


if __name__ == "__main__":
    main()
