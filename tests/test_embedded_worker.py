"""The central worker inside the API process (``api.embedded_worker``): it runs what the API starts,
eagerly (the first workflow task comes back in the start reply), with no other worker anywhere.
"""

from __future__ import annotations

from pathlib import Path

from temporalio.api.enums.v1 import EventType
from temporalio.api.history.v1 import HistoryEvent
from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment

from hive_core.config import ClusterConfig
from tests.builders import chain, node
from tests.webhook_stack import webhook_api

GREETING = {"name": "greeting", "value": "=Hello {{ $json.body.name }}", "type": "string"}
WORKFLOW = {
    **chain(
        "embedded",
        [
            node("Hook", "webhook", 2, httpMethod="POST", path="greet", responseMode="lastNode"),
            node("Greet", "set", 3.4, assignments={"assignments": [GREETING]}),
        ],
    ),
    "id": "embedded",
}


async def _first_task_started(client: Client, task_queue: str) -> HistoryEvent:
    """The first WorkflowTaskStarted event of the one run on ``task_queue``."""
    runs = [run async for run in client.list_workflows(f"TaskQueue = '{task_queue}'")]
    assert len(runs) == 1, runs
    async for event in client.get_workflow_handle(runs[0].id).fetch_history_events():
        if event.event_type == EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED:
            return event
    raise AssertionError("no workflow task started")


def _polled(event: HistoryEvent) -> bool:
    """A task a worker polled for carries the worker's build id; an eager one came with the start."""
    return bool(event.workflow_task_started_event_attributes.worker_version.build_id)


async def test_api_with_embedded_worker_runs_webhooks_eagerly(
    temporal_env: WorkflowEnvironment, tmp_path: Path, task_queue: str
) -> None:
    # No worker but the API's own polls this queue: the answer proves the embedded one ran it.
    stack = webhook_api(temporal_env, tmp_path, task_queue, [WORKFLOW], ClusterConfig(), embedded_worker=True)
    async with stack as http:
        response = await http.post("/webhook/greet", json={"name": "Ada"})
        assert (response.status_code, response.json()) == (200, {"greeting": "Hello Ada"})
    assert not _polled(await _first_task_started(temporal_env.client, task_queue))


async def test_api_without_embedded_worker_leaves_the_task_to_a_poll(
    temporal_env: WorkflowEnvironment, tmp_path: Path, task_queue: str
) -> None:
    """The contrast that makes the check above mean something: a worker apart polls for it."""
    async with webhook_api(temporal_env, tmp_path, task_queue, [WORKFLOW], ClusterConfig()) as http:
        response = await http.post("/webhook/greet", json={"name": "Ada"})
        assert response.status_code == 200
    assert _polled(await _first_task_started(temporal_env.client, task_queue))
