"""The HTTP Request node through Temporal: a real request, n8n's retry settings, onError."""

from __future__ import annotations

import hashlib
import uuid
from typing import Any

from temporalio.client import Client

from n8n_import import compile_export
from tests.builders import chain, node, run_workflow, worker_settings
from tests.counting_server import counting_server
from tests.n8n_runtime.http.server import serve
from workers.factory import build_central_worker
from workflows.n8n_models import ExecutionStatus, RunN8nInput
from workflows.n8n_run import N8nWorkflow


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


async def test_http_file_download_and_upload_stay_out_of_history(client: Client, task_queue: str) -> None:
    size = 5_000_000
    with serve() as base:
        download = node(
            "Download",
            "httpRequest",
            4.2,
            200,
            url=f"{base}/file/{size}",
            options={"response": {"response": {"responseFormat": "file"}}},
        )
        send = node(
            "Upload",
            "httpRequest",
            4.2,
            400,
            method="POST",
            url=f"{base}/upload",
            sendBody=True,
            contentType="binaryData",
            inputDataFieldName="data",
            options={},
        )
        workflow = chain("files", [node("Start", "manualTrigger", 1), download, send])
        run_id = f"files-{uuid.uuid4().hex[:8]}"
        async with build_central_worker(client, worker_settings(task_queue)):
            run = await client.execute_workflow(
                N8nWorkflow.run,
                RunN8nInput(plan=compile_export(workflow)[0]),
                id=run_id,
                task_queue=task_queue,
            )
    assert run.status is ExecutionStatus.SUCCESS, run.error
    [file_item] = run.run_data["Download"][0]["data"]["main"][0]
    data = file_item["binary"]["data"]
    assert data["id"].startswith("filesystem-v2:workflows/")
    assert {k: v for k, v in data.items() if k != "id"} == {
        "mimeType": "application/pdf", "fileType": "pdf", "fileExtension": "pdf", "fileName": "report.pdf",
        "fileSize": "5 MB", "data": "filesystem-v2",
    }  # fmt: skip
    body = b"%PDF" + b"x" * (size - 4)
    [sent] = run.run_data["Upload"][0]["data"]["main"][0]
    assert sent["json"] == {
        "size": size,
        "sha256": hashlib.sha256(body).hexdigest(),
        "type": "application/pdf",
    }
    history = await client.get_workflow_handle(run_id).fetch_history()
    assert len(history.to_json()) < 200_000
