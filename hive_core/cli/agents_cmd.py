"""`hive agents`: every agent with its health, from the API (``--api``) or the database and hive.yaml."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import typer

from hive_core.cli.common import (
    ConfigOption,
    DataDirOption,
    build_settings,
    load_cluster,
    one_line_errors,
    out,
)

COLUMNS = ("ID", "ENDPOINT", "MODELS", "STATUS", "IN-FLIGHT", "TOK/S", "LAST SEEN")


def _ago(value: str | None, now: datetime) -> str:
    if not value:
        return "never"
    seconds = int((now - datetime.fromisoformat(value)).total_seconds())
    if seconds < 120:
        return f"{max(seconds, 0)}s ago"
    if seconds < 7200:
        return f"{seconds // 60}m ago"
    return f"{seconds // 3600}h ago"


def agent_row(view: dict[str, Any], now: datetime) -> tuple[str, ...]:
    """One table row from an agent as the API shows it (``AgentView`` as JSON)."""
    agent, live = view["agent"], view["live"]
    tps = live.get("tokens_per_second")
    in_flight = live.get("in_flight")
    return (
        agent["id"],
        agent["endpoint"],
        ",".join(agent["models"]),
        live["status"],
        "-" if in_flight is None else str(in_flight),
        "-" if tps is None else f"{tps:.1f}",
        _ago(live.get("last_seen_at"), now),
    )


def render_table(rows: list[tuple[str, ...]]) -> str:
    """Plain, aligned columns (no wrapping, no box): read by people and by scripts."""
    table = [COLUMNS, *rows]
    widths = [max(len(row[i]) for row in table) for i in range(len(COLUMNS))]
    return "\n".join(
        "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip() for row in table
    )


def _from_api(url: str, api_key: str | None) -> list[dict[str, Any]]:
    import httpx

    from hive_core.auth import AuthenticationError
    from hive_core.errors import EngineUnavailableError, HiveError

    headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
    try:
        response = httpx.get(f"{url.rstrip('/')}/api/agents", headers=headers, timeout=10)
    except httpx.HTTPError as exc:
        raise EngineUnavailableError(f"cannot reach the Hive API at {url}: {exc}") from None
    if response.status_code in (401, 403):
        reason = "was refused" if api_key else "needs an API key"
        raise AuthenticationError(
            f"the Hive API at {url} {reason} ({response.status_code}): pass --api-key "
            "(or HIVE_API_KEY) with a key whose role may read agents (viewer or above)"
        )
    if response.status_code != 200:
        raise HiveError(f"the Hive API at {url} answered {response.status_code}: {response.text[:200]}")
    views: list[dict[str, Any]] = response.json()
    return views


def _from_database(settings: Any, cluster: Any) -> list[dict[str, Any]]:
    from sqlalchemy.exc import SQLAlchemyError

    from hive_core.db import create_engine, create_sessionmaker
    from hive_core.errors import OperationalError
    from hive_core.monitoring.live import agent_views

    async def load() -> list[dict[str, Any]]:
        engine = create_engine(settings.database_url)
        try:
            async with create_sessionmaker(engine)() as session:
                return [view.model_dump(mode="json") for view in await agent_views(session, cluster)]
        except SQLAlchemyError as exc:
            raise OperationalError(
                f"cannot read agents from the database ({exc.__class__.__name__}); run `hive db upgrade`?"
            ) from None
        finally:
            await engine.dispose()

    return asyncio.run(load())


@one_line_errors
def agents(
    api: str | None = typer.Option(None, "--api", help="Ask a running Hive API (e.g. http://127.0.0.1:8000)"),
    api_key: str | None = typer.Option(None, "--api-key", envvar="HIVE_API_KEY", help="API key for --api"),
    config: Path | None = ConfigOption,
    data_dir: Path | None = DataDirOption,
) -> None:
    """List agents with their health: endpoint, models, status, in-flight calls, tokens/s, last seen."""
    if api:
        views = _from_api(api, api_key)
    else:
        settings = build_settings(config=config, data_dir=data_dir)
        views = _from_database(settings, load_cluster(settings))
    now = datetime.now(UTC)
    out.print(render_table([agent_row(view, now) for view in views]), highlight=False, markup=False)
