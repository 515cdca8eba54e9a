"""hive.yaml's `node_host:` options reach every path that compiles a workflow.

`hive compile` / `hive run` had them; these check the others, each through its real entry point:
the API's upload, new version and import from n8n; the runs a webhook and a schedule start from
the stored plan; `hive workflows import`; and the worker compiling a stored workflow that has no
plan yet (sub-workflows, error workflows). All of them build their options in one place,
`hive_core.node_host.options.compile_options`.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.client import Client
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.testing import WorkflowEnvironment
from typer.testing import CliRunner

from api.app import create_app
from hive_core.config import ClusterConfig, parse_cluster_config
from hive_core.db.models import UserRole, Workflow
from hive_core.db.models.executions import Execution
from hive_core.settings import DatabaseSettings, HiveSettings, TemporalSettings
from tests.api_auth.conftest import auth, engine, make_key, migrated_url, sessions  # noqa: F401
from tests.builders import chain, node, worker_settings
from tests.db.conftest import database_factory, database_url  # noqa: F401
from tests.loopback import JsonHandler, serve
from tests.node_host.conftest import NodeHost
from tests.test_api import api_client
from workers.factory import build_central_worker
from workflows.n8n_models import ExecutionStatus, RunN8nInput
from workflows.n8n_run import N8nWorkflow

QUEUE = "nodes-from-hive-yaml"
MARKDOWN = node("Markdown", "markdown", 1, 200, mode="markdownToHtml", markdown="# Hi", destinationKey="html")


def _cluster(queue: str = QUEUE) -> ClusterConfig:
    return parse_cluster_config(
        {
            "security": {"api_rate_limit": 10_000},
            "node_host": {"task_queue": queue, "force_types": ["markdown"]},
        }
    )


def _workflow(workflow_id: str, trigger: dict[str, Any] | None = None) -> dict[str, Any]:
    data = chain(f"options {workflow_id}", [trigger or node("Start", "manualTrigger", 1), MARKDOWN])
    return {**data, "id": workflow_id}


def _on_hive_yaml_node_host(plan: dict[str, Any] | None, queue: str = QUEUE) -> bool:
    """Markdown is native: only hive.yaml's force_types puts it on the node host, on its queue."""
    assert plan is not None
    return plan["nodes"]["Markdown"]["runner"] == "node_host" and plan["node_host_queue"] == queue


def _settings(tmp_path: Path, url: str, env: WorkflowEnvironment, task_queue: str) -> HiveSettings:
    return HiveSettings(
        data_dir=tmp_path,
        temporal=TemporalSettings(
            address=env.client.service_client.config.target_host, task_queue=task_queue
        ),
        database=DatabaseSettings(url=url),
    )


