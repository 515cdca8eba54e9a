"""Hive against n8n's own engine: one 20-node / 100-item pure workflow, same JSON, same machine.

- Hive: the compiled plan through a real `temporal server start-dev` (in memory) and Hive's
  central worker in this process, `N8nWorkflow.run` end to end as `hive run` starts it (client
  call to result), the 100 items as the trigger's items.
- n8n: `bench/_n8n_peer.js` in one Node process: n8n-core's `WorkflowExecute.run` over the whole
  workflow in memory (the n8n packages the node host pins), the same items as the trigger's pin
  data.

Both halves run in this one invocation; the table shows the median of `--runs` runs after one
warm-up, the ratio, and whether the last node's items are identical.

    python bench/n8n_peer_bench.py [--runs 7] [--save FILE] [--baseline FILE]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._table import add_baseline_args, report  # noqa: E402
from hive_core.settings import HiveSettings, TemporalSettings, WorkerSettings  # noqa: E402
from hive_core.stack.dev_server import start_ephemeral_server  # noqa: E402
from n8n_import import compile_export  # noqa: E402
from workers.factory import build_central_worker  # noqa: E402
from workflows.n8n_models import ExecutionStatus, RunN8nInput  # noqa: E402
from workflows.n8n_run import N8nWorkflow  # noqa: E402

ITEMS = 100
PEER_SCRIPT = Path(__file__).with_name("_n8n_peer.js")
CODE = (
    "return $input.all().map((item, i) => "
    "({ json: { ...item.json, rank: i, tags: [item.json.category, 'all'] } }));"
)


def _node(name: str, kind: str, version: float, parameters: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": name,
        "type": f"n8n-nodes-base.{kind}",
        "typeVersion": version,
        "position": [0, 0],
        "parameters": parameters,
    }


def _assign(name: str, value: Any, kind: str) -> dict[str, Any]:
    return {"id": name, "name": name, "value": value, "type": kind}


def _condition(left: str, kind: str, op: str, right: Any) -> dict[str, Any]:
    return {
        "options": {"caseSensitive": True, "leftValue": "", "typeValidation": "strict", "version": 2},
        "conditions": [
            {"id": "c", "leftValue": left, "rightValue": right, "operator": {"type": kind, "operation": op}}
        ],
        "combinator": "and",
    }


def peer_workflow() -> dict[str, Any]:
    """Set, Code, If, Merge, Sort, Date & Time, Crypto, Rename Keys, Filter, Remove Duplicates,
    Limit, Item Lists, Split Out, Summarize, ... : 20 nodes, one If branch joined by a Merge."""

    def mark(size: str) -> dict[str, Any]:
        assignments = [_assign("size", size, "string")]
        return {
            "mode": "manual",
            "includeOtherFields": True,
            "options": {},
            "assignments": {"assignments": assignments},
        }

    nodes = [
        _node("Trigger", "manualTrigger", 1, {}),
        _node(
            "Prepare",
            "set",
            3.4,
            {
                "mode": "manual",
                "includeOtherFields": True,
                "options": {},
                "assignments": {
                    "assignments": [
                        _assign("total", "={{ $json.price * $json.qty }}", "number"),
                        _assign("label", "={{ $json.name.toUpperCase() }}", "string"),
                    ]
                },
            },
        ),
        _node("Enrich", "code", 2, {"jsCode": CODE}),
        _node(
            "Big?",
            "if",
            2.2,
            {"conditions": _condition("={{ $json.total }}", "number", "gt", 50), "options": {}},
        ),
        _node("Mark big", "set", 3.4, mark("big")),
        _node("Mark small", "set", 3.4, mark("small")),
        _node("Join", "merge", 3.2, {}),
        _node(
            "Sort",
            "sort",
            1,
            {"sortFieldsUi": {"sortField": [{"fieldName": "total", "order": "descending"}]}, "options": {}},
        ),
        _node(
            "Format date",
            "dateTime",
            2,
            {
                "operation": "formatDate",
                "date": "={{ $json.created }}",
                "format": "yyyy-MM-dd",
                "outputFieldName": "day",
                "options": {"includeInputFields": True},
            },
        ),
        _node(
            "Hash", "crypto", 1, {"type": "SHA256", "value": "={{ $json.name }}", "dataPropertyName": "hash"}
        ),
        _node("Rename", "renameKeys", 1, {"keys": {"key": [{"currentKey": "qty", "newKey": "quantity"}]}}),
        _node(
            "Keep",
            "filter",
            2.2,
            {"conditions": _condition("={{ $json.category }}", "string", "notEquals", "c3"), "options": {}},
        ),
        _node(
            "Dedupe",
            "removeDuplicates",
            2,
            {"compare": "selectedFields", "fieldsToCompare": "id", "options": {}},
        ),
        _node("Limit", "limit", 1, {"maxItems": 80}),
        _node(
            "Project",
            "set",
            3.4,
            {
                "mode": "manual",
                "options": {},
                "assignments": {
                    "assignments": [
                        _assign("id", "={{ $json.id }}", "number"),
                        _assign("category", "={{ $json.category }}", "string"),
                        _assign("total", "={{ $json.total }}", "number"),
                        _assign("tags", "={{ $json.tags }}", "array"),
                        _assign("day", "={{ $json.day }}", "string"),
                    ]
                },
            },
        ),
        _node(
            "Split tags",
            "itemLists",
            3.1,
            {
                "operation": "splitOutItems",
                "fieldToSplitOut": "tags",
                "include": "allOtherFields",
                "options": {},
            },
        ),
        _node(
            "Sort again",
            "itemLists",
            3.1,
            {
                "operation": "sort",
                "sortFieldsUi": {"sortField": [{"fieldName": "id"}, {"fieldName": "tags"}]},
                "options": {},
            },
        ),
        _node(
            "Summarize",
            "summarize",
            1.1,
            {
                "fieldsToSplitBy": "category",
                "options": {},
                "fieldsToSummarize": {
                    "values": [
                        {"aggregation": "count", "field": "id"},
                        {"aggregation": "sum", "field": "total"},
                    ]
                },
            },
        ),
        _node(
            "Finish",
            "set",
            3.4,
            {
                "mode": "manual",
                "includeOtherFields": True,
                "options": {},
                "assignments": {
                    "assignments": [_assign("mean", "={{ $json.sum_total / $json.count_id }}", "number")]
                },
            },
        ),
        _node("Done", "noOp", 1, {}),
    ]
    names = [n["name"] for n in nodes]

    def link(target: str, index: int = 0) -> dict[str, Any]:
        return {"node": target, "type": "main", "index": index}

    connections: dict[str, Any] = {}
    chain = ["Trigger", "Prepare", "Enrich", "Big?"]
    chain += names[names.index("Join") :]
    for a, b in zip(chain, chain[1:], strict=False):
        if a != "Big?":
            connections[a] = {"main": [[link(b)]]}
    connections["Big?"] = {"main": [[link("Mark big")], [link("Mark small")]]}
    connections["Mark big"] = {"main": [[link("Join", 0)]]}
    connections["Mark small"] = {"main": [[link("Join", 1)]]}
    assert len(nodes) == 20
    return {
        "name": "peer-20",
        "nodes": nodes,
        "connections": connections,
        "settings": {"executionOrder": "v1", "timezone": "UTC"},
    }


def items() -> list[dict[str, Any]]:
    """100 items: numbers, unicode names, dates, duplicates of `id` every 25th item."""
    return [
        {
            "json": {
                "id": i - (i % 25 == 24),
                "name": f"Näme {i}",
                "price": (i * 37) % 20 + 0.5,
                "qty": i % 7 + 1,
                "category": f"c{i % 5}",
                "created": f"2024-0{i % 9 + 1}-1{i % 10}T08:00:00Z",
            }
        }
        for i in range(ITEMS)
    ]


def run_n8n(workflow: dict[str, Any], runs: int) -> dict[str, Any]:
    """Times (ms) and the last node's items of `runs` n8n runs in one Node process."""
    node = shutil.which("node")
    if node is None:
        raise SystemExit("Node.js is needed for the n8n half (node_host/ with its node_modules)")
    request = {"workflow": workflow, "items": items(), "runs": runs, "trigger": "Trigger", "last": "Done"}
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump(request, handle)
    try:
        done = subprocess.run(
            [node, str(PEER_SCRIPT), handle.name], capture_output=True, text=True, check=False
        )
    finally:
        Path(handle.name).unlink()
    if done.returncode != 0:
        raise SystemExit(f"n8n half failed:\n{done.stderr[-2000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


async def run_hive(workflow: dict[str, Any], runs: int) -> tuple[list[float], list[dict[str, Any]] | None]:
    """End-to-end times (ms) of `runs` runs through Temporal and the last node's items."""
    plan = compile_export(workflow)[0]
    env = await start_ephemeral_server()
    queue = f"peer-{uuid.uuid4().hex[:6]}"
    settings = HiveSettings(
        temporal=TemporalSettings(task_queue=queue), worker=WorkerSettings(metrics_port=0)
    )
    times: list[float] = []
    last: list[dict[str, Any]] | None = None
    try:
        async with build_central_worker(env.client, settings):
            for _ in range(runs):
                started = time.perf_counter()
                result = await env.client.execute_workflow(
                    N8nWorkflow.run,
                    RunN8nInput(plan=plan, trigger_items=items()),
                    id=f"peer-{uuid.uuid4()}",
                    task_queue=queue,
                )
                times.append((time.perf_counter() - started) * 1000)
                assert result.status is ExecutionStatus.SUCCESS, result.error
                last = result.run_data["Done"][0]["data"]["main"][0]
    finally:
        await env.shutdown()
    return times, last


def _jsons(output: list[dict[str, Any]] | None) -> list[Any]:
    return [item.get("json") for item in output or []]


async def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=7)
    add_baseline_args(parser)
    args = parser.parse_args()
    workflow = peer_workflow()
    runs = args.runs + 1  # the first run of each side warms up (V8, node files, worker)
    n8n = run_n8n(workflow, runs)
    hive_times, hive_out = await run_hive(workflow, runs)
    n8n_ms = statistics.median(n8n["times_ms"][1:])
    hive_ms = statistics.median(hive_times[1:])
    report(
        {
            f"n8n WorkflowExecute.run, 20 nodes x {ITEMS} items (ms)": n8n_ms,
            f"Hive through Temporal, 20 nodes x {ITEMS} items (ms)": hive_ms,
            "ratio Hive / n8n (goal <= 2)": hive_ms / n8n_ms,
            "n8n first run, cold (ms)": n8n["times_ms"][0],
            "Hive first run, cold (ms)": hive_times[0],
        },
        args,
        unit_width=56,
    )
    same = _jsons(hive_out) == _jsons(n8n["output"])
    print(f"last node's items identical: {'yes' if same else 'NO'} ({len(_jsons(hive_out))} items)")
    if not same:
        print("n8n: ", json.dumps(_jsons(n8n["output"]))[:600])
        print("Hive:", json.dumps(_jsons(hive_out))[:600])


if __name__ == "__main__":
    asyncio.run(main())
