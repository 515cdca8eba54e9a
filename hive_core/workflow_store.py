"""Hive's stored workflows: import n8n exports (compiled on the way in) and find active ones."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from hive_core.db.models import Workflow, WorkflowVersion
from n8n_import import CompileOptions, compile_export, export_objects
from n8n_import.parse import ExportData
from n8n_import.plan import Plan


async def import_workflows(
    session: AsyncSession, data: ExportData, *, activate: bool, options: CompileOptions | None = None
) -> list[Workflow]:
    """Compile and store every workflow of an export (CompileError if any cannot compile).

    The n8n JSON is stored as given. A workflow keeps n8n's id when it has one, so sub-workflow
    and error-workflow references keep working; importing it again makes a new version. The
    stored plans are what webhooks and schedules run, so `options` (hive.yaml's, from
    `compile_options`) decide which nodes run on the node host and on which queue.
    """
    objects = export_objects(data)
    plans = compile_export(objects, options)
    stored = []
    for source, plan in zip(objects, plans, strict=True):
        n8n_id = str(source["id"]) if source.get("id") else None
        row = await session.get(Workflow, n8n_id) if n8n_id else None
        if row is None:
            row = Workflow(name=plan.name or "unnamed", n8n_data=source)
            if n8n_id:
                row.id = n8n_id
            session.add(row)
            await session.flush()  # assigns the id the plan records
            apply_version(row, source, plan)
        else:
            await new_version(session, row, source, plan)
        row.active = activate
        stored.append(row)
    await session.commit()
    return stored


def apply_version(row: Workflow, source: dict[str, Any], plan: Plan) -> None:
    """Make ``source`` (compiled as ``plan``) the content of ``row``."""
    row.n8n_data = source
    row.name = plan.name or row.name or "unnamed"
    row.plan = plan.model_copy(update={"workflow_id": row.id}).model_dump(mode="json")
    row.diagnostics = [d.model_dump(mode="json") for d in plan.diagnostics]


async def new_version(session: AsyncSession, row: Workflow, source: dict[str, Any], plan: Plan) -> Workflow:
    """Replace ``row``'s content with a new version; the current one goes to the history."""
    session.add(
        WorkflowVersion(
            workflow_id=row.id,
            version=row.version,
            name=row.name,
            n8n_data=row.n8n_data,
            plan=row.plan,
            diagnostics=row.diagnostics,
        )
    )
    row.version += 1
    apply_version(row, source, plan)
    await session.flush()
    return row


async def active_plans(session: AsyncSession) -> Sequence[tuple[str, Plan]]:
    """(workflow id, plan) of every active, compiled workflow."""
    rows = await session.execute(select(Workflow.id, Workflow.plan).where(Workflow.active.is_(True)))
    return [(workflow_id, Plan.model_validate(plan)) for workflow_id, plan in rows if plan is not None]


__all__ = ["active_plans", "apply_version", "import_workflows", "new_version"]
