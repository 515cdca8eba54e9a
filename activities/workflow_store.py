"""Reading workflows from Hive's database, for sub-workflows and error workflows."""

from __future__ import annotations

from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio import activity

from activities.heartbeat import heartbeating
from hive_core.db.models import Workflow
from hive_core.errors import CompileError, NotFoundError
from hive_core.temporal_errors import to_application_error
from n8n_import import CompileOptions, compile_export
from n8n_import.plan import Plan


class LoadPlanInput(BaseModel):
    workflow_id: str


class WorkflowStoreActivities:
    def __init__(
        self, sessions: async_sessionmaker[AsyncSession] | None, options: CompileOptions | None = None
    ) -> None:
        self._sessions = sessions
        # hive.yaml's compile options, for a stored workflow that has no plan yet.
        self._options = options or CompileOptions()

    @activity.defn(name="hive.store.load_plan")
    async def load_plan(self, request: LoadPlanInput) -> str:
        """The compiled plan (JSON) of a stored workflow; missing or broken is non-retryable."""
        if self._sessions is None:
            raise to_application_error(NotFoundError("this worker has no workflow store configured"))
        async with heartbeating(), self._sessions() as session:
            row = await session.get(Workflow, request.workflow_id)
        if row is None:
            raise to_application_error(
                NotFoundError(f"workflow {request.workflow_id!r} does not exist in Hive's store")
            )
        if row.plan is not None:
            return Plan.model_validate(row.plan).model_dump_json()
        try:
            return compile_export(row.n8n_data, self._options)[0].model_dump_json()
        except CompileError as exc:
            raise to_application_error(
                CompileError(f"workflow {request.workflow_id!r} cannot be compiled: {exc.message}")
            ) from None
