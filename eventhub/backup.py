"""Backing up and restoring the database: ``flask backup PATH``, ``flask restore PATH``.

SQLite uses its online backup API: the copy is a consistent snapshot taken while the
app keeps serving (in WAL mode readers and writers go on; writes committed after the
snapshot began are not in it). PostgreSQL uses ``pg_dump`` / ``pg_restore`` (custom
format), run here when they are installed; otherwise the operator is told the commands.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from pathlib import Path

import sqlalchemy as sa

from eventhub.errors import Refused
from eventhub.extensions import db


def _libpq_url(url: sa.URL) -> str:
    """``url`` as pg_dump and pg_restore read it (no SQLAlchemy driver name)."""
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def _postgres_tool(name: str, arguments: list[str]) -> None:
    """Run ``pg_dump`` or ``pg_restore``; refuse, saying how, when it is not installed."""
    program = shutil.which(name)
    if program is None:
        raise Refused("tool_missing", f"{name} is not installed (Debian: apt-get install "
                      f"postgresql-client); run: {name} {' '.join(arguments)}")
    # The program is the installed pg_dump or pg_restore; the arguments are ours.
    finished = subprocess.run([program, *arguments], capture_output=True, text=True,  # noqa: S603
                              check=False)
    if finished.returncode != 0:
        raise Refused("tool_failed", f"{name} failed: {finished.stderr.strip()}")


def _sqlite_file(url: sa.URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise Refused("bad_request", "An in-memory SQLite database cannot be backed up.")
    return Path(url.database)


def backup(path: Path) -> None:
    """Write a backup of the app's database to ``path`` (which must not exist)."""
    if path.exists():
        raise Refused("conflict", f"{path} already exists: choose a new file.")
    url = db.engine.url
    if url.get_backend_name() == "postgresql":
        _postgres_tool("pg_dump", ["--format=custom", "--no-owner", f"--file={path}",
                                   _libpq_url(url)])
        return
    _sqlite_file(url)
    source = db.engine.raw_connection()
    try:
        with sqlite3.connect(path) as target:
            source.driver_connection.backup(target)
        target.close()
    finally:
        source.close()


def _check_sqlite_backup(path: Path) -> None:
    """Refuse a file that is not an eventhub SQLite backup."""
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as probe:
            probe.execute("SELECT version_num FROM alembic_version").fetchall()
        probe.close()
    except sqlite3.Error:
        raise Refused("bad_request", f"{path} is not an eventhub SQLite backup.") from None


def restore(path: Path) -> None:
    """Replace the app's database with the backup at ``path``.

    Run it with the app stopped: on SQLite the database is overwritten in place; on
    PostgreSQL ``pg_restore --clean`` drops and recreates each object it holds.
    """
    if not path.is_file():
        raise Refused("not_found", f"{path} is not a file.")
    url = db.engine.url
    db.session.remove()
    db.engine.dispose()
    if url.get_backend_name() == "postgresql":
        _postgres_tool("pg_restore", ["--clean", "--if-exists", "--no-owner",
                                      "--single-transaction", f"--dbname={_libpq_url(url)}",
                                      str(path)])
        return
    target = _sqlite_file(url)
    _check_sqlite_backup(path)
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as source:
        with sqlite3.connect(target) as destination:
            source.backup(destination)
        destination.close()
    source.close()
