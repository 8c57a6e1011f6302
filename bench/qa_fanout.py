"""Fan-out of a new live question to N websocket viewers: eventhub vs a bare Flask-SocketIO.

    .venv/bin/python bench/qa_fanout.py [--sizes 500,1000,2000] [--samples 20] [--scale-out]

Both servers run the production command, gunicorn with ``deploy/gunicorn.conf.py`` (the
bare one as its own app under the same settings), each in its own process, at the same
time; each has its own audience of N websocket viewers, held by worker processes.
For each N the asker alternates: a question to the bare server, then the same to
eventhub, and so on, so that whatever else the machine does weighs on both alike.
Every viewer timestamps each question as it arrives: delivery time = arrival - send,
over all viewers and questions (p50 / p95 / max). Questions are asked once the
audience has connected and eventhub has sent the viewer counts those joins changed.
The baseline is a bare Flask-SocketIO server that broadcasts the same payload to one
room without a database.

``--scale-out`` then does the same with 4,000 viewers through nginx (deploy/'s site) to
two processes joined by a Redis message queue, for eventhub and for the bare server, and
counts lost deliveries. The viewers come from many loopback addresses, so that nginx's
sticky hash spreads them over both processes.

The viewers speak the WebSocket, Engine.IO and Socket.IO protocols by hand on one
asyncio loop per worker: python-socketio's client costs several threads or greenlets
per viewer, and a few thousand of them on the benchmark's own cores slowed deliveries
more than the servers did.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
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
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
NS = "/live"
SLUG = "bench-live"
SECRET = "bench-secret-key"  # noqa: S105 (signs a throwaway local cookie)
WORKERS = 2
# Two of eventhub's ticks (LIVE_TICK_SECONDS, 1 s): after the audience has connected.
SETTLE_SECONDS = 2.0


# --- The bare baseline server (run in its own gevent process) ------------------------


def bare_app():
    """A Flask-SocketIO app that only joins a room and broadcasts what it is asked.

    gunicorn loads it with ``qa_fanout:bare_app()``; ``BENCH_QUEUE`` names its Redis.
    """
    from datetime import UTC, datetime

    from flask import Flask
    from flask_socketio import SocketIO, join_room

    app = Flask("bare")
    # Its own channel: eventhub shares the Redis and need not parse the bare messages.
    sio = SocketIO(app, async_mode="gevent", message_queue=os.environ.get("BENCH_QUEUE"),
                   channel="bench-bare")
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

    return app


# --- Viewers: a worker process holds many of them on one asyncio loop ------------------

EVENT_PREFIX = f"42{NS},".encode()
QUESTION_PREFIX = EVENT_PREFIX + b'["question",'


def ws_frame(payload: bytes, opcode: int = 1) -> bytes:
    """A masked client frame (RFC 6455 §5.2) holding ``payload``."""
    mask = os.urandom(4)
    size = len(payload)
    if size < 126:
        header = bytes([0x80 | opcode, 0x80 | size])
    elif size < 1 << 16:
        header = bytes([0x80 | opcode, 0x80 | 126]) + size.to_bytes(2, "big")
    else:
        header = bytes([0x80 | opcode, 0x80 | 127]) + size.to_bytes(8, "big")
    key = int.from_bytes((mask * (size // 4 + 1))[:size], "big")
    return header + mask + (int.from_bytes(payload, "big") ^ key).to_bytes(size, "big")


class Viewer(asyncio.Protocol):
    """One viewer: connects, joins the event, answers pings, timestamps questions."""

    def __init__(self, host: str, port: int, arrivals: list, joined: asyncio.Future):
        self.host, self.port = host, port
        self.arrivals, self.joined = arrivals, joined
        self.buffer = bytearray()
        self.upgraded = False
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport) -> None:
        """Ask for the websocket upgrade of Engine.IO's endpoint."""
        self.transport = transport
        key = base64.b64encode(os.urandom(16)).decode()
        transport.write(
            f"GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\n"
            f"Host: {self.host}:{self.port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n".encode())

    def connection_lost(self, exc) -> None:
        """A viewer that drops before joining fails its connect."""
        if not self.joined.done():
            self.joined.set_exception(ConnectionError(f"closed before joining: {exc!r}"))

    def data_received(self, data: bytes) -> None:
        """Split the stream into frames; the arrival time is taken before any parsing."""
        now = time.time()
        self.buffer += data
        if not self.upgraded:
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            if b" 101 " not in self.buffer[:end]:
                self.joined.set_exception(ConnectionError(bytes(self.buffer[:end]).decode()))
                self.transport.close()
                return
            del self.buffer[:end + 4]
            self.upgraded = True
        while len(self.buffer) >= 2:
            opcode, size, start = self.buffer[0] & 0x0F, self.buffer[1] & 0x7F, 2
            if size == 126:
                size, start = int.from_bytes(self.buffer[2:4], "big"), 4
            elif size == 127:
                size, start = int.from_bytes(self.buffer[2:10], "big"), 10
            if len(self.buffer) < start + size:
                return
            payload = bytes(self.buffer[start:start + size])
            del self.buffer[:start + size]
            self.frame(opcode, payload, now)

    def frame(self, opcode: int, payload: bytes, now: float) -> None:
        """React to one frame (the servers send each packet in one unfragmented frame)."""
        if opcode == 9:
            self.transport.write(ws_frame(payload, opcode=10))
        elif opcode == 8:
            self.transport.close()
        elif payload.startswith(QUESTION_PREFIX):
            self.arrivals.append((now, payload))
        elif payload == b"2":  # Engine.IO ping
            self.transport.write(ws_frame(b"3"))
        elif payload[:1] == b"0":  # Engine.IO open: connect to the namespace
            self.transport.write(ws_frame(f"40{NS},".encode()))
        elif payload.startswith(f"40{NS},".encode()):
            join = json.dumps(["join", {"event": SLUG}])
            self.transport.write(ws_frame(f"42{NS},1{join}".encode()))
        elif payload.startswith(f"43{NS},1".encode()) and not self.joined.done():
            self.joined.set_result(json.loads(payload[len(NS) + 4:])[0])
        elif payload.startswith(f"44{NS},".encode()) and not self.joined.done():
            self.joined.set_exception(ConnectionError(payload.decode()))


