"""Per-node cost of every native pure node (data and control) on 100 and 10,000 items.

Two paths per node:
- `in-process`: the node function alone (`NODE_FUNCTIONS[type](run)`), literal parameters (an
  expression parameter is then its text; the activity path evaluates it).
- `activity`: the pure-node local activity (`NodeActivities.run_pure_node` in Temporal's
  `ActivityEnvironment`) with its input and output converted by the pydantic data converter, as
  a local activity's payloads are; the history marker a real local activity writes is not counted.

    python bench/data_nodes_bench.py                 # ms per node run
    python bench/data_nodes_bench.py --items 100     # only one size
    python bench/data_nodes_bench.py --save base.json / --baseline base.json
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import httpx  # noqa: E402
from temporalio.contrib.pydantic import pydantic_data_converter  # noqa: E402
from temporalio.testing import ActivityEnvironment  # noqa: E402

from activities.n8n_nodes import NodeActivities, NodeTaskInput, NodeTaskOutput  # noqa: E402
from bench._table import add_baseline_args, report  # noqa: E402
from bench._timing import median_ms  # noqa: E402
from hive_core.config.models import CredentialConfig  # noqa: E402
from n8n_import import compile_export  # noqa: E402
from n8n_import.plan import Plan  # noqa: E402
from n8n_runtime.http import ConfigCredentials  # noqa: E402
from n8n_runtime.nodes.base import NodeRun  # noqa: E402
from n8n_runtime.nodes.registry import NODE_FUNCTIONS  # noqa: E402
from tests.n8n_runtime.nodes_data.helpers import LiteralParams  # noqa: E402

HTML = "<html><body><h1>Item {i}</h1><p class='x'>Text <a href='/u/{i}'>link</a></p></body></html>"
SCENARIOS: dict[str, tuple[str, float, dict[str, Any], Callable[[int], dict[str, Any]]]] = {
    "itemLists sort (v3.1)": (
        "itemLists", 3.1, {"operation": "sort", "sortFieldsUi": {"sortField": [{"fieldName": "n"}]}},
        lambda i: {"n": (i * 7919) % 1000, "s": f"v{i}"},
    ),
    "itemLists removeDuplicates (v1)": (
        "itemLists", 1, {"operation": "removeDuplicates", "compare": "selectedFields",
                         "fieldsToCompare": {"fields": [{"fieldName": "k"}]}},
        lambda i: {"k": i % 50, "v": i},
    ),
    "itemLists summarize (v3)": (
        "itemLists", 3, {"operation": "summarize", "fieldsToSplitBy": "g",
                         "fieldsToSummarize": {"values": [{"aggregation": "sum", "field": "n"}]}},
        lambda i: {"g": i % 10, "n": i},
    ),
    "itemLists splitOutItems (v2)": (
        "itemLists", 2, {"fieldToSplitOut": "list"}, lambda i: {"list": [i, i + 1]},
    ),
    "compareDatasets (v2.3)": (
        "compareDatasets", 2.3, {"mergeByFields": {"values": [{"field1": "id", "field2": "id"}]}},
        lambda i: {"id": i, "v": i % 3},
    ),
    "xml xmlToJson": ("xml", 1, {}, lambda i: {"data": f"<r a='{i}'><x>{i}</x><x>y</x></r>"}),
    "xml jsonToxml": ("xml", 1, {"mode": "jsonToxml"}, lambda i: {"r": {"$": {"a": i}, "x": [i, "y"]}}),
    "html extractHtmlContent (v1.2)": (
        "html", 1.2, {"operation": "extractHtmlContent", "extractionValues": {"values": [
            {"key": "t", "cssSelector": "h1"}, {"key": "l", "cssSelector": "a", "returnValue": "attribute",
                                               "attribute": "href"}]}},
        lambda i: {"data": HTML.format(i=i)},
    ),
    "markdown htmlToMarkdown": ("markdown", 1, {"html": "=<h1>T</h1><p>x <b>y</b></p>"}, lambda i: {}),
    "markdown markdownToHtml": (
        "markdown", 1, {"mode": "markdownToHtml", "markdown": "# T\n\nx **y** ..."}, lambda i: {},
    ),
    "crypto hash SHA256": ("crypto", 1, {"type": "SHA256", "value": "abc"}, lambda i: {"i": i}),
    "crypto generate uuid": ("crypto", 1, {"action": "generate"}, lambda i: {"i": i}),
    "jwt sign": ("jwt", 1, {"claims": {"sub": "u"}}, lambda i: {"i": i}),
    "executionData save": (
        "executionData", 1, {"dataToSave": {"values": [{"key": "k", "value": "v"}]}}, lambda i: {"i": i},
    ),
    "debugHelper randomData": (
        "debugHelper", 1, {"category": "randomData", "randomDataCount": 1}, lambda i: {},
    ),
}  # fmt: skip
# The other native pure nodes (data and control), so that every one has its per-node cost.
SCENARIOS |= {
    "set manual (v3.4)": (
        "set",
        3.4,
        {
            "mode": "manual",
            "includeOtherFields": True,
            "options": {},
            "assignments": {
                "assignments": [
                    {"id": "a", "name": "label", "value": "=Item {{ $json.n }}", "type": "string"}
                ]
            },
        },
        lambda i: {"n": i},
    ),
    "code all items (v2)": (
        "code",
        2,
        {"jsCode": "return $input.all().map(i => ({ json: { n: i.json.n * 2 } }));"},
        lambda i: {"n": i},
    ),
    "if number gt (v2.2)": (
        "if",
        2.2,
        {
            "conditions": {
                "options": {"caseSensitive": True, "leftValue": "", "typeValidation": "strict", "version": 2},
                "combinator": "and",
                "conditions": [
                    {
                        "id": "c",
                        "leftValue": "={{ $json.n }}",
                        "rightValue": 50,
                        "operator": {"type": "number", "operation": "gt"},
                    }
                ],
            },
            "options": {},
        },
        lambda i: {"n": i % 100},
    ),
    "filter string contains (v2.2)": (
        "filter",
        2.2,
        {
            "conditions": {
                "options": {"caseSensitive": True, "leftValue": "", "typeValidation": "strict", "version": 2},
                "combinator": "and",
                "conditions": [
                    {
                        "id": "c",
                        "leftValue": "={{ $json.s }}",
                        "rightValue": "1",
                        "operator": {"type": "string", "operation": "contains"},
                    }
                ],
            },
            "options": {},
        },
        lambda i: {"s": f"v{i}"},
    ),
    "switch expression (v3.2)": (
        "switch",
        3.2,
        {"mode": "expression", "numberOutputs": 4, "output": "={{ $json.n % 4 }}"},
        lambda i: {"n": i},
    ),
    "merge combine by field (v3.2)": (
        "merge",
        3.2,
        {"mode": "combine", "fieldsToMatchString": "id", "options": {}},
        lambda i: {"id": i, "v": i},
    ),
    "splitOut": ("splitOut", 1, {"fieldToSplitOut": "list", "options": {}}, lambda i: {"list": [i, i + 1]}),
    "aggregate individual fields": (
        "aggregate",
        1,
        {"fieldsToAggregate": {"fieldToAggregate": [{"fieldToAggregate": "n"}]}, "options": {}},
        lambda i: {"n": i},
    ),
    "sort simple": (
        "sort",
        1,
        {"sortFieldsUi": {"sortField": [{"fieldName": "n"}]}, "options": {}},
        lambda i: {"n": (i * 7919) % 1000},
    ),
    "limit": ("limit", 1, {"maxItems": 50}, lambda i: {"n": i}),
    "removeDuplicates selected (v2)": (
        "removeDuplicates",
        2,
        {"compare": "selectedFields", "fieldsToCompare": "k", "options": {}},
        lambda i: {"k": i % 50, "v": i},
    ),
    "summarize sum by group (v1.1)": (
        "summarize",
        1.1,
        {
            "fieldsToSplitBy": "g",
            "fieldsToSummarize": {"values": [{"aggregation": "sum", "field": "n"}]},
            "options": {},
        },
        lambda i: {"g": i % 10, "n": i},
    ),
    "renameKeys": (
        "renameKeys",
        1,
        {"keys": {"key": [{"currentKey": "n", "newKey": "m"}]}},
        lambda i: {"n": i},
    ),
    "dateTime formatDate (v2)": (
        "dateTime",
        2,
        {"operation": "formatDate", "date": "={{ $json.d }}", "format": "yyyy-MM-dd", "options": {}},
        lambda i: {"d": f"2024-01-{i % 28 + 1:02d}T10:00:00Z"},
    ),
    "dateTime format (v1)": (
        "dateTime",
        1,
        {"value": "={{ $json.d }}", "dataPropertyName": "out", "toFormat": "YYYY-MM-DD", "options": {}},
        lambda i: {"d": f"2024-01-{i % 28 + 1:02d}T10:00:00Z"},
    ),
    "htmlExtract": (
        "htmlExtract",
        1,
        {"extractionValues": {"values": [{"key": "t", "cssSelector": "h1"}]}, "options": {}},
        lambda i: {"data": HTML.format(i=i)},
    ),
    "noOp": ("noOp", 1, {}, lambda i: {"n": i}),
}

_CREDENTIALS = {"jwt": {"jwtAuth": {"id": "bench", "name": "bench"}}}
_SECRET = {"keyType": "passphrase", "secret": "bench-secret-of-at-least-32-bytes!", "algorithm": "HS256"}


def _export(node_type: str, version: float, params: dict[str, Any]) -> dict[str, Any]:
    inputs = 2 if node_type in ("compareDatasets", "merge") else 1
    nodes = [
        {
            "name": "T",
            "type": "n8n-nodes-base.manualTrigger",
            "typeVersion": 1,
            "position": [0, 0],
            "parameters": {},
        },
        {
            "name": "N",
            "type": f"n8n-nodes-base.{node_type}",
            "typeVersion": version,
            "position": [0, 0],
            "parameters": params,
            "credentials": _CREDENTIALS.get(node_type, {}),
        },
    ]
    main = [[{"node": "N", "type": "main", "index": i} for i in range(inputs)]]
    return {"name": "bench", "nodes": nodes, "connections": {"T": {"main": main}}}


def _in_process(plan: Plan, items: list[dict[str, Any]], params: dict[str, Any]) -> Callable[[], Any]:
    node = plan.nodes["N"]
    inputs = [items, items] if node.input_count == 2 else [items]
    extras = {
        "now_ms": 1_700_000_000_000,
        "random_seed": 1,
        "custom_data": {},
        "credential_data": lambda n, t: _SECRET,
    }
    function = NODE_FUNCTIONS[node.type]
    return lambda: function(
        NodeRun(node=node, inputs=inputs, params=LiteralParams(params), extras=dict(extras))
    )


async def _activity_runner(plan: Plan, items: list[dict[str, Any]]) -> Callable[[], Any]:
    node = plan.nodes["N"]
    credentials = ConfigCredentials({"bench": CredentialConfig(type="jwtAuth", data=_SECRET)})
    activities = NodeActivities(httpx.AsyncClient(), credentials)
    env = ActivityEnvironment()
    converter = pydantic_data_converter.payload_converter
    task = NodeTaskInput(
        plan_json=plan.model_dump_json(),
        node="N",
        inputs=[items, items] if node.input_count == 2 else [items],
        run_index=0,
        source=[None],
        execution_id="bench",
        now_ms=1_700_000_000_000,
    )

    async def once() -> NodeTaskOutput:
        # The payload conversions a local activity pays: input to the worker, output back.
        decoded = converter.from_payloads(converter.to_payloads([task]), [NodeTaskInput])[0]
        output: NodeTaskOutput = await env.run(activities.run_pure_node, decoded)
        converter.from_payloads(converter.to_payloads([output]), [NodeTaskOutput])
        if output.error is not None:
            raise _Refused(output.error.message)
        return output

    return once


class _Refused(Exception):
    """The activity returned a node error (e.g. output over Hive's per-node payload limit)."""


async def _atime(call: Callable[[], Any], repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        await call()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


async def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--items", type=int, action="append", help="item counts (default 100 and 10000)")
    add_baseline_args(parser)
    args = parser.parse_args()
    sizes = args.items or [100, 10_000]
    figures: dict[str, float] = {}
    notes: list[str] = []
    for label, (node_type, version, params, make) in SCENARIOS.items():
        plan = compile_export(_export(node_type, version, params))[0]
        for size in sizes:
            items = [{"json": make(i)} for i in range(size)]
            repeat = 7 if size <= 1000 else 2
            try:
                figures[f"{label} ×{size} in-process ms"] = median_ms(
                    _in_process(plan, items, params), repeat
                )
            except Exception:  # noqa: BLE001 - any failure here means "needs the runtime"
                # Expressions and the Code node's JS need the activity's runtime (literal
                # parameters cannot stand in): only the activity path is measured.
                notes.append(f"{label} ×{size} in-process: needs the activity's expression runtime")
            runner = await _activity_runner(plan, items)
            try:
                figures[f"{label} ×{size} activity ms"] = await _atime(runner, repeat)
            except _Refused as refused:
                notes.append(f"{label} ×{size} activity: {refused}")
    report(figures, args, unit_width=60)
    for note in notes:
        print("not measured:", note)


if __name__ == "__main__":
    asyncio.run(main())
