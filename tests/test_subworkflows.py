"""Execute Workflow (inline and stored) and error workflows, through a real Temporal dev server."""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from temporalio.client import Client

from hive_core.db import create_engine, create_sessionmaker
from hive_core.db.migrate import upgrade_database_async
from hive_core.db.models import Workflow
from n8n_import import compile_export
from tests.builders import chain, node, run_workflow, worker_settings
from workers.factory import build_central_worker
from workflows.n8n_models import ExecutionStatus, N8nRunSnapshot, RunN8nInput
from workflows.n8n_run import N8nWorkflow


def _set(name: str, x: int, field: str, value: str) -> dict[str, Any]:
    assignment = {"name": field, "value": value, "type": "number"}
    return node(name, "set", 3.4, x, assignments={"assignments": [assignment]}, includeOtherFields=True)


CHILD = chain(
    "child",
    [node("In", "executeWorkflowTrigger", 1.1, 0), _set("Add one", 200, "y", "={{ $json.x + 1 }}")],
)


def _parent(**execute: Any) -> dict[str, Any]:
    generate = "return [{json: {x: 1}}, {json: {x: 10}}];"
    return chain(
        "parent",
        [node("Start", "manualTrigger", 1, 0), node("Data", "code", 2, 100, jsCode=generate),
         node("Call", "executeWorkflow", 1.1, 200, **execute)],
    )  # fmt: skip


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[Any]:
    url = f"sqlite+aiosqlite:///{tmp_path / 'hive.db'}"
    await upgrade_database_async(url)
    engine = create_engine(url)
    yield create_sessionmaker(engine)
    await engine.dispose()


def _output(snapshot: N8nRunSnapshot, node: str) -> list[dict[str, Any]]:
    return [item["json"] for item in snapshot.run_data[node][-1]["data"]["main"][0]]


async def test_inline_and_stored_subworkflows(client: Client, task_queue: str, store: Any) -> None:
    async with store() as session:
        session.add(Workflow(id="child-1", name="child", n8n_data=CHILD))
        await session.commit()
    settings = worker_settings(task_queue)
    async with build_central_worker(client, settings, sessions=store):
        once = await run_workflow(
            client, task_queue, _parent(source="parameter", workflowJson=json.dumps(CHILD))
        )
        assert once.status is ExecutionStatus.SUCCESS, once.error
        assert _output(once, "Call") == [{"x": 1, "y": 2}, {"x": 10, "y": 11}]

        each = await run_workflow(
            client,
            task_queue,
            _parent(source="database", workflowId={"__rl": True, "value": "child-1"}, mode="each"),
        )
        assert each.status is ExecutionStatus.SUCCESS, each.error
        assert _output(each, "Call") == [{"x": 1, "y": 2}, {"x": 10, "y": 11}]
        paired = [item["pairedItem"] for item in each.run_data["Call"][0]["data"]["main"][0]]
        assert paired == [{"item": 0}, {"item": 1}]

        missing = await run_workflow(client, task_queue, _parent(source="database", workflowId="nope"))
        assert missing.status is ExecutionStatus.ERROR
        assert "workflow 'nope' does not exist" in missing.error["message"]

        broken = await run_workflow(client, task_queue, _parent(source="parameter", workflowJson="{not json"))
        assert broken.status is ExecutionStatus.ERROR
        assert "workflowJson" in broken.error["message"]


async def test_error_workflow_gets_the_failure(client: Client, task_queue: str, store: Any) -> None:
    on_error = chain(
        "on-error",
        [node("Failed", "errorTrigger", 1, 0), node("Note", "noOp", 1, 200)],
    )
    async with store() as session:
        session.add(Workflow(id="on-error", name="on-error", n8n_data=on_error))
        await session.commit()
    failing = chain(
        "failing",
        [
            node("Start", "manualTrigger", 1, 0),
            node("Boom", "stopAndError", 1, 200, errorMessage="it broke"),
        ],
        errorWorkflow="on-error",
    )
    settings = worker_settings(task_queue)
    async with build_central_worker(client, settings, sessions=store):
        handle = await client.start_workflow(
            N8nWorkflow.run, RunN8nInput(plan=compile_export(failing)[0]), id=f"fail-{uuid.uuid4().hex[:8]}",
            task_queue=task_queue,
        )  # fmt: skip
        failed = await handle.result()
        assert failed.status is ExecutionStatus.ERROR
        report = await client.get_workflow_handle_for(N8nWorkflow.run, f"{handle.id}/error-workflow").result()
    assert report.status is ExecutionStatus.SUCCESS, report.error
    (received,) = _output(report, "Note")
    assert received["execution"]["error"]["message"] == "it broke"
    assert received["execution"]["lastNodeExecuted"] == "Boom"
    assert received["workflow"]["name"] == "failing"
