"""SQLite specifics shared by the runtime engine and the migration runner."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy.engine import URL, make_url

from hive_core.errors import OperationalError


def is_sqlite(url: str | URL) -> bool:
    """Whether ``url`` names a SQLite database (any driver)."""
    return make_url(url).get_backend_name() == "sqlite"


def sqlite_file(url: str | URL) -> Path | None:
    """The database file a SQLite URL names; None for other engines, in-memory or URI-style databases."""
    sa_url = make_url(url)
    if sa_url.get_backend_name() != "sqlite":
        return None
    database = sa_url.database
    if not database or database == ":memory:" or database.startswith("file:") or sa_url.query.get("uri"):
        return None
    return Path(database)


def ensure_sqlite_directory(url: str | URL) -> None:
    """Create the folder of a SQLite file: SQLite creates the file, not its folder."""
    path = sqlite_file(url)
    if path is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OperationalError(
            f"cannot create folder {path.parent} for SQLite database {path}: {exc}", path=str(path)
        ) from exc


def configure_sqlite_connection(dbapi_connection: Any, _connection_record: Any) -> None:
    """``connect`` event handler: settings SQLite keeps per connection, not per file."""
    cursor = dbapi_connection.cursor()
    try:
        # Off by default in SQLite; without it ON DELETE CASCADE / SET NULL do nothing.
        cursor.execute("PRAGMA foreign_keys=ON")
        # WAL lets the API read while a worker writes; ignored for in-memory databases.
        cursor.execute("PRAGMA journal_mode=WAL")
        # With WAL, NORMAL is durable across application crashes and much faster than FULL.
        cursor.execute("PRAGMA synchronous=NORMAL")
        # Wait for a competing writer instead of failing at once with "database is locked".
        cursor.execute("PRAGMA busy_timeout=5000")
    finally:
        cursor.close()
