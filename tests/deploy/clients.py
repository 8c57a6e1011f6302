"""Clients that come from a chosen loopback address (127.0.0.2, 127.0.0.3, …).

nginx hashes the client address to pick an app process: clients from different
addresses spread over the processes, as browsers from different homes would.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from urllib.parse import urlsplit

import engineio
import requests
import socketio
from requests.adapters import HTTPAdapter

NS = "/live"


class _SourceAdapter(HTTPAdapter):
    def __init__(self, source: str):
        self.source = source
        super().__init__()

    def init_poolmanager(self, *args, **kwargs):
        kwargs["source_address"] = (self.source, 0)
        super().init_poolmanager(*args, **kwargs)


def http_from(source: str) -> requests.Session:
    """A requests session whose connections leave from ``source``."""
    session = requests.Session()
    adapter = _SourceAdapter(source)
    session.mount("http://", adapter)
    return session


def process_groups(public: str, sources: list[str]) -> list[list[str]]:
    """Split ``sources`` by the app process nginx sends them to.

    An Engine.IO session opened from one address is only known to its process: a packet
    posted to it from an address of the same process is accepted, from another process
    it gets 400 "Invalid session" (what clients would get without sticky sessions).
    """
    groups: list[list[str]] = []
    left = list(sources)
    while left:
        first = left.pop(0)
        opened = http_from(first).get(f"{public}/socket.io/?EIO=4&transport=polling",
                                      timeout=10)
        sid = json.loads(opened.text[1:])["sid"]  # Engine.IO's open packet: 0{…}
        group, others = [first], []
        for source in left:
            answer = http_from(source).post(
                f"{public}/socket.io/?EIO=4&transport=polling&sid={sid}",
                data=f"40{NS},".encode(),  # connect to the namespace
                timeout=10)
            assert answer.status_code in {200, 400}, answer.text
            (group if answer.status_code == 200 else others).append(source)
        groups.append(group)
        left = others
    return groups


class Viewer:
    """A python-socketio client from ``source`` that joins the live room as a page does.

    Like the page, it joins again with the version it holds on every (re)connection and
    on ``resync``, and it keeps what it receives.
    """

    def __init__(self, public: str, slug: str, source: str, transports: list[str],
                 auth: dict | None = None):
        self.public, self.slug, self.source = public, slug, source
        self.http = http_from(source)
        if auth is None:  # a viewer gets their cookie from the live page
            assert self.http.get(f"{public}/events/{slug}/live", timeout=10).ok
        self.version: int | None = None
        self.questions: dict[int, dict] = {}
        self.counts: list[int] = []
        self.joins = 0
        self.sessions = 0  # connections that joined
        self.disconnects = 0
        self.lock = threading.Lock()
        self.client = _BoundClient(source, http_session=self.http, reconnection_delay=0.5,
                                   reconnection_delay_max=1)
        self.client.on("connect", lambda: self._join(session=True), namespace=NS)
        self.client.on("disconnect", self._disconnected, namespace=NS)
        self.client.on("resync", lambda data=None: self._join(), namespace=NS)
        self.client.on("questions", self._listing, namespace=NS)
        self.client.on("question", self._question, namespace=NS)
        self.client.on("viewers", lambda data: self.counts.append(data["count"]),
                       namespace=NS)
        self.client.connect(public, namespaces=[NS], transports=transports, auth=auth,
                            wait_timeout=10)
        self.wait(lambda: self.version is not None, "the first join")

    def _join(self, session: bool = False) -> None:
        def joined(ack) -> None:
            assert ack["ok"], ack
            with self.lock:
                self.joins += 1
                self.sessions += session
                self.counts.append(ack["viewers"])

        self.client.emit("join", {"event": self.slug, "since": self.version}, namespace=NS,
                         callback=joined)

    def _disconnected(self, reason=None) -> None:
        with self.lock:
            self.disconnects += 1

    def settled(self) -> bool:
        """Connected, and joined since its last disconnection."""
        with self.lock:
            return self.client.connected and self.sessions == self.disconnects + 1

    def _listing(self, data) -> None:
        with self.lock:
            for question in data["questions"]:
                self.questions[question["id"]] = question
            self.version = data["version"]

    def _question(self, question) -> None:
        with self.lock:
            self.questions[question["id"]] = question

    def call(self, name: str, data: dict, timeout: float = 15) -> dict:
        """Emit ``name`` and return its acknowledgement."""
        return self.client.call(name, data, namespace=NS, timeout=timeout)

    def approved(self) -> set[str]:
        """The texts of the published questions this client knows."""
        with self.lock:
            return {q["text"] for q in self.questions.values() if q["status"] == "approved"}

    def wait(self, ready, what: str, timeout: float = 15) -> None:
        """Wait until ``ready()`` holds."""
        deadline = time.monotonic() + timeout
        while not ready():
            assert time.monotonic() < deadline, f"{self.source}: no {what} in {timeout} s"
            time.sleep(0.05)

    def close(self) -> None:
        """Disconnect for good."""
        self.client.disconnect()
        self.client.eio.close_bound()


class _BoundClient(socketio.Client):
    """Socket.IO client whose Engine.IO client is bound to ``source``."""

    def __init__(self, source: str, **options):
        self.source = source
        super().__init__(**options)

    def _engineio_client_class(self):
        return type("Bound", (_BoundEngineIO,), {"source": self.source})


class _BoundEngineIO(engineio.Client):
    """Engine.IO client whose websocket also leaves from ``source`` (polling uses the
    bound requests session)."""

    source = "127.0.0.1"
    bound: socket.socket | None = None

    def _connect_websocket(self, url, headers, engineio_path):
        self.close_bound()
        target = urlsplit(url)
        try:
            sock = socket.create_connection((target.hostname, target.port), timeout=10,
                                            source_address=(self.source, 0))
        except OSError as exc:  # as engineio answers its own failed connections
            raise engineio.exceptions.ConnectionError("Connection error") from exc
        self.bound = sock
        self.websocket_extra_options = {"socket": sock}
        return super()._connect_websocket(url, headers, engineio_path)

    def close_bound(self) -> None:
        """Close the socket of the last websocket (websocket-client leaves it open when
        the server drops the connection)."""
        if self.bound is not None:
            self.bound.close()
            self.bound = None