def source_address(index: int) -> str:
    """The loopback address viewer ``index`` connects from (nginx hashes it)."""
    return f"127.0.{2 + index // 200 % 250}.{1 + index % 200}"


async def viewers_loop(urls: list[str]) -> None:
    """Obey ``grow K`` (connect K more viewers), ``report`` (print arrivals), ``stop``."""
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    arrivals: list[tuple[float, bytes]] = []
    viewers: list[Viewer] = []
    opening = asyncio.Semaphore(50)

    async def connect(index: int) -> None:
        address = urlsplit(urls[index % len(urls)])
        async with opening:
            joined = loop.create_future()
            try:
                _transport, viewer = await loop.create_connection(
                    lambda: Viewer(address.hostname, address.port, arrivals, joined),
                    address.hostname, address.port, local_addr=(source_address(index), 0))
                ack = await asyncio.wait_for(joined, 60)
                if not ack.get("ok"):
                    raise ConnectionError(ack)
                viewers.append(viewer)
            except (OSError, ConnectionError, TimeoutError) as exc:
                # Counted as lost deliveries by the driver; the reason goes to stderr.
                print(f"viewer {index} failed to join: {exc!r}", file=sys.stderr, flush=True)

    while True:
        command, _sep, arg = (await reader.readline()).decode().strip().partition(" ")
        if command == "grow":
            start = len(viewers)
            await asyncio.gather(*(connect(i) for i in range(start, start + int(arg))))
            print(f"ready {len(viewers)}", flush=True)
        elif command == "report":
            report: dict[str, list[float]] = {}
            for moment, payload in arrivals:
                question = json.loads(payload[len(EVENT_PREFIX):])[1]
                report.setdefault(question["text"], []).append(moment)
            arrivals.clear()
            print(json.dumps(report), flush=True)
        elif command in {"stop", ""}:
            # Dropping the process closes every socket at once.
            os._exit(0)


