"""Files through webhooks, end to end (real Temporal dev server, worker, API, SQLite store).

A 50 MB CSV uploaded to a Webhook goes through Extract from File → Convert to File → Respond to
Webhook (binary). The bytes stay in the binary store: the run's whole Temporal history — every
payload of it — stays far below Temporal's 2 MB payload limit.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from temporalio.testing import WorkflowEnvironment

from hive_core.config import ClusterConfig
from tests.builders import chain, node
from tests.webhook_stack import webhook_api

HEADER = "id,name,note\n"


def _workflow(workflow_id: str, nodes: list[dict[str, Any]]) -> dict[str, Any]:
    return {**chain(workflow_id, nodes), "id": workflow_id}


WORKFLOWS = [
    _workflow("csv", [
        node("Hook", "webhook", 2, httpMethod="POST", path="csv", responseMode="responseNode"),
        node("Rows", "extractFromFile", 1, options={"maxRowCount": 3}),
        node("To CSV", "convertToFile", 1.1, options={"fileName": "first.csv"}),
        node("Reply", "respondToWebhook", 1.1, respondWith="binary"),
    ]),
    _workflow("raw", [
        node("Hook", "webhook", 2, httpMethod="POST", path="raw", responseMode="lastNode",
             responseData="firstEntryBinary", options={"binaryPropertyName": "upload"}),
        node("Zip", "compression", 1.1, operation="compress", binaryPropertyName="upload",
             binaryPropertyOutput="data", fileName="in.zip"),
    ]),
]  # fmt: skip


@pytest.fixture
async def http(
    temporal_env: WorkflowEnvironment, tmp_path: Path, task_queue: str
) -> AsyncIterator[httpx.AsyncClient]:
    async with webhook_api(temporal_env, tmp_path, task_queue, WORKFLOWS, ClusterConfig()) as client:
        yield client


def _big_csv(size: int) -> bytes:
    row = "{i},name {i},{pad}\n"
    pad = "x" * 200
    lines = [HEADER]
    total = len(HEADER)
    i = 0
    while total < size:
        line = row.format(i=i, pad=pad)
        lines.append(line)
        total += len(line)
        i += 1
    return "".join(lines).encode()


@pytest.mark.timeout(120)
async def test_50_mb_upload_to_binary_response_stays_out_of_history(
    http: httpx.AsyncClient, temporal_env: WorkflowEnvironment, tmp_path: Path
) -> None:
    content = _big_csv(50 * 1024 * 1024)
    response = await http.post("/webhook/csv", files={"data": ("big.csv", content, "text/csv")})
    assert response.status_code == 200, response.text[:300]
    assert response.headers["content-type"].startswith("text/csv")
    pad = "x" * 200
    expected = "\ufeffid,name,note\n" + "\n".join(f"{i},name {i},{pad}" for i in range(3))
    assert response.content.decode("utf-8") == expected

    executions = list((tmp_path / "binary-data/workflows/csv/executions").iterdir())
    assert len(executions) == 1
    stored = sorted(p.stat().st_size for p in executions[0].glob("binary_data/*") if p.suffix != ".metadata")
    assert stored[-1] == len(content)  # the upload, once, on disk
    history = await temporal_env.client.get_workflow_handle(executions[0].name).fetch_history()
    history_bytes = len(history.to_json())
    assert history_bytes < 200_000, f"history is {history_bytes} bytes"


async def test_raw_body_becomes_binary_and_last_node_answers_with_a_file(
    http: httpx.AsyncClient,
) -> None:
    body = b"\x00\x01binary payload\xff"
    response = await http.post(
        "/webhook/raw", content=body, headers={"content-type": "application/octet-stream"}
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        assert [archive.read(n) for n in archive.namelist()] == [body]


async def test_a_missing_file_is_the_extract_nodes_error(http: httpx.AsyncClient) -> None:
    upload = await http.post("/webhook/csv", files={"other": ("a.csv", b"id,name\n1,x\n", "text/csv")})
    assert upload.status_code == 500  # the run failed at Extract from File: no 'data' file


async def test_small_upload_round_trip(http: httpx.AsyncClient) -> None:
    upload = await http.post("/webhook/csv", files={"data": ("a.csv", b"id,name\n1,x\n", "text/csv")})
    assert upload.status_code == 200 and upload.content.decode() == "\ufeffid,name\n1,x"
