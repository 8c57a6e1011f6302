"""Fixtures of the core tests."""

from __future__ import annotations

import pytest

from eventhub import create_app
from eventhub.extensions import db
from tests.conftest import IsolatedClient, free_port


@pytest.fixture
def dead_database_app(test_config, _migrated):
    """An app whose PostgreSQL server refuses connections (a closed port)."""
    url = f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/eventhub"
    app = create_app({**test_config, "SQLALCHEMY_DATABASE_URI": url})
    app.test_client_class = IsolatedClient
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
