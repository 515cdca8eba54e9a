"""Webhook-started runs are in the execution list at once, without any reconciler pass."""

from __future__ import annotations

import time

import pytest
from temporalio.client import Client

from tests.builders import node
from tests.helpers import assert_eventually

from .conftest import Stack, greet_nodes

MODES = ["onReceived", "lastNode", "responseNode"]


def _hook_nodes(path: str, mode: str) -> list[dict[str, object]]:
    nodes = [node("Hook", "webhook", 2, httpMethod="POST", path=path, responseMode=mode), greet_nodes()[1]]
    if mode == "responseNode":
        nodes.append(
            node("Reply", "respondToWebhook", 1.1, x=400, respondWith="json", responseBody="={{ $json }}")
        )
    return nodes


@pytest.mark.parametrize("mode", MODES)
async def test_webhook_run_listed_within_a_second(
    stack: Stack, client: Client, task_queue: str, mode: str
) -> None:
    path = f"listed-{mode}-{task_queue}"
    workflow_id = await stack.create_workflow(
        f"hook-{MODES.index(mode)}-{task_queue}", _hook_nodes(path, mode)
    )
    activated = await stack.http.post(f"/api/workflows/{workflow_id}/activate", headers=stack.operator)
    assert activated.status_code == 200, activated.text

    answered = await stack.http.post(f"/webhook/{path}", json={"name": "Ada"})
    assert answered.status_code == 200, answered.text
    answered_at = time.monotonic()
    # No reconciler runs in this stack: only the webhook route can have written the row.
    listed = await stack.http.get(
        "/api/executions", params={"workflow_id": workflow_id}, headers=stack.viewer
    )
    assert time.monotonic() - answered_at < 1.0
    items = listed.json()["items"]
    assert len(items) == 1, items
    assert items[0]["mode"] == "webhook"
    execution_id = items[0]["id"]
    assert execution_id.startswith("webhook-")

    async def finished() -> None:
        # GET reads through to Temporal: the indexed id names the real run.
        got = await stack.http.get(f"/api/executions/{execution_id}", headers=stack.viewer)
        assert got.status_code == 200 and got.json()["status"] == "success", got.text

    await assert_eventually(finished, timeout_s=20)