class Audience:
    """The worker processes holding one server's viewers."""

    def __init__(self, urls: list[str]):
        self.procs = [subprocess.Popen([sys.executable, __file__, "--worker", ",".join(urls)],
                                       cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                       text=True)
                      for _ in range(WORKERS)]
        self.count = 0

    def grow_to(self, total: int) -> int:
        """Connect viewers until there are ``total``; how many are connected."""
        extra = total - self.count
        for index, proc in enumerate(self.procs):
            share = extra // WORKERS + (1 if index < extra % WORKERS else 0)
            proc.stdin.write(f"grow {share}\n")
            proc.stdin.flush()
        self.count = sum(int(proc.stdout.readline().split()[1]) for proc in self.procs)
        return self.count

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


# --- The driver -------------------------------------------------------------------------


def free_port() -> int:
    """A free local TCP port."""
    with closing(socket.socket()) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def gunicorn(port: int, app: str, env: dict, **kwargs) -> subprocess.Popen:
    """The production command: gunicorn with deploy/'s settings, serving ``app``."""
    return subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "-c", "deploy/gunicorn.conf.py",
         "--bind", f"127.0.0.1:{port}", app],
        cwd=ROOT, env={**os.environ, **env}, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL, **kwargs)


def wait_until_serving(port: int, timeout: float = 60.0) -> None:
    """Wait until Socket.IO answers a handshake on ``port`` (gunicorn listens before its
    worker has loaded the app)."""
    import requests

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if requests.get(f"http://127.0.0.1:{port}/socket.io/?EIO=4&transport=polling",
                            timeout=5).ok:
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"nothing serves Socket.IO on port {port}")


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
    """eventhub on ``port`` (optionally with a Redis message queue)."""
    # The asker asks 20 questions a round from one address with a cookie just issued:
    # the live limits, which are the security tests' business, are lifted.
    env = {"DATABASE_URL": database_url, "SECRET_KEY": SECRET,
           "PUBLIC_URL": f"http://127.0.0.1:{port}",
           "EVENTHUB_LIVE_ASK_LIMIT": "100000 per minute",
           "EVENTHUB_LIVE_ASK_ADDRESS_LIMIT": "100000 per minute",
           "EVENTHUB_LIVE_VIEWER_MIN_AGE": "0"}
    if redis_url:
        env.update(SOCKETIO_MESSAGE_QUEUE=redis_url, REDIS_URL=redis_url)
    return gunicorn(port, "eventhub.wsgi:app", env)


def start_bare(port: int, redis_url: str | None = None):
    """The bare server on ``port`` (optionally with a Redis message queue)."""
    env = {"BENCH_QUEUE": redis_url} if redis_url else {}
    return gunicorn(port, "qa_fanout:bare_app()", {**env, "PYTHONPATH": str(ROOT / "bench")})


def start_nginx(folder: Path, app_ports: list[int],
                viewers: int) -> tuple[subprocess.Popen, int]:
    """nginx with deploy/'s site in front of ``app_ports``; the process and its port."""
    from tests.deploy.stack import NGINX, main_config, site_config

    port = free_port()
    folder.mkdir()
    site = folder / "eventhub.conf"
    site.write_text(site_config(port, app_ports))
    conf = folder / "nginx.conf"
    # Each viewer holds two connections in nginx: from the viewer and to the app.
    conf.write_text(main_config(folder, site, worker_connections=3 * viewers))
    process = subprocess.Popen([NGINX, "-p", str(folder), "-c", str(conf), "-g", "daemon off;"],
                               stderr=subprocess.DEVNULL)
    return process, port


