"""Demo accounts: one organiser with every right, so that every page can be tried."""

from __future__ import annotations

import secrets
from pathlib import Path

from flask import current_app

from eventhub.accounts import services

DEMO_EMAIL = "organisation@example.org"


def load(report) -> None:
    """Create the demo organiser once; its password is kept in ``instance/`` and printed."""
    password_file = Path(current_app.instance_path) / "demo_password"
    if services.find_user(DEMO_EMAIL) is None:
        password = secrets.token_urlsafe(12)
        services.create_user(DEMO_EMAIL, password, "admin", name="Équipe d'organisation")
        password_file.write_text(password)
        password_file.chmod(0o600)
    known = password_file.read_text().strip() if password_file.exists() else "(unchanged)"
    report.say(f"Demo organiser: {DEMO_EMAIL} / password: {known}")
