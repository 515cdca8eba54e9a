"""The n8n benchmark workflows that use the HTTP Request node, run end to end by the scheduler.

The exports call `http://mockapi:8080/...`; the test points those URLs at the local server (which
answers any `/mock/...` path with a GitHub-like event list) and routes HTTP Request nodes to
`run_http_request`, every other node to the in-process node functions.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from hive_core.config.models import CredentialConfig
from n8n_import.compiler import compile_export
from n8n_runtime.engine import LocalExecutor, NodeFailure, NodeRequest, NodeResult, RunStatus, WorkflowRun
from n8n_runtime.engine.expressions import ExpressionRuntime
from n8n_runtime.http import NODE_TYPE, ConfigCredentials, EngineExpressions, run_http_request
from n8n_runtime.nodes.base import NodeError, NodeOutput, NodeRun
from n8n_runtime.nodes.registry import NODE_FUNCTIONS

BENCHMARK = Path(__file__).resolve().parents[4] / "shared" / "n8n-corpus" / "_benchmark"
RESPOND = "n8n-nodes-base.respondToWebhook"


def _respond_passthrough(run: NodeRun) -> NodeOutput:
    """Respond to Webhook with `allIncomingItems` passes its input on (the HTTP reply is not tested)."""
    return [list(run.items)]


class _Router:
    """HTTP Request nodes → `run_http_request`; everything else → the pure node functions."""

    def __init__(
        self, runtime: ExpressionRuntime, client: httpx.AsyncClient, credentials: ConfigCredentials
    ) -> None:
        self._runtime = runtime
        self._client = client
        self._credentials = credentials
        self._local = LocalExecutor(
            {**NODE_FUNCTIONS, RESPOND: _respond_passthrough},
            params_factory=runtime.parameters,
            extras_factory=runtime.extras,
        )

    async def __call__(self, request: NodeRequest) -> NodeResult:
        if request.node.type != NODE_TYPE:
            return await self._local(request)
        run = NodeRun(
            node=request.node,
            inputs=request.inputs,
            params=self._runtime.parameters(request),
            run_index=request.run_index,
            state=request.state,
        )
        expressions = EngineExpressions.for_request(self._runtime, request)
        try:
            outputs = await run_http_request(run, self._client, self._credentials, expressions=expressions)
        except NodeError as error:
            return NodeResult(error=NodeFailure(error.message, error.description, error.item_index))
        return NodeResult(outputs=outputs)


def _load(name: str, base_url: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((BENCHMARK / name).read_text())
    for node in data["nodes"]:
        if node["type"] == NODE_TYPE:
            node["parameters"]["url"] = node["parameters"]["url"].replace(
                "http://mockapi:8080", f"{base_url}/mock"
            )
    return data


@pytest.mark.parametrize("name", ["http-node.json", "credential-http-node.json"])
async def test_benchmark_workflow(name: str, base_url: str, client: httpx.AsyncClient) -> None:
    if not (BENCHMARK / name).exists():
        pytest.skip(f"{name} is not in the corpus")
    plan = compile_export(_load(name, base_url))[0]
    credentials = ConfigCredentials(
        {"Dummy HTTP credential": CredentialConfig(type="httpBearerAuth", data={"token": "dummy"})}
    )
    runtime = ExpressionRuntime(plan, clock=lambda: 1_700_000_000_000)
    try:
        result = await WorkflowRun(plan, clock=lambda: 1_700_000_000_000).run(
            _Router(runtime, client, credentials)
        )
    finally:
        runtime.close()
    assert result.status == RunStatus.SUCCESS, result.error
    events = result.run_data["Mock repository events"][0]["data"]["main"][0]
    assert len(events) == 1
    full = events[0]["json"]
    assert full["statusCode"] == 200 and full["statusMessage"] == "OK"
    assert [e["type"] for e in full["body"]] == ["PushEvent"] * 3
    expected_auth = "Bearer dummy" if name.startswith("credential") else None
    assert {e["auth"] for e in full["body"]} == {expected_auth}
    selected = result.run_data["Select statusCode"][0]["data"]["main"][0]
    assert [item["json"] for item in selected] == [{"statusCode": 200}] * 3
