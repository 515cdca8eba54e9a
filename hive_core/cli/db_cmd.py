"""`hive db ...`: migrations of Hive's own database."""

from __future__ import annotations

from pathlib import Path

import typer

from hive_core.cli.common import DataDirOption, build_settings, one_line_errors, out
from hive_core.db.migrate import current_revision, downgrade_database, upgrade_database

app = typer.Typer(help="Hive's database (SQLite file by default, PostgreSQL by URL).", no_args_is_help=True)

UrlOption = typer.Option(None, "--url", help="Database URL. Env: HIVE_DATABASE__URL.")


@app.command("upgrade")
@one_line_errors
def upgrade(
    revision: str = typer.Argument("head"),
    url: str | None = UrlOption,
    data_dir: Path | None = DataDirOption,
) -> None:
    """Apply migrations up to REVISION (default: head)."""
    settings = build_settings(data_dir=data_dir, database__url=url)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    upgrade_database(settings.database_url, revision)
    out.print(f"database at revision {current_revision(settings.database_url)}")


@app.command("downgrade")
@one_line_errors
def downgrade(
    revision: str = typer.Argument(..., help="Target revision, e.g. base"),
    url: str | None = UrlOption,
    data_dir: Path | None = DataDirOption,
) -> None:
    """Revert migrations down to REVISION."""
    settings = build_settings(data_dir=data_dir, database__url=url)
    downgrade_database(settings.database_url, revision)
    out.print(f"database at revision {current_revision(settings.database_url)}")


@app.command("current")
@one_line_errors
def current(url: str | None = UrlOption, data_dir: Path | None = DataDirOption) -> None:
    """Print the database's migration revision."""
    settings = build_settings(data_dir=data_dir, database__url=url)
    out.print(current_revision(settings.database_url) or "none")
