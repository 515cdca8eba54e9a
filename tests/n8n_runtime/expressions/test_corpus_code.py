"""Parity with n8n's own tests: corpus workflows made only of triggers and Code/Function nodes.

A tiny runner executes each workflow (legacy v0 order is irrelevant here: every node has one
parent) and compares node outputs with the workflow's pinData / run snapshot, following the
corpus README's rules (pairedItem ignored).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from hive_core.errors import ExpressionError
from n8n_runtime.code_node import CODE_NODE_TYPES, run_code_node
from n8n_runtime.expressions import ExpressionContext, ExpressionEngine

CORPUS = Path("/work/shared/n8n-corpus")
TRIGGERS = {"n8n-nodes-base.manualTrigger", "n8n-nodes-base.start"}

pytestmark = pytest.mark.skipif(not CORPUS.exists(), reason="n8n corpus not available")


def run_workflow(engine: ExpressionEngine, wf: dict[str, Any]) -> dict[str, list[list[dict[str, Any]]]]:
    """Node name → outputs of its single run (errors routed like onError=continueErrorOutput)."""
    nodes = {n["name"]: n for n in wf["nodes"]}
    run_data: dict[str, list[dict[str, Any]]] = {}
    outputs: dict[str, list[list[dict[str, Any]]]] = {}
    static_global: dict[str, Any] = {}
    queue: list[tuple[str, list[dict[str, Any]], dict[str, Any] | None]] = [
        (name, [{"json": {}}], None) for name, n in nodes.items() if n["type"] in TRIGGERS
    ]
    while queue:
        name, items, source = queue.pop(0)
        node = nodes[name]
        if node["type"] in TRIGGERS or node["type"] == "n8n-nodes-base.noOp":
            result = [[{"json": i["json"], "pairedItem": {"item": k}} for k, i in enumerate(items)]]
        else:
            assert node["type"] in CODE_NODE_TYPES, node["type"]
            node_static: dict[str, Any] = {}
            ctx = ExpressionContext(
                node_name=name,
                node_type=node["type"],
                node_version=node.get("typeVersion", 1),
                node_parameters=node["parameters"],
                inputs=[items],
                run_data=run_data,
                source=[source],
                static_data={"global": static_global, "node": node_static},
            )
            try:
                result = [run_code_node(engine, ctx)[0]]
            except ExpressionError as err:
                if node.get("onError") != "continueErrorOutput":
                    raise
                result = [[], [{"json": {"error": err.details["n8n_message"]}}]]
        outputs[name] = result
        run_data[name] = [{"source": [source], "data": {"main": result}}]
        for index, conns in enumerate(wf["connections"].get(name, {}).get("main", [])):
            for conn in conns or []:
                out = result[index] if index < len(result) else []
                src = {"previousNode": name, "previousNodeOutput": index, "previousNodeRun": 0}
                queue.append((conn["node"], out, src))
    return outputs


def strip(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: v for k, v in i.items() if k in ("json", "binary") and v} for i in items]


def shallow_equal(expected: Any, actual: Any, depth: int = 0) -> bool:
    """Snapshots collapse nested values: ``["json array"]`` / ``{"object": true}``."""
    if depth >= 2 and expected == ["json array"]:
        return isinstance(actual, list)
    if depth >= 2 and expected == {"object": True}:
        return isinstance(actual, dict)
    if isinstance(expected, dict) and isinstance(actual, dict):
        return expected.keys() == actual.keys() and all(
            shallow_equal(expected[k], actual[k], depth + 1) for k in expected
        )
    if isinstance(expected, list) and isinstance(actual, list):
        return len(expected) == len(actual) and all(
            shallow_equal(e, a, depth + 1) for e, a in zip(expected, actual, strict=True)
        )
    return bool(expected == actual)


@pytest.mark.parametrize(
    "path", ["Code/test__Code.workflow.json", "Code/test__workflow.do_not_obfuscate_validation_error.json"]
)
def test_pin_data_matches(engine: ExpressionEngine, path: str) -> None:
    wf = json.loads((CORPUS / path).read_text())
    outputs = run_workflow(engine, wf)
    for name, expected in wf["pinData"].items():
        expected_items = [i if "json" in i else {"json": i} for i in expected]
        assert strip(outputs[name][0]) == strip(expected_items), name


def test_function_item_snapshot_matches(engine: ExpressionEngine) -> None:
    wf = json.loads((CORPUS / "_test-workflows/workflows/216.json").read_text())
    snapshot = json.loads((CORPUS / "_test-workflows/snapshots/216-snapshot.json").read_text())
    outputs = run_workflow(engine, wf)
    for name, runs in snapshot["data"]["resultData"]["runData"].items():
        expected = runs[0]["data"]["main"][0]
        assert shallow_equal(strip(expected), strip(outputs[name][0])), name
