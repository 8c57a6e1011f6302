"""docs/deploy.md's recipe, run: nginx, two gunicorn processes, PostgreSQL, Redis.

Every request goes through nginx, from loopback addresses that nginx's hash spreads
over both processes. The tests run in order on one stack: the pages and the door, live
questions across processes, the faults (Redis down and back empty, a process stopped, a
process killed with -9), then a burst of registrations and one of 1,000 viewers right
after both processes start again.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import icalendar
import psycopg
import pytest
import qrcode
import socketio
import sqlalchemy as sa
from PIL import Image

from tests.deploy.clients import Viewer, http_from, process_groups
from tests.deploy.stack import NGINX, Stack
from tests.servers import postgres_unreachable

pytestmark = pytest.mark.deploy

SLUG = "direct"
PASSWORD = "correct horse battery"
SOURCES = [f"127.0.0.{i}" for i in range(2, 18)]
BURST = 500
VIEWER_BURST = 1000


def _reason_to_skip() -> str | None:
    if not os.path.exists(NGINX):
        return "nginx is not installed and could not be (make nginx installs Debian's)"
    if shutil.which("redis-server") is None:
        return "redis-server is not installed: the faults need a Redis of their own"
    if not os.environ.get("TEST_DATABASE_URL"):
        return ("the deployment runs on PostgreSQL: set TEST_DATABASE_URL "
                "(make test runs it in its PostgreSQL pass)")
    return postgres_unreachable(os.environ["TEST_DATABASE_URL"])


def _fresh_database() -> str:
    """A new database beside the suite's, for the app processes alone."""
    target = sa.engine.make_url(os.environ["TEST_DATABASE_URL"])
    name = f"{target.database}_deploy"
    with psycopg.connect(host=target.host or "127.0.0.1", port=target.port or 5432,
                         user=target.username or "postgres", password=target.password,
                         dbname="postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return target.set(database=name).render_as_string(hide_password=False)


def _seed(database_url: str) -> None:
    """A published event with a slot on air, pre-moderated questions and 1,000 places."""
    from eventhub import create_app
    from eventhub.extensions import db
    from eventhub.registration import services
    from tests.live.helpers import live_event

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "seed",
                      "SOCKETIO_MESSAGE_QUEUE": None, "REDIS_URL": None})
    with app.app_context():
        event = live_event(SLUG, premoderation=True)
        services.save_settings(event, 1000, None, None, None)
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    """The whole deployment; yields the :class:`Stack` once nginx answers."""
    reason = _reason_to_skip()
    if reason:
        pytest.skip(reason)
    deployment = Stack(tmp_path_factory.mktemp("deploy"), _fresh_database())
    try:
        deployment.start_redis()
        deployment.flask("init-db")
        for email, role in (("porte@example.org", "door"), ("mod@example.org", "moderator")):
            deployment.flask("create-user", email, "--role", role, "--password", PASSWORD)
        _seed(deployment.database_url)
        for port in deployment.app_ports:
            deployment.start_app(port)
        for port in deployment.app_ports:
            deployment.wait_for_app(port, f"/events/{SLUG}")
        deployment.start_nginx()
        yield deployment
    finally:
        deployment.stop()


def _registration_code(database_url: str, email: str) -> str:
    engine = sa.create_engine(database_url)
    try:
        with engine.connect() as conn:
            return conn.scalar(sa.text("SELECT code FROM registration WHERE email = :email"),
                               {"email": email})
    finally:
        engine.dispose()


def _assert_public_links(stack: Stack, page: str) -> None:
    """No address of an app process, and every absolute local link on the public URL."""
    for port in stack.app_ports:
        assert f":{port}" not in page
    for url in re.findall(r'(?:href|src|action)="(https?://[^"]+)"', page):
        if "127.0.0.1" in url or "localhost" in url:
            assert url.startswith(stack.public + "/"), url


