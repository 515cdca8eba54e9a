"""Start, read and list executions through the API; the DB index follows Temporal (both databases)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.client import Client

from hive_core.db.models import Execution, ExecutionStatus, ExecutionStep
from hive_core.executions import MAX_INPUT_BYTES, reconcile_open
from tests.helpers import assert_eventually
from workflows.n8n_run import N8nWorkflow

from .conftest import Stack, greet_nodes


async def _finished(stack: Stack, execution_id: str, status: str = "success") -> dict[str, Any]:
    async def check() -> dict[str, Any]:
        response = await stack.http.get(f"/api/executions/{execution_id}", headers=stack.viewer)
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        assert body["status"] == status, body
        return body

    return await assert_eventually(check, timeout_s=20)


async def test_start_read_list_and_index(
    stack: Stack, client: Client, sessions: async_sessionmaker[AsyncSession]
) -> None:
    workflow_id = await stack.create_workflow("greeter", greet_nodes())
    before = datetime.now(UTC) - timedelta(seconds=1)
    started = await stack.http.post(
        f"/api/workflows/{workflow_id}/executions", json={"input": {"name": "Ada"}}, headers=stack.operator
    )
    assert started.status_code == 201, started.text
    execution = started.json()
    assert execution["id"].startswith("hive-exec-")
    assert execution["workflow_id"] == workflow_id and execution["workflow_version"] == 1
    assert execution["status"] == "running" and execution["mode"] == "manual"

    # The reconciler alone (no GET yet) brings the index up to date from Temporal.
    await client.get_workflow_handle_for(N8nWorkflow.run, execution["id"]).result()
    assert await reconcile_open(sessions, client) >= 1
    async with sessions() as session:
        row = await session.scalar(select(Execution).where(Execution.temporal_workflow_id == execution["id"]))
        assert row is not None and row.status is ExecutionStatus.SUCCESS
        assert row.input_data == {"name": "Ada"} and row.finished_at is not None
        steps = list(await session.scalars(select(ExecutionStep).where(ExecutionStep.execution_id == row.id)))
    by_node = {step.node_name: step for step in steps}
    assert set(by_node) == {"Start", "Greet"}
    assert by_node["Greet"].output_summary == {"items": [1]} and by_node["Greet"].step_index == 1
    assert by_node["Greet"].status.value == "success" and by_node["Greet"].started_at is not None

    detail = await _finished(stack, execution["id"])
    run_data = detail["data"]["data"]["resultData"]["runData"]
    assert run_data["Greet"][0]["data"]["main"][0][0]["json"] == {"greeting": "Hello Ada"}
    assert detail["last_node_executed"] == "Greet" and detail["finished_at"] is not None

    listed = await stack.http.get(
        "/api/executions",
        params={"status": "success", "workflow_id": workflow_id, "started_after": before.isoformat()},
        headers=stack.viewer,
    )
    assert listed.status_code == 200, listed.text
    assert [item["id"] for item in listed.json()["items"]] == [execution["id"]]
    assert listed.json()["total"] == 1
    empty = await stack.http.get(
        "/api/executions", params={"started_before": before.isoformat()}, headers=stack.viewer
    )
    assert empty.json()["total"] == 0
    assert (await stack.http.get("/api/executions", params={"status": "error"}, headers=stack.viewer)).json()[
        "items"
    ] == []


async def test_idempotency_key_returns_the_same_execution(stack: Stack) -> None:
    workflow_id = await stack.create_workflow("keyed", greet_nodes())
    other = await stack.create_workflow("other", greet_nodes())
    url = f"/api/workflows/{workflow_id}/executions"
    headers = {**stack.operator, "Idempotency-Key": "order-42"}
    first = await stack.http.post(url, json={"input": {"name": "A"}}, headers=headers)
    again = await stack.http.post(url, json={"input": {"name": "B"}}, headers=headers)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    # The key may also come in the body; concurrent first requests still make one execution.
    racing = await asyncio.gather(
        *(stack.http.post(url, json={"idempotency_key": "race"}, headers=stack.operator) for _ in range(3))
    )
    assert sorted(r.status_code for r in racing) == [200, 200, 201]
    assert len({r.json()["id"] for r in racing}) == 1
    listed = await stack.http.get(
        "/api/executions", params={"workflow_id": workflow_id}, headers=stack.viewer
    )
    assert listed.json()["total"] == 2
    reused = await stack.http.post(f"/api/workflows/{other}/executions", json={}, headers=headers)
    assert reused.status_code == 409, reused.text
    await _finished(stack, first.json()["id"])


async def test_errors_and_roles(stack: Stack) -> None:
    workflow_id = await stack.create_workflow("limits", greet_nodes())
    url = f"/api/workflows/{workflow_id}/executions"
    too_big = await stack.http.post(
        url, json={"input": {"blob": "x" * MAX_INPUT_BYTES}}, headers=stack.operator
    )
    assert too_big.status_code == 413, too_big.text
    assert "payload limit" in too_big.json()["error"]["message"]
    assert (await stack.http.get("/api/executions", headers=stack.viewer)).json()["total"] == 0

    assert (await stack.http.post(url, json={}, headers=stack.viewer)).status_code == 403
    assert (await stack.http.post(url, json={})).status_code == 401
    assert (await stack.http.post(url, json={"input": [1, 2]}, headers=stack.operator)).status_code == 422
    missing = await stack.http.post("/api/workflows/nope/executions", json={}, headers=stack.operator)
    assert missing.status_code == 404
    unknown = await stack.http.get("/api/executions/hive-exec-nope", headers=stack.viewer)
    assert unknown.status_code == 404, unknown.text
    malformed = await stack.http.get(f"/api/executions/{'x' * 2000}", headers=stack.viewer)
    assert malformed.status_code == 404, malformed.text
    naive = await stack.http.get(
        "/api/executions", params={"started_after": "2026-01-01T00:00:00"}, headers=stack.viewer
    )
    assert naive.status_code == 422, naive.text
    for action in ("cancel", "terminate", "resume", "retry"):
        response = await stack.http.post(f"/api/executions/hive-exec-nope/{action}", headers=stack.operator)
        assert response.status_code == 404, (action, response.text)
        denied = await stack.http.post(f"/api/executions/hive-exec-nope/{action}", headers=stack.viewer)
        assert denied.status_code == 403
