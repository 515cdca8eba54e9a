"""`hive workflows import|list`: the workflow store, from the command line."""

from __future__ import annotations

import asyncio
from pathlib import Path

import typer
from sqlalchemy import select
from temporalio.client import Client

from hive_core.approvals import approval_policy
from hive_core.cli.common import DataDirOption, build_settings, err, load_cluster, one_line_errors, out
from hive_core.cli.compile_cmd import read_export
from hive_core.credentials import credential_warnings
from hive_core.db import create_engine, create_sessionmaker
from hive_core.db.migrate import upgrade_database_async
from hive_core.db.models import Workflow
from hive_core.errors import EngineUnavailableError
from hive_core.node_host.options import compile_options
from hive_core.settings import HiveSettings
from hive_core.temporal import connect_temporal
from hive_core.workflow_store import active_plans, import_workflows
from n8n_import.plan import Plan

app = typer.Typer(help="Stored workflows (sub-workflows, error workflows, webhooks).", no_args_is_help=True)


@app.command("import")
@one_line_errors
def import_(
    file: Path = typer.Argument(..., help="n8n workflow export (.json)"),
    activate: bool = typer.Option(
        False, "--activate", help="Serve its webhooks and run its schedules right away"
    ),
    data_dir: Path | None = DataDirOption,
    temporal: str | None = typer.Option(None, "--temporal", help="Temporal HOST:PORT for schedules"),
) -> None:
    """Compile and store the workflows of an n8n export (a new version if the id exists)."""
    settings = build_settings(data_dir=data_dir, temporal__address=temporal)
    text = read_export(file)

    from hive_core.schedules import sync_schedules  # imports the interpreter; only needed here

    async def store() -> list[tuple[str, str, int, bool]]:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        await upgrade_database_async(settings.database_url)
        engine = create_engine(settings.database_url)
        try:
            async with create_sessionmaker(engine)() as session:
                rows = await import_workflows(
                    session, text, activate=activate, options=compile_options(load_cluster(settings))
                )
                stored = [(r.id, r.name, r.version, r.active) for r in rows]
                credentials = load_cluster(settings).credentials
                for row in rows:
                    plan = Plan.model_validate(row.plan)
                    for warning in await credential_warnings(session, plan, credentials):
                        err.print(f"warning: {warning.render()}", highlight=False, markup=False)
                plans = await active_plans(session)
        finally:
            await engine.dispose()
        try:
            client = await connect_temporal(settings.temporal)
            for schedule, change in (
                await sync_schedules(
                    client,
                    plans,
                    settings.temporal.task_queue,
                    approval_policy(load_cluster(settings).security),
                )
            ).items():
                out.print(f"schedule {schedule}: {change}", highlight=False)
            if activate:
                await _activate_triggers(client, settings, stored)
        except EngineUnavailableError as exc:
            err.print(f"note: {exc.message}; schedules sync when the worker starts", highlight=False)
        return stored

    for workflow_id, name, version, active in asyncio.run(store()):
        out.print(f"{workflow_id}  {name}  v{version}{'  active' if active else ''}", highlight=False)


async def _activate_triggers(
    client: Client, settings: HiveSettings, stored: list[tuple[str, str, int, bool]]
) -> None:
    """Register service webhooks and start listening triggers of the imported workflows; one
    whose service refuses is stored inactive again (the error names the node)."""
    from hive_core.errors import HiveError
    from hive_core.trigger_activation import TriggerActivation

    cluster = load_cluster(settings)
    triggers = TriggerActivation(
        client, settings.temporal.task_queue, settings.api.base_url, approval_policy(cluster.security)
    )
    engine = create_engine(settings.database_url)
    try:
        async with create_sessionmaker(engine)() as session:
            for index, (workflow_id, name, version, _) in enumerate(stored):
                row = await session.get(Workflow, workflow_id)
                if row is None or row.plan is None:
                    continue
                try:
                    await triggers.activate(workflow_id, Plan.model_validate(row.plan))
                except HiveError as exc:
                    err.print(
                        f"error: {exc.message}; {workflow_id} stays inactive", highlight=False, markup=False
                    )
                    row.active = False
                    stored[index] = (workflow_id, name, version, False)
            await session.commit()
    finally:
        await engine.dispose()


@app.command("list")
@one_line_errors
def list_(data_dir: Path | None = DataDirOption) -> None:
    """List stored workflows."""
    settings = build_settings(data_dir=data_dir)

    async def rows() -> list[tuple[str, str, int, bool]]:
        engine = create_engine(settings.database_url)
        try:
            async with create_sessionmaker(engine)() as session:
                result = await session.execute(
                    select(Workflow.id, Workflow.name, Workflow.version, Workflow.active).order_by(
                        Workflow.name
                    )
                )
                return [tuple(row) for row in result]  # type: ignore[misc]
        finally:
            await engine.dispose()

    for workflow_id, name, version, active in asyncio.run(rows()):
        out.print(f"{workflow_id}  {name}  v{version}{'  active' if active else ''}", highlight=False)
