"""Stored workflows as the API changes them: create, new versions (history kept), schedules.

The current version of a workflow is its ``workflows`` row; every version it replaced is kept
in ``workflow_versions`` with its n8n JSON and plan. Runs already carry their plan in their
input (``RunN8nInput.plan``), so a new version never changes a running execution; the history
lets an execution's ``(workflow_id, workflow_version)`` still name what it ran.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from temporalio.client import Client
from temporalio.service import RPCError

from hive_core.approvals.models import ApprovalPolicy
from hive_core.db.models import Workflow, WorkflowVersion
from hive_core.errors import ConflictError, EngineUnavailableError, NotFoundError, ValidationError
from hive_core.workflow_store import active_plans, apply_version, new_version
from n8n_import import CompileOptions, compile_export, export_objects
from n8n_import.parse import ExportData
from n8n_import.plan import Plan


def compile_single(data: ExportData, options: CompileOptions | None = None) -> tuple[dict[str, Any], Plan]:
    """The one workflow of an export, as given and as compiled with hive.yaml's `options`.

    `options` come from `hive_core.node_host.options.compile_options` (the node host's queue and
    forced / enabled types, the model aliases); None: Hive's defaults.

    Raises:
        CompileError: it does not compile (``details["diagnostics"]`` names each node at fault).
        ValidationError: the export holds more or fewer than one workflow.
    """
    objects = export_objects(data)
    plans = compile_export(objects, options)
    if len(objects) != 1 or len(plans) != 1:
        raise ValidationError(
            f"expected one workflow, the export holds {len(objects)}; upload them one at a time",
            field="export",
        )
    return objects[0], plans[0]


async def get_workflow(session: AsyncSession, workflow_id: str) -> Workflow:
    """The workflow called ``workflow_id`` (NotFoundError if none)."""
    row = await session.get(Workflow, workflow_id)
    if row is None:
        raise NotFoundError(f"workflow {workflow_id!r} does not exist", workflow_id=workflow_id)
    return row


async def create_workflow(
    session: AsyncSession, source: dict[str, Any], plan: Plan, *, created_by: str | None
) -> Workflow:
    """Store a new workflow (flushed). n8n's id is kept so Execute Workflow references work.

    Raises:
        ConflictError: a workflow with that id exists (update it with a new version instead).
    """
    n8n_id = str(source["id"]) if source.get("id") else None
    if n8n_id and await session.get(Workflow, n8n_id) is not None:
        raise ConflictError(
            f"workflow {n8n_id!r} already exists; PUT /api/workflows/{n8n_id} makes a new version",
            workflow_id=n8n_id,
        )
    row = Workflow(name=plan.name or "unnamed", n8n_data=source, created_by=created_by)
    if n8n_id:
        row.id = n8n_id
    session.add(row)
    await session.flush()  # assigns the id the plan records
    apply_version(row, source, plan)
    await session.flush()
    return row


async def list_versions(session: AsyncSession, workflow_id: str) -> list[WorkflowVersion]:
    """The superseded versions of a workflow, oldest first."""
    result = await session.execute(
        select(WorkflowVersion)
        .where(WorkflowVersion.workflow_id == workflow_id)
        .order_by(WorkflowVersion.version)
    )
    return list(result.scalars())


async def get_version(session: AsyncSession, workflow_id: str, version: int) -> WorkflowVersion | None:
    """A superseded version (None if there is no such version in the history)."""
    result = await session.execute(
        select(WorkflowVersion).where(
            WorkflowVersion.workflow_id == workflow_id, WorkflowVersion.version == version
        )
    )
    return result.scalar_one_or_none()


async def sync_active_schedules(
    session: AsyncSession, client: Client, task_queue: str, approval: ApprovalPolicy | None = None
) -> dict[str, str]:
    """Make Temporal Schedules match the active workflows as ``session`` sees them (flushed state).

    Raises:
        EngineUnavailableError: Temporal cannot be reached; the caller should not commit.
    """
    from hive_core.schedules import sync_schedules  # imports the interpreter; only needed here

    plans = await active_plans(session)
    try:
        return await sync_schedules(client, plans, task_queue, approval)
    except (RPCError, RuntimeError) as exc:
        raise EngineUnavailableError(f"cannot sync schedules with Temporal: {exc}") from exc


__all__ = [
    "compile_single",
    "create_workflow",
    "get_version",
    "get_workflow",
    "list_versions",
    "new_version",
    "sync_active_schedules",
]
