"""n8n's webhook authentication options on Hive's webhook URLs: none and header auth.

(Basic auth is covered in tests/test_webhooks.py.) The webhook routes take no Hive API key: they
answer to the credentials the Webhook node names, as n8n does.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from temporalio.testing import WorkflowEnvironment

from hive_core.config import parse_cluster_config
from tests.builders import chain, node
from tests.webhook_stack import webhook_api

CLUSTER = parse_cluster_config(
    {
        "credentials": {
            "Hook token": {"type": "httpHeaderAuth", "data": {"name": "X-Hook-Token", "value": "t0k"}}
        }
    }
)


def _hook(workflow_id: str, path: str, **parameters: Any) -> dict[str, Any]:
    hook = node("Hook", "webhook", 2, httpMethod="POST", path=path, responseMode="lastNode", **parameters)
    if parameters.get("authentication") == "headerAuth":
        hook["credentials"] = {"httpHeaderAuth": {"id": "7", "name": "Hook token"}}
    return {**chain(workflow_id, [hook]), "id": workflow_id}


WORKFLOWS = [
    _hook("open", "open-hook", authentication="none"),
    _hook("header", "header-hook", authentication="headerAuth"),
]


@pytest.fixture
async def http(
    temporal_env: WorkflowEnvironment, tmp_path: Path, task_queue: str
) -> AsyncIterator[httpx.AsyncClient]:
    async with webhook_api(temporal_env, tmp_path, task_queue, WORKFLOWS, CLUSTER) as client:
        yield client


async def test_none_needs_no_credentials_at_all(http: httpx.AsyncClient) -> None:
    response = await http.post("/webhook/open-hook", json={"n": 1})
    assert response.status_code == 200, response.text
    assert response.json()["body"] == {"n": 1}


async def test_header_auth(http: httpx.AsyncClient) -> None:
    missing = await http.post("/webhook/header-hook", json={})
    assert (missing.status_code, missing.json()) == (401, {"message": "Authorization is required!"})
    wrong = await http.post("/webhook/header-hook", json={}, headers={"X-Hook-Token": "nope"})
    assert (wrong.status_code, wrong.json()) == (403, {"message": "Authorization data is wrong!"})
    # A Hive API key is not the webhook's credential.
    key = await http.post("/webhook/header-hook", json={}, headers={"X-API-Key": "t0k"})
    assert key.status_code == 401
    ok = await http.post("/webhook-test/header-hook", json={"n": 2}, headers={"x-hook-token": "t0k"})
    assert ok.status_code == 200, ok.text
    assert ok.json()["body"] == {"n": 2} and ok.json()["executionMode"] == "test"
