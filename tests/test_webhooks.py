"""n8n webhooks served by the API, end to end: real Temporal, real worker, SQLite store."""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from temporalio.testing import WorkflowEnvironment

from hive_core.config import parse_cluster_config
from n8n_import import compile_export
from tests.builders import chain, node
from tests.helpers import assert_eventually
from tests.webhook_stack import webhook_api
from workflows.n8n_models import ExecutionStatus, RunN8nInput
from workflows.n8n_run import N8nWorkflow

CLUSTER = parse_cluster_config(
    {"credentials": {"Hook user": {"type": "httpBasicAuth", "data": {"user": "ada", "password": "s3cret"}}}}
)


def _greet() -> dict[str, Any]:
    assignment = {"name": "greeting", "value": "=Hello {{ $json.body.name }}", "type": "string"}
    return node("Greet", "set", 3.4, assignments={"assignments": [assignment]})


def _workflow(workflow_id: str, nodes: list[dict[str, Any]]) -> dict[str, Any]:
    return {**chain(workflow_id, nodes), "id": workflow_id}


HEADER = {"name": "X-Hive", "value": "yes"}
WORKFLOWS = [
    _workflow("started", [node("Hook", "webhook", 2, httpMethod="POST", path="started")]),
    _workflow("last", [
        node("Hook", "webhook", 2, httpMethod="POST", path="greet", responseMode="lastNode"), _greet(),
    ]),
    _workflow("respond", [
        node("Hook", "webhook", 2, httpMethod="POST", path="respond", responseMode="responseNode"),
        _greet(),
        node("Reply", "respondToWebhook", 1.1, respondWith="json",
              responseBody='={{ {"said": $json.greeting, "n": 2} }}',
              options={"responseCode": 201, "responseHeaders": {"entries": [HEADER]}}),
    ]),
    _workflow("params", [
        {**node("Hook", "webhook", 2, path="users/:id", responseMode="lastNode"), "webhookId": "abc-123"},
    ]),
    _workflow("guarded", [
        {**node("Hook", "webhook", 2, path="guarded", responseMode="lastNode", authentication="basicAuth"),
         "credentials": {"httpBasicAuth": {"id": "1", "name": "Hook user"}}},
    ]),
]  # fmt: skip


@pytest.fixture
async def http(
    temporal_env: WorkflowEnvironment, tmp_path: Path, task_queue: str
) -> AsyncIterator[httpx.AsyncClient]:
    async with webhook_api(temporal_env, tmp_path, task_queue, WORKFLOWS, CLUSTER) as client:
        yield client


async def test_response_modes(http: httpx.AsyncClient) -> None:
    started = await http.post("/webhook/started", json={"name": "Ada"})
    assert (started.status_code, started.json()) == (200, {"message": "Workflow was started"})

    last = await http.post("/webhook/greet", json={"name": "Ada"})
    assert last.status_code == 200
    assert last.json() == {"greeting": "Hello Ada"}

    replied = await http.post("/webhook-test/respond", json={"name": "Grace"})
    assert replied.status_code == 201
    assert replied.headers["x-hive"] == "yes"
    assert replied.json() == {"said": "Hello Grace", "n": 2}


async def test_paths_params_and_query(http: httpx.AsyncClient) -> None:
    response = await http.get("/webhook/abc-123/users/42", params={"tag": ["a", "b"], "x": "1"})
    assert response.status_code == 200
    data = response.json()
    assert data["params"] == {"id": "42"}
    assert data["query"] == {"tag": ["a", "b"], "x": "1"}
    assert data["executionMode"] == "production"
    missing = await http.get("/webhook/nowhere")
    assert missing.status_code == 404
    assert 'webhook "GET nowhere" is not registered' in missing.json()["error"]["message"]
    wrong_method = await http.get("/webhook/greet")
    assert wrong_method.status_code == 404


async def test_basic_auth(http: httpx.AsyncClient) -> None:
    assert (await http.get("/webhook/guarded")).status_code == 401
    bad = base64.b64encode(b"ada:wrong").decode()
    assert (await http.get("/webhook/guarded", headers={"Authorization": f"Basic {bad}"})).status_code == 403
    good = base64.b64encode(b"ada:s3cret").decode()
    ok = await http.get("/webhook/guarded", headers={"Authorization": f"Basic {good}"})
    assert ok.status_code == 200
    assert ok.json()["headers"]["authorization"].startswith("Basic ")


def _waiting_workflow(**wait: Any) -> dict[str, Any]:
    url = {"name": "url", "value": "={{ $execution.resumeUrl }}", "type": "string"}
    answer = {"name": "answer", "value": "={{ $json.body ? $json.body.answer : 'none' }}", "type": "string"}
    return _workflow(
        "waiting",
        [
            node("Start", "manualTrigger", 1),
            node("Link", "set", 3.4, assignments={"assignments": [url]}),
            node("Wait", "wait", 1.1, resume="webhook", **wait),
            node("Answer", "set", 3.4, assignments={"assignments": [answer]}),
        ],
    )


async def test_wait_resumes_on_its_webhook(
    http: httpx.AsyncClient, temporal_env: WorkflowEnvironment, task_queue: str
) -> None:
    client = temporal_env.client
    handle = await client.start_workflow(
        N8nWorkflow.run,
        RunN8nInput(plan=compile_export(_waiting_workflow())[0], webhook_base_url="http://hive"),
        id=f"waiting-{task_queue}",
        task_queue=task_queue,
    )

    async def waiting() -> str:
        snapshot = await handle.query(N8nWorkflow.snapshot)
        assert snapshot.status is ExecutionStatus.WAITING
        url: str = snapshot.run_data["Link"][0]["data"]["main"][0][0]["json"]["url"]
        return url

    resume_url = await assert_eventually(waiting)
    assert resume_url == f"http://hive/webhook-waiting/{handle.id}"
    resumed = await http.post(resume_url.removeprefix("http://hive"), json={"answer": 42})
    assert resumed.status_code == 200, resumed.text
    result = await handle.result()
    assert result.status is ExecutionStatus.SUCCESS
    assert result.run_data["Answer"][0]["data"]["main"][0][0]["json"] == {"answer": "42"}
    again = await http.post(f"/webhook-waiting/{handle.id}", json={})
    assert again.status_code == 409
    assert (await http.post("/webhook-waiting/nope", json={})).status_code == 404

    limited = await client.execute_workflow(
        N8nWorkflow.run,
        RunN8nInput(
            plan=compile_export(_waiting_workflow(limitWaitTime=True, resumeAmount=1, resumeUnit="seconds"))[
                0
            ]
        ),
        id=f"limited-{task_queue}",
        task_queue=task_queue,
    )
    assert limited.status is ExecutionStatus.SUCCESS
    assert limited.run_data["Answer"][0]["data"]["main"][0][0]["json"] == {"answer": "none"}