def test_pages_a_registration_its_ticket_a_check_in_and_the_calendar(stack):
    browser = http_from("127.0.0.2")
    home = browser.get(f"{stack.public}/", timeout=10)
    assert home.status_code == 200 and home.headers["Content-Encoding"] == "gzip"
    _assert_public_links(stack, home.text)

    stylesheet = re.search(r'href="(/static/[^"?]+\.css)', home.text).group(1)
    plain = browser.get(f"{stack.public}{stylesheet}", timeout=10)
    assert plain.status_code == 200 and plain.headers["Cache-Control"] == "no-cache"
    assert plain.headers["Content-Encoding"] == "gzip"
    versioned = browser.get(f"{stack.public}{stylesheet}?v=3", timeout=10)
    assert versioned.headers["Cache-Control"] == "public, max-age=31536000, immutable"

    form = browser.get(f"{stack.public}/events/{SLUG}/register", timeout=10)
    _assert_public_links(stack, form.text)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form.text).group(1)
    sent = browser.post(f"{stack.public}/events/{SLUG}/register", timeout=10,
                        allow_redirects=False,
                        data={"csrf_token": token, "name": "Camille Martin",
                              "email": "camille@example.org", "attendance": "onsite",
                              "consent": "y"})
    assert sent.status_code == 302, sent.text
    location = sent.headers["Location"]
    assert location.startswith(("/tickets/", f"{stack.public}/tickets/")), location
    ticket = browser.get(location if location.startswith("http") else stack.public + location,
                         timeout=10)
    assert ticket.status_code == 200 and "Camille Martin" in ticket.text
    _assert_public_links(stack, ticket.text)

    # The QR image holds the ticket's code: its modules are those of that code's QR.
    code = _registration_code(stack.database_url, "camille@example.org")
    png = browser.get(f"{ticket.url}/qr.png", timeout=10)
    image = Image.open(io.BytesIO(png.content)).convert("L")
    expected = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4)
    expected.add_data(code)
    matrix = expected.get_matrix()
    box = image.width // len(matrix)
    modules = [[image.getpixel((x * box + box // 2, y * box + box // 2)) < 128
                for x in range(len(matrix))] for y in range(len(matrix))]
    assert modules == matrix

    bearer = stack.flask("create-token", "porte@example.org", "--label", "door").strip()
    door = http_from("127.0.0.3")
    door.headers["Authorization"] = f"Bearer {bearer}"
    scans = [door.post(f"{stack.public}/api/v1/events/{SLUG}/checkin", json={"code": code},
                       timeout=10).json()["result"] for _ in range(2)]
    assert scans == ["ok", "already_checked_in"]

    feed = browser.get(f"{stack.public}/events/{SLUG}/programme.ics", timeout=10)
    calendar = icalendar.Calendar.from_ical(feed.content)
    events = calendar.walk("VEVENT")
    assert sorted(str(e["SUMMARY"]) for e in events) == ["Atelier suivant",
                                                         "Table ronde en cours"]
    for event in events:
        if "URL" in event:
            assert str(event["URL"]).startswith(f"{stack.public}/"), event["URL"]


@pytest.fixture(scope="module")
def audience(stack):
    """Viewers from every source address (half websocket, half polling-then-upgrade),
    a moderator on one process and an asker on the other."""
    groups = process_groups(stack.public, SOURCES)
    assert len(groups) == 2 and min(len(g) for g in groups) >= 2, groups
    viewers = [Viewer(stack.public, SLUG, source,
                      ["websocket"] if index % 2 else ["polling", "websocket"])
               for index, source in enumerate(SOURCES)]
    bearer = stack.flask("create-token", "mod@example.org").strip()
    moderator = Viewer(stack.public, SLUG, groups[1][0], ["websocket"],
                       auth={"token": bearer})
    asker = next(v for v in viewers if v.source == groups[0][0])
    yield {"groups": groups, "viewers": viewers, "moderator": moderator, "asker": asker}
    for client in [*viewers, moderator]:
        client.close()


def _ask_and_approve(audience: dict, text: str) -> None:
    for client in (audience["asker"], audience["moderator"]):
        client.wait(client.settled, "connection", timeout=15)
    try:
        ack = audience["asker"].call("ask", {"text": text})
    except (socketio.exceptions.TimeoutError, socketio.exceptions.BadNamespaceError):
        # The asker's process went away before the asker noticed: as a person would,
        # ask again once connected (nothing was saved: the process never answered).
        audience["asker"].wait(audience["asker"].settled, "connection", timeout=15)
        ack = audience["asker"].call("ask", {"text": text})
    assert ack["ok"] and ack["question"]["status"] == "pending", ack
    moderator = audience["moderator"]
    approved = moderator.call("moderate", {"question": ack["question"]["id"],
                                           "action": "approve"})
    assert approved["ok"], approved


def _everyone_has(audience: dict, texts: set[str], timeout: float = 15) -> None:
    for viewer in audience["viewers"]:
        viewer.wait(lambda v=viewer: texts <= v.approved(), f"questions {texts}", timeout)


def _counts_settle(audience: dict, timeout: float) -> None:
    """Every viewer is told the true number of viewers (the moderator is not one)."""
    viewers = audience["viewers"]
    for viewer in viewers:
        viewer.wait(lambda v=viewer: v.counts and v.counts[-1] == len(viewers),
                    f"viewer count of {len(viewers)}", timeout)
    assert min(count for v in viewers for count in v.counts) >= 0


def test_a_question_asked_on_one_process_and_approved_on_the_other_reaches_everyone(
        stack, audience):
    upgraded = [v.client.transport() for v in audience["viewers"]]
    assert upgraded == ["websocket"] * len(SOURCES)
    _ask_and_approve(audience, "Le réseau tient-il ?")
    _everyone_has(audience, {"Le réseau tient-il ?"}, timeout=10)
    _counts_settle(audience, timeout=10)


def test_redis_down_then_back_empty_loses_no_question(stack, audience):
    stack.stop_redis()
    began = time.monotonic()
    _ask_and_approve(audience, "Et sans Redis ?")
    assert time.monotonic() - began < 10
    stack.start_redis()
    # Approved while Redis was away: each process subscribes again and has its viewers
    # fetch what changed since their version.
    _everyone_has(audience, {"Et sans Redis ?"}, timeout=15)
    _ask_and_approve(audience, "Et après son retour ?")
    _everyone_has(audience, {"Et après son retour ?"}, timeout=5)
    # The restarted Redis is empty: the presence it lost comes back with the next beats.
    _counts_settle(audience, timeout=3 * stack.presence_seconds)


def test_a_stopped_process_closes_its_live_connections_at_once(stack, audience):
    seconds = stack.stop_app(stack.app_ports[0])
    assert seconds < 8, f"{seconds:.1f} s\n{stack.app_log(stack.app_ports[0])}"
    _ask_and_approve(audience, "Tout le monde est passé de l'autre côté ?")
    _everyone_has(audience, {"Tout le monde est passé de l'autre côté ?"})
    stack.start_app(stack.app_ports[0])
    stack.wait_for_app(stack.app_ports[0], f"/events/{SLUG}")
    _counts_settle(audience, timeout=3 * stack.presence_seconds)


# Right after the stop above: the other process had restarted a moment before this one
# dies. nginx once counted it down too and answered 502 to everyone for longer than its
# fail_timeout; deploy/nginx/eventhub.conf keeps no failure count (max_fails=0).
def test_a_killed_process_loses_nothing_and_its_viewers_stop_counting(stack, audience):
    try:
        before = {v.source: v.sessions for v in audience["viewers"]}
        speakers = (audience["asker"], audience["moderator"])
        # Each client's own count: the asker and the moderator may share an address with a
        # viewer, so counts by address would compare one client's drops with another's.
        dropped = {id(client): client.disconnects for client in speakers}
        stack.kill_app(stack.app_ports[1])
        for client in speakers:
            client.wait(lambda c=client: c.disconnects > dropped[id(c)], "drop")
        _ask_and_approve(audience, "Qui a débranché le serveur ?")
        _everyone_has(audience, {"Le réseau tient-il ?", "Et sans Redis ?",
                                 "Et après son retour ?", "Qui a débranché le serveur ?"})
        # Every viewer was on the killed process (the stop sent them there) and joined again.
        assert all(v.sessions > before[v.source] for v in audience["viewers"])
        # The killed process never said its viewers left: they expire from the presence.
        _counts_settle(audience, timeout=3 * stack.presence_seconds)
    finally:
        # Whatever happened, the next tests find both processes serving.
        if stack.apps[stack.app_ports[1]].poll() is not None:
            stack.start_app(stack.app_ports[1])
        stack.wait_for_app(stack.app_ports[1], f"/events/{SLUG}")


def _start_again(stack: Stack) -> None:
    """Both app processes stopped (if running) and started: the moment right after start."""
    for port in stack.app_ports:
        if stack.apps[port].poll() is None:
            stack.stop_app(port)
        stack.start_app(port)
    for port in stack.app_ports:
        stack.wait_for_app(port, f"/events/{SLUG}")


def test_a_burst_of_registrations_right_after_start_gets_no_error(stack, audience):
    for client in [*audience["viewers"], audience["moderator"]]:
        client.close()
    _start_again(stack)
    # From 500 addresses (the limit of 30 per minute counts per address), all at once.
    sources = [f"127.0.{1 + i // 250}.{1 + i % 250}" for i in range(BURST)]
    start = threading.Barrier(BURST)

    def register(index: int) -> tuple[int, dict]:
        session = http_from(sources[index])
        start.wait()
        answer = session.post(f"{stack.public}/api/v1/events/{SLUG}/registrations",
                              json={"name": f"Personne {index}",
                                    "email": f"p{index}@example.org", "attendance": "onsite"},
                              timeout=60)
        return answer.status_code, answer.json()

    with ThreadPoolExecutor(BURST) as pool:
        answers = list(pool.map(register, range(BURST)))
    assert [status for status, _body in answers] == [201] * BURST
    assert {body["status"] for _status, body in answers} == {"confirmed"}
    assert all(body["ticket_url"].startswith(f"{stack.public}/tickets/")
               for _status, body in answers)


def _polling_viewer(public: str, source: str, start: threading.Barrier) -> list[str]:
    """One viewer connecting as a browser without websockets does, from ``source``: open
    an Engine.IO session, connect to /live, join the event; every answer's status and the
    packets that matter, in order."""
    session = http_from(source)
    base = f"{public}/socket.io/?EIO=4&transport=polling"
    start.wait()
    seen: list[str] = []
    opened = session.get(base, timeout=60)
    seen.append(str(opened.status_code))
    if opened.status_code != 200:
        return seen
    url = f"{base}&sid={json.loads(opened.text[1:])['sid']}"
    for body in ("40/live,", '42/live,1["join",{"event":"' + SLUG + '"}]'):
        seen.append(str(session.post(url, data=body.encode(), timeout=60).status_code))
    # The connection's and the join's answers may come over several polls.
    for _ in range(6):
        polled = session.get(url, timeout=60)
        seen.append(str(polled.status_code))
        packets = polled.text.split("\x1e") if polled.status_code == 200 else []
        seen += [p for p in packets if p.startswith(("40/live", "44/live", "43/live,1"))]
        if any(p.startswith("43/live,1") for p in seen) or polled.status_code != 200:
            break
    return seen


def test_a_thousand_viewers_connecting_at_once_right_after_start_get_no_error(stack):
    _start_again(stack)
    sources = [f"127.1.{i // 250}.{1 + i % 250}" for i in range(VIEWER_BURST)]
    start = threading.Barrier(VIEWER_BURST)
    with ThreadPoolExecutor(VIEWER_BURST) as pool:
        answers = list(pool.map(lambda s: _polling_viewer(stack.public, s, start), sources))
    statuses = [item for seen in answers for item in seen if item.isdigit()]
    assert statuses and set(statuses) == {"200"}, sorted(set(statuses))
    # Every one connected to /live (no refusal) and got its join acknowledged.
    assert all(any(p.startswith("40/live,{") for p in seen) for seen in answers)
    assert not any(p.startswith("44/live") for seen in answers for p in seen)
    acks = [json.loads(p[len("43/live,1"):])[0] for seen in answers for p in seen
            if p.startswith("43/live,1")]
    assert len(acks) == VIEWER_BURST and all(ack["ok"] for ack in acks)
    # The last ones to join see (nearly) the whole burst counted, across both processes.
    assert max(ack["viewers"] for ack in acks) >= VIEWER_BURST * 9 // 10
