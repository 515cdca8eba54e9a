"""`hive credentials import|list`: n8n's credential exports into the store `hive up` uses."""

from __future__ import annotations

from pathlib import Path

import typer
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession

from hive_core.auth import record_audit
from hive_core.cli.common import DataDirOption, build_settings, err, load_cluster, one_line_errors, out
from hive_core.cli.keys_cmd import CLI_ACTOR, UrlOption, _in_session
from hive_core.credentials import (
    ImportReport,
    credential_warnings,
    import_credentials,
    list_credentials,
    load_cipher,
    read_export,
)
from hive_core.credentials.store import reencrypt_all
from hive_core.db import create_engine, create_sessionmaker
from hive_core.settings import HiveSettings
from n8n_import.plan import Plan

app = typer.Typer(help="Credentials of n8n nodes (stored encrypted; never printed).", no_args_is_help=True)


@app.command("import")
@one_line_errors
def import_(
    path: Path = typer.Argument(
        ...,
        exists=True,
        help="What `n8n export:credentials --all --decrypted` wrote: a JSON file, or a --separate directory",
    ),
    url: str | None = UrlOption,
    data_dir: Path | None = DataDirOption,
) -> None:
    """Import n8n's decrypted credential export (n8n's ids are kept; an existing id is replaced)."""
    entries = read_export(path)
    cipher = load_cipher(build_settings(data_dir=data_dir))

    async def work(session: AsyncSession) -> ImportReport:
        report = await import_credentials(session, cipher, entries)
        for credential_id in (*report.created, *report.replaced):
            action = "create" if credential_id in report.created else "replace"
            record_audit(session, CLI_ACTOR, action, "credential", credential_id, source="n8n export")
        return report

    report = _in_session(url, data_dir, work)
    names = {entry.id: f"{entry.name} ({entry.type}, id {entry.id})" for entry in entries}
    for credential_id in report.created:
        out.print(f"created   {names[credential_id]}", highlight=False, markup=False)
    for credential_id in report.replaced:
        out.print(f"replaced  {names[credential_id]}", highlight=False, markup=False)
    for credential_id, reason in report.failed.items():
        err.print(f"failed    {names[credential_id]}: {reason}", highlight=False, markup=False)
    out.print(
        f"imported {len(report.created) + len(report.replaced)} of {len(entries)} credentials",
        highlight=False,
    )
    if report.failed:
        raise typer.Exit(2)


@app.command("list")
@one_line_errors
def list_(url: str | None = UrlOption, data_dir: Path | None = DataDirOption) -> None:
    """List stored credentials: id, type, name (never their data)."""

    async def work(session: AsyncSession) -> list[str]:
        return [f"{row.id}  {row.type:<24}  {row.name}" for row in await list_credentials(session)]

    for line in _in_session(url, data_dir, work):
        out.print(line, highlight=False, markup=False)


@app.command("rekey")
@one_line_errors
def rekey(url: str | None = UrlOption, data_dir: Path | None = DataDirOption) -> None:
    """Re-encrypt every credential with the first key of HIVE_CREDENTIALS__KEY (after adding a new one)."""
    cipher = load_cipher(build_settings(data_dir=data_dir))

    async def work(session: AsyncSession) -> int:
        count = await reencrypt_all(session, cipher)
        record_audit(session, CLI_ACTOR, "rekey", "credential", None, count=count)
        return count

    out.print(
        f"re-encrypted {_in_session(url, data_dir, work)} credentials with the first key", highlight=False
    )


async def missing_credential_lines(settings: HiveSettings, plans: list[Plan]) -> list[str]:
    """`warning:` lines for credentials the plans reference that Hive holds neither in the store nor
    in hive.yaml (for `hive compile`); a database that does not exist yet holds none."""
    cluster = load_cluster(settings)
    url = settings.database_url
    sqlite_file = make_url(url).database if url.startswith("sqlite") else None
    if sqlite_file and not Path(sqlite_file).exists():
        found = [await credential_warnings(None, plan, cluster.credentials) for plan in plans]
    else:
        engine = create_engine(url)
        try:
            async with create_sessionmaker(engine)() as session:
                found = [await credential_warnings(session, plan, cluster.credentials) for plan in plans]
        except (OSError, SQLAlchemyError) as error:
            return [f"note: credentials not checked, the database cannot be read ({type(error).__name__})"]
        finally:
            await engine.dispose()
    return [f"warning: {d.render()}" for diagnostics in found for d in diagnostics]
