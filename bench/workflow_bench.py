"""End-to-end cost of pure n8n nodes under Temporal: a 20-node workflow over 100 items.

Runs on a real `temporal server start-dev` (in memory) with Hive's central worker in this process.
Each pure node is a local activity (a checkpoint); the same plan run by the bare scheduler
in-process (no Temporal) is measured in the same run, so the table shows what Temporal adds.

    python bench/workflow_bench.py [--runs 15] [--save FILE] [--baseline FILE]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
import uuid
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


from bench._table import add_baseline_args, report  # noqa: E402
from hive_core.settings import HiveSettings, TemporalSettings, WorkerSettings  # noqa: E402
from hive_core.stack.dev_server import start_ephemeral_server  # noqa: E402
from n8n_import import compile_export  # noqa: E402
from n8n_import.plan import Plan  # noqa: E402
from n8n_runtime.engine import LocalExecutor, WorkflowRun  # noqa: E402
from n8n_runtime.engine.expressions import ExpressionRuntime  # noqa: E402
from n8n_runtime.nodes.registry import NODE_FUNCTIONS  # noqa: E402
from workers.factory import build_central_worker  # noqa: E402
from workflows.n8n_models import ExecutionStatus, RunN8nInput  # noqa: E402
from workflows.n8n_run import N8nWorkflow  # noqa: E402

ITEMS = 100


def _node(name: str, kind: str, version: float, x: int, parameters: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": name,
        "type": f"n8n-nodes-base.{kind}",
        "typeVersion": version,
        "position": [x, 0],
        "parameters": parameters,
    }


def _set(name: str, x: int, field: str, expression: str) -> dict[str, Any]:
    assignment = {"id": name, "name": field, "value": expression, "type": "string"}
    return _node(
        name, "set", 3.4, x, {"assignments": {"assignments": [assignment]}, "includeOtherFields": True}
    )


def _if(name: str, x: int, expression: str) -> dict[str, Any]:
    condition = {
        "leftValue": expression,
        "rightValue": 50,
        "operator": {"type": "number", "operation": "gt"},
    }
    return _node(
        name, "if", 2, x, {"conditions": {"conditions": [condition], "combinator": "and", "options": {}}}
    )


def twenty_node_workflow() -> dict[str, Any]:
    generate = (
        f"return Array.from({{length: {ITEMS}}}, "
        "(_, i) => ({json: {id: i, name: 'item ' + i, value: i}}));"
    )
    nodes = [
        _node("Start", "manualTrigger", 1, 0, {}),
        _node("Generate", "code", 2, 1, {"jsCode": generate}),
        _set("Label", 2, "label", "={{ $json.name.toUpperCase() }}"),
        _if("Big?", 3, "={{ $json.value }}"),
        _set("Big", 4, "size", "big"),
        _set("Small", 4, "size", "small"),
        _node("Merge", "merge", 2.1, 5, {}),
        _node(
            "Score",
            "code",
            2,
            6,
            {"jsCode": "return $input.all().map(i => ({json: {...i.json, score: i.json.value * 3}}));"},
        ),
        _node(
            "Even",
            "filter",
            2,
            7,
            {
                "conditions": {
                    "conditions": [
                        {
                            "leftValue": "={{ $json.id % 2 }}",
                            "rightValue": 0,
                            "operator": {"type": "number", "operation": "equals"},
                        }
                    ],
                    "combinator": "and",
                    "options": {},
                }
            },
        ),
        _node(
            "Sort",
            "sort",
            1,
            8,
            {"sortFieldsUi": {"sortField": [{"fieldName": "score", "order": "descending"}]}},
        ),
        _set("Describe", 9, "text", "=#{{ $json.id }}: {{ $json.label }} scores {{ $json.score }}"),
        _node(
            "Rename",
            "renameKeys",
            1,
            10,
            {"keys": {"key": [{"currentKey": "text", "newKey": "description"}]}},
        ),
        _node("Limit", "limit", 1, 11, {"maxItems": 40}),
        _set("Stamp", 12, "at", "={{ $now.toISO() }}"),
        _node("Dedupe", "removeDuplicates", 1.1, 13, {"compare": "selectedFields", "fieldsToCompare": "id"}),
        _node(
            "Finalize",
            "code",
            2,
            14,
            {"mode": "runOnceForEachItem", "jsCode": "return {json: {...$json, done: true}};"},
        ),
        _if("High?", 15, "={{ $json.score }}"),
        _node("High", "noOp", 1, 16, {}),
        _node("Low", "noOp", 1, 16, {}),
        _node("Collect", "merge", 2.1, 17, {}),
    ]
    edges = [
        ("Start", "Generate", 0, 0), ("Generate", "Label", 0, 0), ("Label", "Big?", 0, 0),
        ("Big?", "Big", 0, 0), ("Big?", "Small", 1, 0), ("Big", "Merge", 0, 0), ("Small", "Merge", 0, 1),
        ("Merge", "Score", 0, 0), ("Score", "Even", 0, 0), ("Even", "Sort", 0, 0), ("Sort", "Describe", 0, 0),
        ("Describe", "Rename", 0, 0), ("Rename", "Limit", 0, 0), ("Limit", "Stamp", 0, 0),
        ("Stamp", "Dedupe", 0, 0), ("Dedupe", "Finalize", 0, 0), ("Finalize", "High?", 0, 0),
        ("High?", "High", 0, 0), ("High?", "Low", 1, 0), ("High", "Collect", 0, 0), ("Low", "Collect", 0, 1),
    ]  # fmt: skip
    connections: dict[str, Any] = {}
    for source, target, output, index in edges:
        outputs = connections.setdefault(source, {"main": []})["main"]
        while len(outputs) <= output:
            outputs.append([])
        outputs[output].append({"node": target, "type": "main", "index": index})
    return {
        "name": "bench-20",
        "nodes": nodes,
        "connections": connections,
        "settings": {"executionOrder": "v1"},
    }


def two_node_workflow() -> dict[str, Any]:
    data = twenty_node_workflow()
    data["nodes"] = data["nodes"][:2]
    data["connections"] = {"Start": data["connections"]["Start"]}
    return data


async def in_process(plan: Plan) -> float:
    runtime = ExpressionRuntime(plan, clock=lambda: 0)
    executor = LocalExecutor(NODE_FUNCTIONS, params_factory=runtime.parameters, extras_factory=runtime.extras)
    started = time.perf_counter()
    result = await WorkflowRun(plan, clock=lambda: 0).run(executor)
    elapsed = time.perf_counter() - started
    runtime.close()
    assert result.status.value == "success", result.error
    return elapsed * 1000


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    add_baseline_args(parser)
    args = parser.parse_args()
    big = compile_export(twenty_node_workflow())[0]
    small = compile_export(two_node_workflow())[0]
    env = await start_ephemeral_server()
    queue = f"bench-{uuid.uuid4().hex[:6]}"
    settings = HiveSettings(
        temporal=TemporalSettings(task_queue=queue), worker=WorkerSettings(metrics_port=0)
    )
    timings: dict[str, list[float]] = {"20": [], "2": [], "bare": []}
    async with build_central_worker(env.client, settings):
        for run in range(args.runs + 1):  # the first run warms up V8 and the worker
            for key, plan in (("20", big), ("2", small)):
                started = time.perf_counter()
                result = await env.client.execute_workflow(
                    N8nWorkflow.run, RunN8nInput(plan=plan), id=f"bench-{uuid.uuid4()}", task_queue=queue
                )
                assert result.status is ExecutionStatus.SUCCESS, result.error
                if run:
                    timings[key].append((time.perf_counter() - started) * 1000)
            if run:
                timings["bare"].append(await in_process(big))
    await env.shutdown()
    t20, t2, bare = (statistics.median(timings[k]) for k in ("20", "2", "bare"))
    report(
        {
            f"20-node workflow, {ITEMS} items, end to end (ms)": t20,
            "2-node workflow, end to end (ms)": t2,
            "cost per pure node under Temporal (ms)": (t20 - t2) / 18,
            "20-node plan, bare scheduler in-process (ms)": bare,
            "compute per node without Temporal (ms)": bare / 20,
            "p95 20-node end to end (ms)": sorted(timings["20"])[int(0.95 * (len(timings["20"]) - 1))],
        },
        args,
    )


if __name__ == "__main__":
    asyncio.run(main())
