"""The HTTP Request node through Temporal: a real request, n8n's retry settings, onError."""

from __future__ import annotations

from typing import Any

from temporalio.client import Client

from tests.builders import chain, node, run_workflow, worker_settings
from tests.counting_server import counting_server
from workers.factory import build_central_worker
from workflows.n8n_models import ExecutionStatus


def _workflow(url: str, **settings: Any) -> dict[str, Any]:
    call = {**node("Call", "httpRequest", 4.2, 200, url=url, options={}), **settings}
    return chain("http", [node("Start", "manualTrigger", 1), call])


async def test_http_node_calls_once_and_retries_like_n8n(client: Client, task_queue: str) -> None:
    with counting_server() as server:
        async with build_central_worker(client, worker_settings(task_queue)):
            ok = await run_workflow(client, task_queue, _workflow(f"{server.url}/ok"))
            assert ok.status is ExecutionStatus.SUCCESS, ok.error
            assert ok.run_data["Call"][0]["data"]["main"][0][0]["json"] == {"path": "/ok", "count": 1}

            flaky = await run_workflow(
                client,
                task_queue,
                _workflow(f"{server.url}/flaky/2", retryOnFail=True, maxTries=3, waitBetweenTries=50),
            )
            assert flaky.status is ExecutionStatus.SUCCESS, flaky.error
            assert server.counts["/flaky/2"] == 3  # two failures, then success

            never = await run_workflow(client, task_queue, _workflow(f"{server.url}/flaky/9"))
            assert never.status is ExecutionStatus.ERROR
            assert server.counts["/flaky/9"] == 1  # no retryOnFail: one attempt, as in n8n
            assert never.last_node_executed == "Call"

            tolerated = await run_workflow(
                client, task_queue, _workflow(f"{server.url}/down", onError="continueRegularOutput")
            )
            assert tolerated.status is ExecutionStatus.SUCCESS
            item = tolerated.run_data["Call"][0]["data"]["main"][0][0]["json"]
            assert "error" in item
    assert server.counts["/ok"] == 1