@pytest.mark.parametrize("database_factory", ["sqlite"], indirect=True)
async def test_api_upload_new_version_and_n8n_import_use_hive_yaml(
    migrated_url: str,  # noqa: F811
    make_key: Callable[..., Any],  # noqa: F811
    tmp_path: Path,
    temporal_env: WorkflowEnvironment,
    task_queue: str,
) -> None:
    headers = auth(await make_key(UserRole.OPERATOR))

    class N8nApi(JsonHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            self.reply_json(200, {"data": [_workflow("from-n8n")], "nextCursor": None})

    app = create_app(_settings(tmp_path, migrated_url, temporal_env, task_queue), _cluster())
    with serve(N8nApi) as n8n_url:
        async with api_client(app) as http:
            created = await http.post("/api/workflows", json=_workflow("up"), headers=headers)
            assert created.status_code == 201, created.text
            assert _on_hive_yaml_node_host(created.json()["plan"])
            updated = await http.put("/api/workflows/up", json=_workflow("up"), headers=headers)
            assert updated.status_code == 200, updated.text
            assert _on_hive_yaml_node_host(updated.json()["plan"])
            imported = await http.post(
                "/api/workflows/import-from-n8n", json={"base_url": n8n_url, "api_key": "k"}, headers=headers
            )
            assert imported.status_code == 200, imported.text
            assert [w["status"] for w in imported.json()["imported"]] == ["created"]
            stored = await http.get("/api/workflows/from-n8n", headers=headers)
            assert _on_hive_yaml_node_host(stored.json()["plan"])
    # The same upload without the node_host section: Markdown stays native (the test can fail).
    async with api_client(create_app(_settings(tmp_path, migrated_url, temporal_env, task_queue),
                                     parse_cluster_config({}))) as http:  # fmt: skip
        plain = await http.post("/api/workflows", json=_workflow("plain"), headers=headers)
        assert plain.json()["plan"]["nodes"]["Markdown"]["runner"] == "native"


async def _started_plan(client: Client, workflow_id: str) -> dict[str, Any]:
    """The plan a started run carries in its input (first history event)."""
    history = await client.get_workflow_handle(workflow_id).fetch_history()
    payload = history.events[0].workflow_execution_started_event_attributes.input.payloads[0]
    run_input = pydantic_data_converter.payload_converter.from_payload(payload, RunN8nInput)
    return run_input.plan.model_dump(mode="json")


@pytest.mark.parametrize("database_factory", ["sqlite"], indirect=True)
async def test_webhook_and_schedule_runs_carry_the_hive_yaml_plan(
    migrated_url: str,  # noqa: F811
    make_key: Callable[..., Any],  # noqa: F811
    sessions: async_sessionmaker[AsyncSession],  # noqa: F811
    tmp_path: Path,
    temporal_env: WorkflowEnvironment,
    task_queue: str,
) -> None:
    headers = auth(await make_key(UserRole.OPERATOR))
    hook = node("Hook", "webhook", 2, path=f"opts-{uuid.uuid4().hex[:8]}", httpMethod="POST", options={})
    hook["webhookId"] = str(uuid.uuid4())
    every_hour = {"rule": {"interval": [{"field": "hours", "hoursInterval": 1}]}}
    tick = node("Tick", "scheduleTrigger", 1.2, **every_hour)
    sched_id = f"sched{uuid.uuid4().hex[:6]}"
    client = temporal_env.client
    async with api_client(
        create_app(_settings(tmp_path, migrated_url, temporal_env, task_queue), _cluster())
    ) as http:
        for wf in (_workflow("hooked", hook), _workflow(sched_id, tick)):
            created = await http.post("/api/workflows", params={"activate": "true"}, json=wf, headers=headers)
            assert created.status_code == 201, created.text
        # No worker polls task_queue: the run stays started, its input is what the route sent.
        answered = await http.post(f"/webhook/{hook['parameters']['path']}", json={"a": 1})
        assert answered.status_code == 200, answered.text
    async with sessions() as session:
        [run_id] = (await session.scalars(select(Execution.temporal_workflow_id))).all()
    assert _on_hive_yaml_node_host(await _started_plan(client, run_id))
    schedule = await client.get_schedule_handle(f"hive-schedule-{sched_id}-Tick").describe()
    try:
        [arg] = schedule.schedule.action.args  # type: ignore[attr-defined]
        scheduled = pydantic_data_converter.payload_converter.from_payload(arg, RunN8nInput)
        assert _on_hive_yaml_node_host(scheduled.plan.model_dump(mode="json"))
    finally:
        await client.get_schedule_handle(f"hive-schedule-{sched_id}-Tick").delete()
        await client.get_workflow_handle(run_id).terminate()


def test_hive_workflows_import_uses_hive_yaml(tmp_path: Path) -> None:
    from hive_core.cli.app import app

    (tmp_path / "hive.yaml").write_text(
        json.dumps({"node_host": {"task_queue": QUEUE, "force_types": ["markdown"]}})
    )
    (tmp_path / "wf.json").write_text(json.dumps(_workflow("cli")))
    data_dir = tmp_path / "data"
    env = {"HIVE_CONFIG": str(tmp_path / "hive.yaml"), "HIVE_TEMPORAL__CONNECT_TIMEOUT_S": "1",
           "HIVE_TEMPORAL__ADDRESS": "127.0.0.1:1"}  # fmt: skip
    result = CliRunner().invoke(
        app, ["workflows", "import", str(tmp_path / "wf.json"), "--data-dir", str(data_dir)], env=env
    )
    assert result.exit_code == 0, result.output
    import sqlite3

    with sqlite3.connect(data_dir / "hive.db") as db:
        [(plan,)] = db.execute("SELECT plan FROM workflows WHERE id = 'cli'").fetchall()
    assert _on_hive_yaml_node_host(json.loads(plan))


@pytest.mark.parametrize("database_factory", ["sqlite"], indirect=True)
async def test_worker_compiles_a_stored_workflow_without_plan_with_hive_yaml(
    sessions: async_sessionmaker[AsyncSession],  # noqa: F811
    client: Client,
    task_queue: str,
    node_host: NodeHost,
) -> None:
    """Execute Workflow of a stored workflow that has no plan: the worker compiles it, forcing
    Markdown onto the node host of hive.yaml's queue; the child's history shows that call."""
    async with sessions() as session, session.begin():
        session.add(Workflow(id="child", name="child", n8n_data=_workflow("child"), plan=None))
    parent = chain(
        "parent",
        [node("Start", "manualTrigger", 1),
         node("Call", "executeWorkflow", 1.2, source="database", workflowId="child", options={})],
    )  # fmt: skip
    from n8n_import import compile_export

    plan = compile_export(parent)[0]
    cluster = _cluster(node_host.queue)
    parent_id = f"parent-{uuid.uuid4().hex[:8]}"
    async with build_central_worker(client, worker_settings(task_queue), cluster, sessions=sessions):
        run = await client.execute_workflow(
            N8nWorkflow.run, RunN8nInput(plan=plan), id=parent_id, task_queue=task_queue
        )
    assert run.status is ExecutionStatus.SUCCESS, run.error
    assert run.run_data["Call"][0]["data"]["main"][0][0]["json"]["html"] == '<h1 id="hi">Hi</h1>'
    child = await client.get_workflow_handle(f"{parent_id}/Call/0/0").fetch_history()
    scheduled = [
        e.activity_task_scheduled_event_attributes.task_queue.name
        for e in child.events
        if e.HasField("activity_task_scheduled_event_attributes")
    ]
    assert node_host.queue in scheduled
