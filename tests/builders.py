"""Small builders for n8n workflows and worker settings used across the Temporal tests."""

from __future__ import annotations

import tempfile
import uuid
from itertools import pairwise
from pathlib import Path
from typing import Any

from temporalio.client import Client

from hive_core.binary_data import BinaryDataSettings
from hive_core.settings import HiveSettings, TemporalSettings, WorkerSettings
from n8n_import import compile_export
from workflows.n8n_models import N8nRunSnapshot, RunN8nInput
from workflows.n8n_run import N8nWorkflow


def node(name: str, kind: str, version: float, x: int = 0, **parameters: Any) -> dict[str, Any]:
    """An n8n node of type `n8n-nodes-base.<kind>`."""
    return {
        "name": name,
        "type": f"n8n-nodes-base.{kind}",
        "typeVersion": version,
        "position": [x, 0],
        "parameters": parameters,
    }


def chain(name: str, nodes: list[dict[str, Any]], **settings: Any) -> dict[str, Any]:
    """A workflow whose nodes are connected one after the other (execution order v1)."""
    names = [n["name"] for n in nodes]
    connections = {a: {"main": [[{"node": b, "type": "main", "index": 0}]]} for a, b in pairwise(names)}
    return {
        "name": name,
        "nodes": nodes,
        "connections": connections,
        "settings": {"executionOrder": "v1", **settings},
    }


def worker_settings(task_queue: str, **worker: Any) -> HiveSettings:
    """Settings for an in-process central worker on `task_queue` (no metrics port)."""
    return HiveSettings(
        temporal=TemporalSettings(task_queue=task_queue),
        worker=WorkerSettings(metrics_port=0, **worker),
        # File nodes' bytes go to a temp dir, not the checkout's .hive/.
        binary_data=BinaryDataSettings(
            path=Path(tempfile.gettempdir()) / "hive-test-binary-data",
            file_roots=[Path(tempfile.gettempdir()) / "hive-test-files"],
        ),
    )


async def run_workflow(
    client: Client, task_queue: str, workflow: dict[str, Any], **request: Any
) -> N8nRunSnapshot:
    """Compile `workflow` and run it to the end through the interpreter."""
    return await client.execute_workflow(
        N8nWorkflow.run,
        RunN8nInput(plan=compile_export(workflow)[0], **request),
        id=f"test-{uuid.uuid4().hex[:10]}",
        task_queue=task_queue,
    )
