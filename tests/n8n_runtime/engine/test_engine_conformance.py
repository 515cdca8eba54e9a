"""n8n's own WorkflowExecute tests (legacy v0 and v1 order): node order and node data must match.

Cases come from `_engine/core_workflow_execute_tests.json` (n8n's `legacyWorkflowExecuteTests` and
`v1WorkflowExecuteTests`). Each workflow is compiled and run through `WorkflowRun` with the real
node functions and expression engine; n8n's assertions are reproduced: `nodeExecutionOrder` and,
per listed node and run, the `json` of output 0 (all outputs when `testAllOutputs`).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from n8n_import.compiler import compile_export
from n8n_runtime.engine import RunResult, RunStatus, WorkflowRun
from tests.n8n_runtime.engine.runtime import executor_for

CORPUS = Path(__file__).resolve().parents[4] / "shared" / "n8n-corpus"
TESTS_FILE = CORPUS / "_engine" / "core_workflow_execute_tests.json"


def _cases() -> list[Any]:
    if not TESTS_FILE.is_file():
        return []
    data = json.loads(TESTS_FILE.read_text())
    cases = []
    for group, order in (("legacyWorkflowExecuteTests", "v0"), ("v1WorkflowExecuteTests", "v1")):
        for test in data[group]:
            cases.append(pytest.param(order, test, id=f"{order}: {test['description']}"))
    return cases


def _workflow(test: dict[str, Any], order: str) -> dict[str, Any]:
    workflow = dict(test["input"]["workflowData"])
    workflow["settings"] = {"executionOrder": order}
    # n8n keeps the last node of a duplicated name (Workflow.setNodes); two cases duplicate one.
    by_name = {node["name"]: node for node in workflow["nodes"]}
    workflow["nodes"] = list(by_name.values())
    return workflow


def _node_data(result: RunResult, node: str, order: str, all_outputs: bool) -> Any:
    runs = result.run_data.get(node)
    if runs is None:
        return None
    view: list[Any] = []
    for task in runs:
        data = task.get("data")
        if data is None:
            view.append(None)
            continue
        outputs = data["main"] if all_outputs else data["main"][:1]
        jsons = [[item["json"] for item in (items or [])] for items in outputs]
        view.append(jsons if order == "v1" else jsons[0])
    return view


@pytest.mark.parametrize(("order", "test"), _cases())
async def test_workflow_execute(order: str, test: dict[str, Any]) -> None:
    types = {node["type"] for node in test["input"]["workflowData"]["nodes"]}
    if "n8n-nodes-base.versionTest" in types:
        pytest.skip("versionTest is a test-only node type of n8n's test suite")
    plan = compile_export(_workflow(test, order))[0]
    with executor_for(plan) as executor:
        result = await WorkflowRun(plan, clock=lambda: 0).run(executor)
    assert result.status is RunStatus.SUCCESS, result.error
    expected = test["output"]
    for node, runs in expected["nodeData"].items():
        assert _node_data(result, node, order, bool(expected.get("testAllOutputs"))) == runs, node
    assert result.node_execution_order == expected["nodeExecutionOrder"]
