"""Cancel, terminate and resume running executions; retry a failed one from its failed node."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment

from api.app import create_app
from hive_core.config import parse_cluster_config
from hive_core.db.models import UserRole
from hive_core.settings import DatabaseSettings, HiveSettings, TemporalSettings
from tests.api_auth.conftest import auth
from tests.builders import node, worker_settings
from tests.counting_server import counting_server
from tests.helpers import assert_eventually
from tests.test_api import api_client
from workers.factory import build_central_worker

from .conftest import Stack, greet_nodes


async def _status(stack: Stack, execution_id: str, status: str) -> dict[str, Any]:
    async def check() -> dict[str, Any]:
        response = await stack.http.get(f"/api/executions/{execution_id}", headers=stack.viewer)
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        assert body["status"] == status, body
        return body

    return await assert_eventually(check, timeout_s=20)


def _waiting_nodes() -> list[dict[str, Any]]:
    answer = {"name": "answer", "value": "={{ $json.body.answer }}", "type": "string"}
    return [
        node("Start", "manualTrigger", 1),
        node("Wait", "wait", 1.1, x=200, resume="webhook"),
        node("Answer", "set", 3.4, x=400, assignments={"assignments": [answer]}),
    ]


async def _start(stack: Stack, workflow_id: str) -> str:
    response = await stack.http.post(
        f"/api/workflows/{workflow_id}/executions", json={}, headers=stack.operator
    )
    assert response.status_code == 201, response.text
    execution_id: str = response.json()["id"]
    return execution_id


async def test_resume_cancel_terminate(stack: Stack) -> None:
    workflow_id = await stack.create_workflow("waiter", _waiting_nodes())

    resumed = await _start(stack, workflow_id)
    await _status(stack, resumed, "waiting")
    answer = await stack.http.post(
        f"/api/executions/{resumed}/resume", json={"data": {"answer": "yes"}}, headers=stack.operator
    )
    assert answer.status_code == 202, answer.text
    done = await _status(stack, resumed, "success")
    run_data = done["data"]["data"]["resultData"]["runData"]
    assert run_data["Answer"][0]["data"]["main"][0][0]["json"] == {"answer": "yes"}
    closed = await stack.http.post(f"/api/executions/{resumed}/resume", json={}, headers=stack.operator)
    assert closed.status_code == 409, closed.text

    canceled = await _start(stack, workflow_id)
    await _status(stack, canceled, "waiting")
    assert (
        await stack.http.post(f"/api/executions/{canceled}/cancel", headers=stack.operator)
    ).status_code == 202
    await _status(stack, canceled, "canceled")
    again = await stack.http.post(f"/api/executions/{canceled}/cancel", headers=stack.operator)
    assert again.status_code == 409

    terminated = await _start(stack, workflow_id)
    await _status(stack, terminated, "waiting")
    ended = await stack.http.post(f"/api/executions/{terminated}/terminate", headers=stack.operator)
    assert ended.status_code == 200 and ended.json()["status"] == "terminated", ended.text
    assert (
        await stack.http.post(f"/api/executions/{terminated}/terminate", headers=stack.operator)
    ).status_code == 409

    listed = await stack.http.get(
        "/api/executions", params={"workflow_id": workflow_id}, headers=stack.viewer
    )
    assert sorted(item["status"] for item in listed.json()["items"]) == ["canceled", "success", "terminated"]


async def test_retry_restarts_at_the_failed_node(stack: Stack) -> None:
    with counting_server() as server:
        done = {"name": "done", "value": "={{ $('Once').item.json.count }}", "type": "number"}
        workflow_id = await stack.create_workflow(
            "flaky",
            [
                node("Start", "manualTrigger", 1),
                node("Once", "httpRequest", 4.2, x=200, url=f"{server.url}/ok"),
                node("Flaky", "httpRequest", 4.2, x=400, url=f"{server.url}/flaky/1"),
                node("Done", "set", 3.4, x=600, assignments={"assignments": [done]}),
            ],
        )
        failed = await _start(stack, workflow_id)
        first = await _status(stack, failed, "error")
        assert first["last_node_executed"] == "Flaky" and first["error"] is not None
        assert server.counts == {"/ok": 1, "/flaky/1": 1}

        retried = await stack.http.post(f"/api/executions/{failed}/retry", headers=stack.operator)
        assert retried.status_code == 201, retried.text
        assert retried.json()["retry_of"] == failed and retried.json()["mode"] == "retry"
        second = await _status(stack, retried.json()["id"], "success")
        run_data = second["data"]["data"]["resultData"]["runData"]
        # "Once" kept its run data and did not run again; "Flaky" ran again with its original input.
        assert server.counts == {"/ok": 1, "/flaky/1": 2}
        assert [len(run_data[name]) for name in ("Start", "Once", "Flaky", "Done")] == [1, 1, 1, 1]
        assert run_data["Flaky"][0]["executionStatus"] == "success"
        assert run_data["Done"][0]["data"]["main"][0][0]["json"] == {"done": 1}

        not_failed = await stack.http.post(
            f"/api/executions/{retried.json()['id']}/retry", headers=stack.operator
        )
        assert not_failed.status_code == 409, not_failed.text


async def test_a_run_held_at_an_approval_gate_is_not_resumed(
    migrated_url: str,
    tmp_path: Path,
    temporal_env: WorkflowEnvironment,
    client: Client,
    task_queue: str,
    make_key: Callable[..., Any],
) -> None:
    operator = auth(await make_key(UserRole.OPERATOR))
    settings = HiveSettings(
        data_dir=tmp_path,
        temporal=TemporalSettings(
            address=temporal_env.client.service_client.config.target_host, task_queue=task_queue
        ),
        database=DatabaseSettings(url=migrated_url),
    )
    # Gates are on cluster-wide: the API's start passes that policy to the run.
    cluster = parse_cluster_config({"security": {"require_approval": True, "api_rate_limit": 10_000}})
    app = create_app(settings, cluster)
    async with build_central_worker(client, worker_settings(task_queue)), api_client(app) as http:
        stack = Stack(http, operator, operator)
        gated = {**greet_nodes()[1], "notes": "hive: approval"}
        await stack.create_workflow("gated", [node("Start", "manualTrigger", 1), gated])
        execution_id = await _start(stack, "gated")
        await _status(stack, execution_id, "waiting")
        held = await http.post(f"/api/executions/{execution_id}/resume", json={}, headers=operator)
        assert held.status_code == 409, held.text
        assert "approval" in held.json()["error"]["message"]
        ended = await http.post(f"/api/executions/{execution_id}/terminate", headers=operator)
        assert ended.status_code == 200, ended.text
