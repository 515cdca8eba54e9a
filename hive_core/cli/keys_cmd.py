"""`hive keys create|list|revoke`: API keys, straight in the database `hive up` uses."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import timedelta
from pathlib import Path
from typing import TypeVar

import typer
from sqlalchemy.ext.asyncio import AsyncSession

from hive_core.auth import create_api_key, list_api_keys, record_audit, revoke_api_key
from hive_core.cli.common import DataDirOption, build_settings, one_line_errors, out
from hive_core.db import create_engine, create_sessionmaker, upgrade_database_async, utcnow
from hive_core.db.models import UserRole

app = typer.Typer(help="API keys (shown once when created; stored hashed).", no_args_is_help=True)

UrlOption = typer.Option(None, "--url", help="Database URL. Env: HIVE_DATABASE__URL.")
# The audit log's actor for changes made from the command line.
CLI_ACTOR = "cli"

T = TypeVar("T")


def _in_session(url: str | None, data_dir: Path | None, work: Callable[[AsyncSession], Awaitable[T]]) -> T:
    """Run ``work`` in one committed transaction on the database `hive up` would use (migrated first)."""
    settings = build_settings(data_dir=data_dir, database__url=url)

    async def run() -> T:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        await upgrade_database_async(settings.database_url)
        engine = create_engine(settings.database_url)
        try:
            async with create_sessionmaker(engine)() as session, session.begin():
                return await work(session)
        finally:
            await engine.dispose()

    return asyncio.run(run())


@app.command("create")
@one_line_errors
def create(
    role: UserRole = typer.Option(
        UserRole.VIEWER, "--role", help="admin, operator, approver, viewer or service"
    ),
    name: str | None = typer.Option(None, "--name", help="What the key is for (default: <role>-key)"),
    expires_days: float | None = typer.Option(
        None, "--expires-days", min=0.0001, help="Days until the key stops working (default: never)"
    ),
    url: str | None = UrlOption,
    data_dir: Path | None = DataDirOption,
) -> None:
    """Create an API key and print it alone on the last line (it is not shown again)."""

    async def work(session: AsyncSession) -> tuple[str, str, str]:
        expires_at = utcnow() + timedelta(days=expires_days) if expires_days else None
        new = await create_api_key(
            session, name=name or f"{role.value}-key", role=role, expires_at=expires_at
        )
        record_audit(session, CLI_ACTOR, "create", "api_key", new.row.id, name=new.row.name, role=role.value)
        expiry = f", expires {expires_at:%Y-%m-%d %H:%M} UTC" if expires_at else ""
        return new.row.id, f"{new.row.name} ({role.value}{expiry})", new.secret

    key_id, description, secret = _in_session(url, data_dir, work)
    out.print(
        f"created API key {key_id}: {description}; store it now, it is not shown again:", highlight=False
    )
    out.print(secret, highlight=False, markup=False)


@app.command("list")
@one_line_errors
def list_(url: str | None = UrlOption, data_dir: Path | None = DataDirOption) -> None:
    """List API keys (prefix, role, state; never the secret)."""

    async def work(session: AsyncSession) -> list[str]:
        now = utcnow()
        lines = []
        for key in await list_api_keys(session):
            state = (
                "revoked"
                if key.revoked_at
                else "expired"
                if key.expires_at and key.expires_at <= now
                else "active"
            )
            lines.append(f"{key.id}  hive_{key.prefix}_…  {key.role.value:<8}  {state:<7}  {key.name}")
        return lines

    for line in _in_session(url, data_dir, work):
        out.print(line, highlight=False, markup=False)


@app.command("revoke")
@one_line_errors
def revoke(
    key_id: str = typer.Argument(..., help="The key's id (see `hive keys list`)"),
    url: str | None = UrlOption,
    data_dir: Path | None = DataDirOption,
) -> None:
    """Revoke an API key; it stops working at once."""

    async def work(session: AsyncSession) -> str:
        row = await revoke_api_key(session, key_id)
        record_audit(session, CLI_ACTOR, "revoke", "api_key", row.id, name=row.name)
        return row.name

    out.print(f"revoked API key {key_id} ({_in_session(url, data_dir, work)})", highlight=False)