class Asker:
    """One connected asker per server, as a viewer with a cookie on the live page."""

    def __init__(self, url: str):
        import socketio

        self.url = url
        self.client = socketio.Client(reconnection=False)
        self._connect()

    def _connect(self) -> None:
        self.client.connect(self.url, namespaces=[NS], transports=["websocket"],
                            headers={"Cookie": viewer_cookie()}, wait_timeout=30)
        ack = self.client.call("join", {"event": SLUG}, namespace=NS, timeout=30)
        assert ack["ok"], ack

    def ask(self, text: str) -> float:
        """Send ``text``; the time it was sent."""
        if not self.client.connected:
            # A loaded machine can miss the asker's ping while thousands of viewers
            # connect; the asker is not what is measured.
            self._connect()
        sent = time.time()
        ack = self.client.call("ask", {"text": text}, namespace=NS, timeout=30)
        assert ack["ok"], ack
        return sent

    def close(self) -> None:
        """Disconnect."""
        self.client.disconnect()


def summary(sent: dict[str, float], arrivals: dict[str, list[float]], size: int) -> dict:
    """p50 / p95 / max delivery (ms) and lost deliveries of the questions ``sent``."""
    delays = sorted((t - sent[text]) * 1000 for text in sent for t in arrivals.get(text, []))
    return {
        "p50": statistics.median(delays) if delays else float("nan"),
        "p95": delays[int(0.95 * (len(delays) - 1))] if delays else float("nan"),
        "max": delays[-1] if delays else float("nan"),
        "lost": size * len(sent) - len(delays),
    }


def measure(sides: dict[str, tuple[Asker, Audience]], size: int, samples: int) -> dict:
    """Ask ``samples`` questions on each side in turn; each side's delivery summary."""
    sent: dict[str, dict[str, float]] = {label: {} for label in sides}
    for index in range(samples):
        for label, (asker, _audience) in sides.items():
            text = f"{label} {size} question {index} : le débit suffit-il ?"
            sent[label][text] = asker.ask(text)
            # Long enough for the whole audience to have it before the next question.
            time.sleep(0.3 + size / 4000)
    time.sleep(1.0)
    return {label: summary(sent[label], audience.arrivals(), size)
            for label, (_asker, audience) in sides.items()}


def line(label: str, size: int, result: dict) -> str:
    """One printed line of figures."""
    return (f"  {label:<9} N={size:>5}: p50 {result['p50']:7.1f} ms  p95 {result['p95']:7.1f} ms"
            f"  max {result['max']:7.1f} ms  lost {result['lost']}")


def compare(servers: dict[str, list[str]], sizes: list[int], samples: int) -> dict:
    """Grow both audiences through ``sizes`` and measure both sides at each size."""
    audiences = {label: Audience(urls) for label, urls in servers.items()}
    askers = {label: Asker(urls[0]) for label, urls in servers.items()}
    results: dict[int, dict] = {}
    try:
        for size in sizes:
            began = time.monotonic()
            connected = {label: audience.grow_to(size) for label, audience in audiences.items()}
            print(f"  ({size} viewers per server connected in {time.monotonic() - began:.0f} s:"
                  f" {connected})", flush=True)
            # The joins change the viewer count, which eventhub sends to everyone once per
            # tick: let the last of those go before measuring questions.
            time.sleep(SETTLE_SECONDS)
            results[size] = measure({label: (askers[label], audiences[label])
                                     for label in servers}, size, samples)
            for label in servers:
                print(line(label, size, results[size][label]), flush=True)
    finally:
        for asker in askers.values():
            asker.close()
        for audience in audiences.values():
            audience.close()
    return results


def start_all(processes: list[tuple[subprocess.Popen, int]]) -> list[subprocess.Popen]:
    """Wait for every process to listen on its port."""
    for _process, port in processes:
        wait_until_serving(port)
    return [process for process, _port in processes]


def stop_all(processes: list[subprocess.Popen]) -> None:
    """End the servers."""
    for process in processes:
        process.terminate()
    for process in processes:
        process.wait(timeout=30)


