"""The reconciler loop keeps the index current without any GET; a failing index write never fails a run."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, select, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.client import Client

from hive_core.db.models import Execution, ExecutionStatus
from hive_core.executions import discover_runs, reconcile_open
from hive_core.executions.reconcile import ABANDONED_AFTER
from tests.builders import chain, node, run_workflow
from tests.helpers import assert_eventually
from workers.execution_index import execution_reconciler
from workflows.n8n_models import ExecutionStatus as RunStatus
from workflows.n8n_run import N8nWorkflow

from .conftest import Stack, greet_nodes


async def _row(sessions: async_sessionmaker[AsyncSession], execution_id: str) -> Execution:
    async with sessions() as session:
        row = await session.scalar(select(Execution).where(Execution.temporal_workflow_id == execution_id))
        assert row is not None
        return row


async def test_reconciler_loop_indexes_finished_runs(
    stack: Stack, client: Client, sessions: async_sessionmaker[AsyncSession]
) -> None:
    workflow_id = await stack.create_workflow("looped", greet_nodes())
    async with execution_reconciler(sessions, client, interval_s=0.1):
        started = await stack.http.post(
            f"/api/workflows/{workflow_id}/executions", json={}, headers=stack.operator
        )
        execution_id = started.json()["id"]

        async def indexed() -> None:
            row = await _row(sessions, execution_id)
            assert row.status is ExecutionStatus.SUCCESS and row.finished_at is not None

        await assert_eventually(indexed, timeout_s=20)


async def test_a_failing_index_write_never_fails_the_run(
    stack: Stack, client: Client, sessions: async_sessionmaker[AsyncSession]
) -> None:
    workflow_id = await stack.create_workflow("unindexed", greet_nodes())
    started = await stack.http.post(
        f"/api/workflows/{workflow_id}/executions", json={}, headers=stack.operator
    )
    execution_id = started.json()["id"]
    async with sessions() as session, session.begin():
        # Every step write now fails, as with a broken or locked database.
        await session.execute(text("DROP TABLE execution_steps"))
    result = await client.get_workflow_handle_for(N8nWorkflow.run, execution_id).result()
    assert result.status is RunStatus.SUCCESS
    detail = await stack.http.get(f"/api/executions/{execution_id}", headers=stack.viewer)
    assert detail.status_code == 200, detail.text
    assert detail.json()["status"] == "success"
    assert (
        await _row(sessions, execution_id)
    ).status is ExecutionStatus.RUNNING  # the index lags, that is all


async def test_a_row_whose_run_never_started_is_marked_failed(
    stack: Stack, client: Client, sessions: async_sessionmaker[AsyncSession]
) -> None:
    workflow_id = await stack.create_workflow("abandoned", greet_nodes())
    long_ago = datetime.now(UTC) - ABANDONED_AFTER - timedelta(minutes=1)
    async with sessions() as session, session.begin():
        for name, created in (("old", long_ago), ("new", datetime.now(UTC))):
            session.add(
                Execution(
                    workflow_id=workflow_id,
                    workflow_version=1,
                    temporal_workflow_id=f"hive-exec-{name}-{uuid.uuid4()}",
                    status=ExecutionStatus.RUNNING,
                    created_at=created,
                    logs=[],
                )
            )
    await reconcile_open(sessions, client)
    async with sessions() as session:
        found = await session.scalars(select(Execution))
        rows = {row.temporal_workflow_id.split("-")[2]: row for row in found}
    assert rows["old"].status is ExecutionStatus.ERROR
    assert "never started" in (rows["old"].error or {})["message"]
    assert rows["new"].status is ExecutionStatus.RUNNING  # its start may still be on its way


async def test_runs_started_by_webhooks_are_discovered(
    stack: Stack, client: Client, sessions: async_sessionmaker[AsyncSession], task_queue: str
) -> None:
    hook = node("Hook", "webhook", 2, httpMethod="POST", path=f"found-{task_queue}", responseMode="lastNode")
    # Visibility is shared by every test of the session: a unique workflow id keeps this one apart.
    workflow_id = await stack.create_workflow(f"hooked-{task_queue}", [hook, greet_nodes()[1]])
    activated = await stack.http.post(f"/api/workflows/{workflow_id}/activate", headers=stack.operator)
    assert activated.status_code == 200, activated.text
    answered = await stack.http.post(f"/webhook/found-{task_queue}", json={"name": "Ada"})
    assert answered.status_code == 200, answered.text
    # The route indexed it at start; drop that row, as if the API died before writing it.
    async with sessions() as session:
        await session.execute(delete(Execution))
        await session.commit()
    # A run of a plan that is not stored is never indexed.
    await run_workflow(client, task_queue, chain("loose", greet_nodes()))

    async def found() -> Execution:
        assert await discover_runs(sessions, client) >= 0
        async with sessions() as session:
            rows = list(await session.scalars(select(Execution)))
        assert len(rows) == 1
        return rows[0]

    row = await assert_eventually(found, timeout_s=20)  # visibility is eventually consistent
    assert row.workflow_id == workflow_id and row.mode == "webhook"
    assert row.status is ExecutionStatus.SUCCESS and row.input_data["body"] == {"name": "Ada"}
    params = {"workflow_id": workflow_id}
    listed = await stack.http.get("/api/executions", params=params, headers=stack.viewer)
    assert [item["id"] for item in listed.json()["items"]] == [row.temporal_workflow_id]
    assert await discover_runs(sessions, client) == 0  # known now
