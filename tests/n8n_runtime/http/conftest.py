"""Fixtures: the real local HTTP server, an httpx client, and NodeRuns built from real workflows."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from hive_core.config.models import CredentialConfig
from n8n_import.compiler import compile_export
from n8n_import.plan import Plan
from n8n_runtime.engine import ExecutionState, NodeRequest
from n8n_runtime.engine.expressions import ExpressionRuntime
from n8n_runtime.http import ConfigCredentials, EngineExpressions, run_http_request
from n8n_runtime.nodes.base import Item, NodeOutput, NodeRun
from tests.n8n_runtime.http.server import serve


@pytest.fixture(scope="session")
def base_url() -> Iterator[str]:
    with serve() as url:
        yield url


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient() as http:
        yield http


@dataclass
class HttpNode:
    """One HTTP Request node in a tiny workflow (manual trigger → node), run with real
    expression evaluation."""

    plan: Plan
    items: list[Item]
    client: httpx.AsyncClient
    credentials: dict[str, CredentialConfig] = field(default_factory=dict)
    runtimes: list[ExpressionRuntime] = field(default_factory=list)

    def run_for(self) -> tuple[NodeRun, EngineExpressions]:
        runtime = ExpressionRuntime(self.plan)
        self.runtimes.append(runtime)
        node = self.plan.node("HTTP")
        request = NodeRequest(
            node=node,
            inputs=[self.items],
            run_index=0,
            source=[{"previousNode": "Trigger", "previousNodeOutput": 0, "previousNodeRun": 0}],
            connection_input=self.items,
            state={},
            execution=ExecutionState(plan=self.plan, run_data={}, node_contexts={}),
        )
        run = NodeRun(node=node, inputs=[self.items], params=runtime.parameters(request))
        return run, EngineExpressions.for_request(runtime, request)

    async def __call__(self, **kwargs: Any) -> NodeOutput:
        run, expressions = self.run_for()
        kwargs.setdefault("expressions", expressions)
        return await run_http_request(run, self.client, ConfigCredentials(self.credentials), **kwargs)

    async def jsons(self, **kwargs: Any) -> list[dict[str, Any]]:
        output = await self(**kwargs)
        return [item["json"] for item in output[0] or []]


MakeNode = Callable[..., HttpNode]


@pytest.fixture
def make_node(client: httpx.AsyncClient) -> Iterator[MakeNode]:
    made: list[HttpNode] = []

    def make(
        parameters: dict[str, Any],
        *,
        items: list[dict[str, Any]] | None = None,
        version: float = 4.2,
        credentials: dict[str, dict[str, str]] | None = None,
        configured: dict[str, CredentialConfig] | None = None,
        on_error: str | None = None,
    ) -> HttpNode:
        http: dict[str, Any] = {
            "name": "HTTP",
            "type": "n8n-nodes-base.httpRequest",
            "typeVersion": version,
            "parameters": parameters,
            "position": [200, 0],
        }
        if credentials:
            http["credentials"] = credentials
        if on_error:
            http["onError"] = on_error
        trigger = {
            "name": "Trigger",
            "type": "n8n-nodes-base.manualTrigger",
            "typeVersion": 1,
            "parameters": {},
            "position": [0, 0],
        }
        data = {
            "nodes": [trigger, http],
            "connections": {"Trigger": {"main": [[{"node": "HTTP", "type": "main", "index": 0}]]}},
        }
        node = HttpNode(
            compile_export(data)[0],
            # Items with binary data are passed whole ({"json", "binary"}); plain dicts are jsons.
            [j if "binary" in j else {"json": j} for j in (items or [{}])],
            client,
            dict(configured or {}),
        )
        made.append(node)
        return node

    yield make
    for node in made:
        for runtime in node.runtimes:
            runtime.close()
