"""What an execution page reads: the run (Temporal, via the API's service functions) and the
n8n JSON of the workflow version it ran (its canvas: positions, connections, sticky notes)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from temporalio.client import Client

from hive_core.db.models import Execution
from hive_core.errors import NotFoundError
from hive_core.executions import RunView, fetch_run, sync_execution
from hive_core.executions.retry import original_input
from hive_core.workflow_versions import get_version, get_workflow
from n8n_import.plan import Plan


@dataclass
class RunSource:
    view: RunView | None
    row: Execution | None


async def indexed_row(session: AsyncSession, execution_id: str) -> Execution | None:
    return await session.scalar(select(Execution).where(Execution.temporal_workflow_id == execution_id))


async def read_run(session: AsyncSession, client: Client, execution_id: str) -> RunSource:
    """The run as `GET /api/executions/{id}` reads it (index updated), NotFoundError if unknown."""
    row = await indexed_row(session, execution_id)
    if row is None:
        return RunSource(await fetch_run(client, execution_id), None)
    return RunSource(await sync_execution(session, client, row), row)


async def workflow_json(
    session: AsyncSession, client: Client, execution_id: str, row: Execution | None
) -> dict[str, Any]:
    """The n8n JSON of the version the run ran: stored (sticky notes included) or its plan."""
    if row is not None and row.workflow_id:
        try:
            workflow = await get_workflow(session, row.workflow_id)
        except NotFoundError:
            workflow = None
        if workflow is not None:
            if row.workflow_version in (None, workflow.version):
                return dict(workflow.n8n_data)
            old = await get_version(session, row.workflow_id, row.workflow_version)
            if old is not None:
                return dict(old.n8n_data)
    # Started outside the store (`hive run`, a sub-workflow), or its version is gone: the plan.
    return plan_to_n8n((await original_input(client, execution_id)).plan)


def plan_to_n8n(plan: Plan) -> dict[str, Any]:
    """The canvas part of n8n JSON rebuilt from a compiled plan (sticky notes are not in plans)."""
    nodes = [
        {
            "name": node.name,
            "type": node.type,
            "typeVersion": node.type_version,
            "position": list(node.position),
            "disabled": node.disabled,
            "parameters": node.parameters,
        }
        for node in plan.nodes.values()
    ]
    connections: dict[str, dict[str, list[list[dict[str, Any]]]]] = {}
    for node in plan.nodes.values():
        if any(node.main_outputs):
            connections.setdefault(node.name, {})["main"] = [
                [{"node": edge.node, "type": "main", "index": edge.input_index} for edge in edges]
                for edges in node.main_outputs
            ]
        for kind, subs in node.sub_nodes.items():
            for sub in subs:
                links = connections.setdefault(sub, {}).setdefault(kind, [[]])
                links[0].append({"node": node.name, "type": kind, "index": 0})
    return {"name": plan.name, "nodes": nodes, "connections": connections}


__all__ = ["RunSource", "indexed_row", "plan_to_n8n", "read_run", "workflow_json"]
