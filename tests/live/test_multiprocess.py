"""Two real server processes joined by a Redis message queue share the live rooms."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from contextlib import closing
from pathlib import Path

import pytest
import requests
import socketio as socketio_client

from eventhub.live.viewer import COOKIE, sign
from tests.live.helpers import live_event
from tests.servers import redis_unreachable

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.redis


def free_port() -> int:
    """A TCP port nobody listens on now."""
    with closing(socket.socket()) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(database_url: str, port: int) -> subprocess.Popen:
    """Serve the app with gevent on ``port`` (the production async mode), queue on Redis."""
    env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": "test-secret-key",
           "SOCKETIO_ASYNC_MODE": "gevent", "SOCKETIO_MESSAGE_QUEUE": REDIS_URL,
           "REDIS_URL": REDIS_URL, "PUBLIC_URL": f"http://127.0.0.1:{port}",
           "EVENTHUB_LIVE_VIEWER_MIN_AGE": "0"}
    return subprocess.Popen(
        [sys.executable, "-m", "gevent.monkey", "--module", "eventhub.serve",
         "--host", "127.0.0.1", "--port", str(port)],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )


def wait_until_serving(base: str, timeout: float = 20.0) -> None:
    """Poll the live page until the server answers."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if requests.get(f"{base}/events/direct/live", timeout=5).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.1)
    raise AssertionError(f"{base} did not start")


@pytest.fixture
def two_servers(app, database_url):
    """Two gevent processes on two ports, one Redis queue; yields their base URLs."""
    reason = redis_unreachable(REDIS_URL)
    if reason:
        pytest.skip(reason)
    live_event(premoderation=False)
    ports = [free_port(), free_port()]
    processes = [start_server(database_url, port) for port in ports]
    try:
        bases = [f"http://127.0.0.1:{port}" for port in ports]
        for base in bases:
            wait_until_serving(base)
        yield bases
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=10)


def connect(base: str, viewer: str) -> tuple[socketio_client.Client, dict]:
    """A websocket viewer on ``base`` that records the events it receives."""
    client = socketio_client.Client(reconnection=False)
    inbox: dict[str, list] = {"question": [], "votes": []}
    arrived = threading.Event()

    def keep(name):
        def handler(data):
            inbox[name].append(data)
            arrived.set()
        return handler

    for name in inbox:
        client.on(name, keep(name), namespace="/live")
    client.connect(base, namespaces=["/live"], transports=["websocket"],
                   headers={"Cookie": f"{COOKIE}={sign(viewer)}"}, wait_timeout=10)
    ack = client.call("join", {"event": "direct"}, namespace="/live", timeout=10)
    assert ack["ok"] is True
    return client, inbox


def wait_for(inbox: dict, name: str, timeout: float = 10.0) -> list:
    """Wait until ``name`` events arrived."""
    deadline = time.monotonic() + timeout
    while not inbox[name] and time.monotonic() < deadline:
        time.sleep(0.05)
    return inbox[name]


def test_a_question_asked_on_one_process_reaches_a_viewer_of_the_other(two_servers):
    first, second = two_servers
    asker, _ = connect(first, "asker")
    watcher, inbox = connect(second, "watcher")
    try:
        ack = asker.call("ask", {"text": "Bonjour de l'autre processus ?"}, namespace="/live",
                         timeout=10)
        assert ack["ok"] is True
        assert [q["text"] for q in wait_for(inbox, "question")] == [
            "Bonjour de l'autre processus ?"]
        vote = asker.call("vote", {"question": ack["question"]["id"]}, namespace="/live",
                          timeout=10)
        assert vote["ok"] is True
        assert wait_for(inbox, "votes")[-1]["questions"] == [
            {"id": ack["question"]["id"], "votes": 1}]
    finally:
        asker.disconnect()
        watcher.disconnect()
