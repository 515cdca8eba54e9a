"""kill -9 of the worker mid-run: the run completes on another worker, finished nodes never re-run.

The worker is a real `hive worker` process. Its debug log records every node it executes, so the
logs of both workers together prove which nodes ran how often.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import uuid
from pathlib import Path

from temporalio.api.enums.v1 import EventType
from temporalio.client import Client, WorkflowHandle
from temporalio.testing import WorkflowEnvironment

from n8n_import import compile_export
from tests.counting_server import counting_server
from tests.helpers import assert_eventually
from workflows.n8n_models import ExecutionStatus, N8nRunSnapshot, RunN8nInput
from workflows.n8n_run import N8nWorkflow

REPO = Path(__file__).resolve().parents[1]


def _workflow(url: str) -> dict[str, object]:
    def code(name: str, x: int) -> dict[str, object]:
        js = f"return $input.all().map(i => ({{json: {{...i.json, {name.replace(' ', '')}: {x}}}}}));"
        return {
            "name": name,
            "type": "n8n-nodes-base.code",
            "typeVersion": 2,
            "position": [x * 200, 0],
            "parameters": {"jsCode": js},
        }

    nodes = [
        {"name": "Start", "type": "n8n-nodes-base.manualTrigger", "typeVersion": 1, "position": [0, 0]},
        {
            "name": "Call",
            "type": "n8n-nodes-base.httpRequest",
            "typeVersion": 4.2,
            "position": [100, 0],
            "parameters": {"url": f"{url}/ok", "options": {}},
        },
        code("Code A", 1),
        code("Code B", 2),
        {
            "name": "Wait",
            "type": "n8n-nodes-base.wait",
            "typeVersion": 1.1,
            "position": [600, 0],
            "parameters": {"amount": 4, "unit": "seconds"},
        },
        code("Code C", 4),
    ]
    chain = ["Start", "Call", "Code A", "Code B", "Wait", "Code C"]
    connections = {
        a: {"main": [[{"node": b, "type": "main", "index": 0}]]}
        for a, b in zip(chain, chain[1:], strict=False)
    }
    return {
        "name": "durability",
        "nodes": nodes,
        "connections": connections,
        "settings": {"executionOrder": "v1"},
    }


def _start_worker(address: str, queue: str, log_path: Path) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HIVE_")}
    env.update(
        HIVE_TEMPORAL__ADDRESS=address,
        HIVE_TEMPORAL__TASK_QUEUE=queue,
        HIVE_WORKER__METRICS_PORT="0",
        HIVE_WORKER__STICKY_SCHEDULE_TO_START_S="2",
        HIVE_LOG_LEVEL="DEBUG",
    )
    with open(log_path, "wb") as log:
        return subprocess.Popen(
            [sys.executable, "-m", "hive_core.cli", "worker"], cwd=REPO, env=env, stdout=log, stderr=log
        )


async def _timer_started(handle: WorkflowHandle[N8nWorkflow, N8nRunSnapshot]) -> None:
    history = await handle.fetch_history()
    assert any(e.event_type == EventType.EVENT_TYPE_TIMER_STARTED for e in history.events)


def _runs(log: str, node: str) -> int:
    return log.count(f"ran node {node!r} run 0")


async def test_kill_9_mid_run_loses_nothing(temporal_env: WorkflowEnvironment, tmp_path: Path) -> None:
    client: Client = temporal_env.client
    address = client.service_client.config.target_host
    queue = f"durability-{uuid.uuid4().hex[:8]}"
    with counting_server() as server:
        result, log1, log2 = await _run_with_kill(client, address, queue, _workflow(server.url), tmp_path)
    # The HTTP call (an effect outside Hive) happened exactly once.
    assert server.counts["/ok"] == 1
    assert result.status is ExecutionStatus.SUCCESS, result.error
    final = result.run_data["Code C"][0]["data"]["main"][0][0]["json"]
    assert final == {"path": "/ok", "count": 1, "CodeA": 1, "CodeB": 2, "CodeC": 4}
    for node in ("Code A", "Code B", "Wait"):
        assert _runs(log1, node) == 1, f"{node} should have run on the first worker"
        assert _runs(log2, node) == 0, f"{node} ran again after the crash"
    assert _runs(log1, "Code C") == 0
    assert _runs(log2, "Code C") == 1


async def _run_with_kill(
    client: Client, address: str, queue: str, workflow: dict[str, object], tmp_path: Path
) -> tuple[N8nRunSnapshot, str, str]:
    plan = compile_export(workflow)[0]
    first = _start_worker(address, queue, tmp_path / "worker1.log")
    second = None
    try:
        handle = await client.start_workflow(
            N8nWorkflow.run, RunN8nInput(plan=plan), id=f"durable-{uuid.uuid4().hex[:8]}", task_queue=queue
        )
        # Code A and B are done and the Wait's timer is durable: kill the worker now.
        await assert_eventually(lambda: _timer_started(handle), timeout_s=30, interval_s=0.1)
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
        second = _start_worker(address, queue, tmp_path / "worker2.log")
        result = await asyncio.wait_for(handle.result(), timeout=60)
    finally:
        for process in (first, second):
            if process is not None and process.poll() is None:
                process.kill()
                process.wait()
    return result, (tmp_path / "worker1.log").read_text(), (tmp_path / "worker2.log").read_text()
