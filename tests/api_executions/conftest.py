"""Fixtures for the executions API: a migrated database (SQLite and PostgreSQL), keys, an app on the
session's real Temporal dev server and a real central worker on the test's task queue."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from temporalio.client import Client

from hive_core.db.models import UserRole
from tests.api_auth.conftest import (  # noqa: F401  (fixtures)
    auth,
    cluster_with,
    database_factory,
    database_url,
    engine,
    make_key,
    migrated_url,
    sessions,
)
from tests.api_workflows.conftest import ApiFactory, make_api  # noqa: F401  (fixtures)
from tests.builders import chain, node, worker_settings
from workers.factory import build_central_worker


@dataclass
class Stack:
    """The API client plus an operator and a viewer key (headers ready to send)."""

    http: httpx.AsyncClient
    operator: dict[str, str]
    viewer: dict[str, str]

    async def create_workflow(self, workflow_id: str, nodes: list[dict[str, Any]]) -> str:
        """Store an n8n workflow whose nodes run in a chain; returns its id."""
        data = {**chain(workflow_id, nodes), "id": workflow_id}
        response = await self.http.post("/api/workflows", json=data, headers=self.operator)
        assert response.status_code == 201, response.text
        return workflow_id


@pytest.fixture
async def stack(
    make_api: ApiFactory,  # noqa: F811
    make_key: Callable[..., Any],  # noqa: F811
    client: Client,
    task_queue: str,
) -> AsyncIterator[Stack]:
    operator = auth(await make_key(UserRole.OPERATOR))
    viewer = auth(await make_key(UserRole.VIEWER))
    async with build_central_worker(client, worker_settings(task_queue)), make_api() as http:
        yield Stack(http, operator, viewer)


def greet_nodes() -> list[dict[str, Any]]:
    """Manual trigger → Set `greeting` from the input's `name`."""
    greeting = {"name": "greeting", "value": "=Hello {{ $json.name }}", "type": "string"}
    return [
        node("Start", "manualTrigger", 1),
        node("Greet", "set", 3.4, x=200, assignments={"assignments": [greeting]}),
    ]
