"""The production stack of docs/deploy.md, started for a test: nginx, gunicorn, Redis.

nginx runs ``deploy/nginx/eventhub.conf`` with only its listen port, upstream ports and
static path substituted, inside a minimal main configuration with a temporary prefix.
The app processes run ``deploy/gunicorn.conf.py``. Redis is a server of its own, so that
a test may stop it, restart it empty, and leave every other Redis user alone.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def free_port() -> int:
    """A TCP port nobody listens on now."""
    with closing(socket.socket()) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, timeout: float = 30.0) -> None:
    """Wait until something accepts connections on ``port``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with closing(socket.socket()) as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise AssertionError(f"nothing listens on port {port}")


def site_config(public_port: int, app_ports: list[int]) -> str:
    """deploy/'s nginx site with this machine's listen port, app ports and static path."""
    text = (ROOT / "deploy" / "nginx" / "eventhub.conf").read_text()
    servers = re.findall(r"^\s*server 127\.0\.0\.1:\d+", text, flags=re.M)
    assert len(servers) == len(app_ports), "one upstream line per app process"
    for line, port in zip(servers, app_ports, strict=True):
        text = text.replace(line, re.sub(r":\d+", f":{port}", line), 1)
    substitutions = {"listen 80;": f"listen 127.0.0.1:{public_port};",
                     "/srv/eventhub/static/": f"{ROOT}/static/"}
    for old, new in substitutions.items():
        assert old in text, f"deploy/nginx/eventhub.conf no longer has {old!r}"
        text = text.replace(old, new)
    return text


def main_config(prefix: Path, site: Path, worker_connections: int = 4096) -> str:
    """A main nginx.conf around the site, every path under ``prefix``."""
    user = "user root;\n" if os.geteuid() == 0 else ""
    temp = "\n".join(f"    {name}_temp_path {prefix}/{name}_temp;"
                     for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    return f"""{user}worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
worker_rlimit_nofile {2 * worker_connections};
events {{ worker_connections {worker_connections}; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log {prefix}/access.log;
{temp}
    include {site};
}}
"""


@dataclass
class Stack:
    """Processes of one deployment; ``public`` is the only URL the tests talk to."""

    tmp: Path
    database_url: str
    presence_seconds: int = 6
    public_port: int = field(default_factory=free_port)
    redis_port: int = field(default_factory=free_port)
    app_ports: list[int] = field(default_factory=lambda: [free_port(), free_port()])
    apps: dict[int, subprocess.Popen] = field(default_factory=dict)
    redis: subprocess.Popen | None = None
    nginx: subprocess.Popen | None = None

    @property
    def public(self) -> str:
        """The public URL: nginx."""
        return f"http://127.0.0.1:{self.public_port}"

    @property
    def env(self) -> dict[str, str]:
        """The environment of docs/deploy.md's /etc/eventhub/env."""
        redis_url = f"redis://127.0.0.1:{self.redis_port}/0"
        env = {key: value for key, value in os.environ.items()
               if not key.startswith(("EVENTHUB_", "SOCKETIO_", "MAIL_"))}
        env.update(DATABASE_URL=self.database_url, SECRET_KEY="deploy-test-secret",
                   PUBLIC_URL=self.public, SOCKETIO_MESSAGE_QUEUE=redis_url,
                   EVENTHUB_PROXY_FIX="1", FLASK_APP="eventhub",
                   EVENTHUB_LIVE_PRESENCE_SECONDS=str(self.presence_seconds),
                   # The test's viewers ask as soon as they join; the age a new viewer
                   # cookie must reach is the security tests' business.
                   EVENTHUB_LIVE_VIEWER_MIN_AGE="0",
                   # A registration costs tens of milliseconds of CPU (its ticket mail
                   # draws a QR code); with 250 at once per process on a busy 2-CPU test
                   # machine, the last ones waited for a database connection longer
                   # than SQLAlchemy's 30 s.
                   EVENTHUB_SQLALCHEMY_ENGINE_OPTIONS='{"pool_pre_ping": true, '
                                                     '"pool_timeout": 120}')
        env.pop("REDIS_URL", None)
        return env

    def flask(self, *args: str) -> str:
        """Run a ``flask`` command as docs/deploy.md does; its output."""
        return subprocess.run([str(BIN / "flask"), *args], cwd=ROOT, env=self.env,
                              check=True, capture_output=True, text=True).stdout

    def start_redis(self) -> None:
        """An empty Redis (no persistence) on ``redis_port``."""
        self.redis = subprocess.Popen(
            ["redis-server", "--port", str(self.redis_port), "--bind", "127.0.0.1",
             "--save", "", "--appendonly", "no", "--dir", str(self.tmp)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for_port(self.redis_port)

    def stop_redis(self) -> None:
        """Stop Redis; what it held is gone."""
        self.redis.terminate()
        self.redis.wait(timeout=10)

    def start_app(self, port: int) -> None:
        """One app process, the command of the systemd unit."""
        with (self.tmp / f"app-{port}.log").open("ab") as log:
            self.apps[port] = subprocess.Popen(
                [str(BIN / "gunicorn"), "-c", "deploy/gunicorn.conf.py",
                 "--bind", f"127.0.0.1:{port}", "eventhub.wsgi:app"],
                cwd=ROOT, env=self.env, stdout=log, stderr=log, start_new_session=True)

    def wait_for_app(self, port: int, path: str, timeout: float = 30.0) -> None:
        """Wait until the app process answers ``path`` (setup only: tests use nginx)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if requests.get(f"http://127.0.0.1:{port}{path}", timeout=5).ok:
                    return
            except requests.RequestException:
                pass
            assert self.apps[port].poll() is None, self.app_log(port)
            time.sleep(0.2)
        raise AssertionError(f"the app on {port} did not answer:\n{self.app_log(port)}")

    def app_log(self, port: int) -> str:
        """What the app process on ``port`` printed."""
        return (self.tmp / f"app-{port}.log").read_text(errors="replace")[-5000:]

    def kill_app(self, port: int) -> None:
        """``kill -9`` the whole process (gunicorn's master and worker)."""
        os.killpg(self.apps[port].pid, signal.SIGKILL)
        self.apps[port].wait(timeout=10)

    def stop_app(self, port: int) -> float:
        """Stop the process as systemd does (SIGTERM); how many seconds it took."""
        began = time.monotonic()
        self.apps[port].terminate()
        self.apps[port].wait(timeout=60)
        return time.monotonic() - began

    def start_nginx(self) -> None:
        """nginx with deploy/'s site, in the foreground, under ``tmp``."""
        prefix = self.tmp / "nginx"
        prefix.mkdir()
        site = prefix / "eventhub.conf"
        site.write_text(site_config(self.public_port, self.app_ports))
        conf = prefix / "nginx.conf"
        conf.write_text(main_config(prefix, site))
        check = subprocess.run([NGINX, "-t", "-p", str(prefix), "-c", str(conf)],
                               capture_output=True, text=True)
        assert check.returncode == 0, check.stderr
        self.nginx = subprocess.Popen(
            [NGINX, "-p", str(prefix), "-c", str(conf), "-g", "daemon off;"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for_port(self.public_port)

    def stop(self) -> None:
        """End every process this stack started."""
        for process in [*self.apps.values(), self.nginx, self.redis]:
            if process is not None and process.poll() is None:
                process.terminate()
        for process in [*self.apps.values(), self.nginx, self.redis]:
            if process is not None:
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    process.kill()