def single_process(database_url: str, sizes: list[int], samples: int) -> None:
    """eventhub and the bare server, one process each, at each size."""
    bare_port, app_port = free_port(), free_port()
    servers = start_all([(start_bare(bare_port), bare_port),
                         (start_eventhub(database_url, app_port), app_port)])
    try:
        print(f"Delivery of a new question to N websocket viewers ({samples} questions per N "
              f"and server, alternating; gunicorn -c deploy/gunicorn.conf.py, one process "
              f"each)", flush=True)
        results = compare({"bare": [f"http://127.0.0.1:{bare_port}"],
                           "eventhub": [f"http://127.0.0.1:{app_port}"]}, sizes, samples)
    finally:
        stop_all(servers)
    print("\n    N   bare p50  eventhub p50  ratio   bare p95  eventhub p95  ratio "
          "(goal: p95 <= 1.25x at 2,000)")
    for size in sizes:
        bare, ours = results[size]["bare"], results[size]["eventhub"]
        print(f"{size:>5}  {bare['p50']:6.1f} ms  {ours['p50']:9.1f} ms"
              f"  {ours['p50'] / bare['p50']:4.2f}x  {bare['p95']:6.1f} ms  {ours['p95']:9.1f} ms"
              f"  {ours['p95'] / bare['p95']:4.2f}x")


def scale_out(database_url: str, redis_url: str, samples: int, folder: Path,
              viewers: int) -> None:
    """nginx, two processes joined by Redis, ``viewers`` spread by nginx, both servers."""
    sys.path.insert(0, str(ROOT))
    from tests.deploy.stack import NGINX
    from tests.servers import redis_unreachable

    reason = redis_unreachable(redis_url) or (None if Path(NGINX).exists() else "no nginx")
    if reason:
        print(f"\nscale-out skipped: {reason}")
        return
    bare_ports, app_ports = [free_port(), free_port()], [free_port(), free_port()]
    apps = start_all([(start_bare(port, redis_url), port) for port in bare_ports]
                     + [(start_eventhub(database_url, port, redis_url), port)
                        for port in app_ports])
    proxies = [start_nginx(folder / "nginx-bare", bare_ports, viewers),
               start_nginx(folder / "nginx-eventhub", app_ports, viewers)]
    servers = [*apps, *start_all(proxies)]
    try:
        print(f"\nThrough nginx to two processes each joined by a Redis message queue, "
              f"{viewers:,} viewers spread by nginx's hash:", flush=True)
        results = compare({"bare": [f"http://127.0.0.1:{proxies[0][1]}"],
                           "eventhub": [f"http://127.0.0.1:{proxies[1][1]}"]},
                          [viewers], samples)[viewers]
    finally:
        stop_all(servers)
    bare, ours = results["bare"], results["eventhub"]
    print(f"{viewers:,} viewers: bare p50 {bare['p50']:.1f} ms p95 {bare['p95']:.1f} ms,"
          f" eventhub p50 {ours['p50']:.1f} ms p95 {ours['p95']:.1f} ms, p95 ratio "
          f"{ours['p95'] / bare['p95']:.2f}x; lost deliveries: bare {bare['lost']}, "
          f"eventhub {ours['lost']} (goal 0)")


def main() -> None:
    """Run both servers at each size and print the ratios."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="500,1000,2000")
    parser.add_argument("--samples", type=int, default=20)
    parser.add_argument("--scale-out", action="store_true",
                        help="also nginx and two processes joined by Redis")
    parser.add_argument("--scale-out-viewers", type=int, default=4000)
    parser.add_argument("--redis", default=os.environ.get("TEST_REDIS_URL",
                                                          "redis://127.0.0.1:6379/15"))
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        asyncio.run(viewers_loop(args.worker.split(",")))
        return

    started = time.monotonic()
    with tempfile.TemporaryDirectory() as tmp:
        database_url = prepare_database(str(Path(tmp) / "bench.db"))
        single_process(database_url, [int(s) for s in args.sizes.split(",")], args.samples)
        if args.scale_out:
            scale_out(database_url, args.redis, args.samples, Path(tmp), args.scale_out_viewers)
    print(f"\n(total {time.monotonic() - started:.0f} s)")


if __name__ == "__main__":
    main()
