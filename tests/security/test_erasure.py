"""Issue 12, item 16: an erased directory entry's text is gone from the SQLite files,
the write-ahead log included."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from eventhub.directory import services
from eventhub.extensions import db

MARKERS = (b"Zorglub Quenouille", b"presentation-7781-secrete", b"zorglub@example.org")


def _raw_files() -> list[Path]:
    url = sa.engine.make_url(str(db.engine.url))
    if url.get_backend_name() != "sqlite":
        pytest.skip("the raw files searched are SQLite's (PostgreSQL: see SECURITY.md)")
    main = Path(url.database)
    return [path for path in (main, Path(f"{main}-wal")) if path.exists()]


def test_erased_entry_leaves_no_text_in_the_database_files(make_teleworker, moderator):
    person, _ = make_teleworker(name="Zorglub Quenouille", email="zorglub@example.org",
                                presentation="Ma presentation-7781-secrete.")
    services.update_entry(person, {**_fields(person), "activity": "Relieur"}, moderator)
    before = b"".join(path.read_bytes() for path in _raw_files())
    assert all(marker in before for marker in MARKERS)  # the search does find them
    services.erase(person)
    db.session.remove()
    for path in _raw_files():
        content = path.read_bytes()
        assert not [marker for marker in MARKERS if marker in content], path.name


def _fields(person) -> dict:
    return {"name": person.name, "status": person.status, "activity": person.activity,
            "commune": person.commune, "website": person.website,
            "presentation": person.presentation, "email": person.email,
            "skills": ", ".join(skill.name for skill in person.skills)}
