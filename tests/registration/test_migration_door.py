"""The door migration gives every registration already stored a short code."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from eventhub import create_app
from eventhub.extensions import db
from eventhub.programme.models import Event


def test_existing_registrations_get_distinct_short_codes_and_french(test_config, tmp_path):
    app = create_app({**test_config,
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'old.db'}"})
    with app.app_context():
        upgrade(revision="heads")
        downgrade(revision="0003_registration")
        with db.engine.begin() as connection:
            connection.execute(sa.insert(Event.__table__).values(
                id=1, slug="aubrac", title="Aubrac", start_date=date(2030, 10, 28),
                end_date=date(2030, 10, 28)))
            for n in range(3):
                connection.execute(sa.text(
                    "INSERT INTO registration (event_id, token, code, name, email, "
                    "organisation, attendance, status, created_at) VALUES (1, :t, :c, :n, "
                    ":e, '', 'onsite', 'confirmed', '2030-10-01 08:00:00')"),
                    {"t": f"token{n}", "c": f"code{n}", "n": f"P{n}", "e": f"p{n}@x.org"})
        upgrade(revision="heads")
        with db.engine.connect() as connection:
            rows = connection.execute(sa.text(
                "SELECT short_code, language FROM registration")).all()
        db.engine.dispose()
    codes = [row.short_code for row in rows]
    assert len(codes) == 3 and len(set(codes)) == 3
    assert all(len(code) == 8 and not set(code) & set("01OIL") for code in codes)
    assert [row.language for row in rows] == ["fr", "fr", "fr"]
