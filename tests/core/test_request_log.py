"""LOG_JSON: one JSON line per request, with route patterns, never a secret."""

from __future__ import annotations

import json
import logging

import pytest

from eventhub.registration import services
from tests.conftest import PASSWORD


class Lines(logging.Handler):
    """Keeps the formatted lines."""

    def __init__(self):
        super().__init__()
        self.lines: list[str] = []

    def emit(self, record):
        """Keep the line."""
        self.lines.append(record.getMessage())


@pytest.fixture
def request_lines():
    handler = Lines()
    logger = logging.getLogger("eventhub.requests")
    logger.addHandler(handler)
    yield handler.lines
    logger.removeHandler(handler)


def test_each_request_is_one_json_line_without_secrets(make_app, make_event, request_lines):
    app = make_app(LOG_JSON=True)
    with app.app_context():
        from eventhub.accounts.services import create_user, issue_token

        event = make_event()
        services.save_settings(event, 5, None, None, None)
        registration = services.register(event, "Ana Martin", "ana@example.org", "onsite")
        token, code = registration.token, registration.code
        door = create_user("door@example.org", PASSWORD, "door")
        bearer = issue_token(door, "scanner")
    client = app.test_client()
    answers = [
        client.get(f"/tickets/{token}?secret=s3cr3t-query").status_code,
        client.get(f"/tickets/{token}/qr.svg").status_code,
        client.post("/api/v1/events/rencontres/checkin", json={"code": code},
                    headers={"Authorization": f"Bearer {bearer}"}).status_code,
        client.post("/login", data={"email": "door@example.org",
                                    "password": PASSWORD}).status_code,
        client.get("/annuaire/modifier/private-link-token-123").status_code,
        client.get("/nowhere").status_code,
    ]
    assert answers == [200, 200, 200, 302, 404, 404]
    records = [json.loads(line) for line in request_lines]
    assert [(r["method"], r["route"], r["endpoint"], r["status"]) for r in records] == [
        ("GET", "/tickets/<token>", "registration.ticket", 200),
        ("GET", "/tickets/<token>/qr.<ext>", "registration.qr_image", 200),
        ("POST", "/api/v1/events/<slug>/checkin", "registration_api.check_in", 200),
        ("POST", "/login", "accounts.login", 302),
        ("GET", "/annuaire/modifier/<token>", "directory.edit", 404),
        ("GET", None, None, 404),
    ]
    assert all(r["time"].endswith("Z") and r["duration_ms"] >= 0 for r in records)
    text = "\n".join(request_lines)
    for secret in (token, code, bearer, PASSWORD, "s3cr3t-query", "private-link-token-123",
                   "ana@example.org", "door@example.org"):
        assert secret not in text


def test_nothing_is_logged_when_the_switch_is_off(client, request_lines):
    assert client.get("/healthz").status_code == 200
    assert request_lines == []
