"""Bad expressions, sandbox escapes, runaway code and oversized data: the run fails (or is
trimmed) with a clear error naming the node, through a real Temporal dev server, and the worker
stays healthy."""

from __future__ import annotations

from typing import Any

import pytest
from temporalio.client import Client

from hive_core.errors import CompileError
from n8n_import import compile_export
from tests.builders import chain, node, run_workflow, worker_settings
from workers.factory import build_central_worker
from workflows.n8n_models import ExecutionStatus

START = node("Start", "manualTrigger", 1)


def _after_start(step: dict[str, Any]) -> dict[str, Any]:
    return chain("errors", [START, {**step, "position": [200, 0]}])


def _set(expression: str) -> dict[str, Any]:
    assignment = {"name": "out", "value": expression, "type": "string"}
    return node("Compute", "set", 3.4, assignments={"assignments": [assignment]})


def _code(js: str, name: str = "Script") -> dict[str, Any]:
    return node(name, "code", 2, jsCode=js)


SET_VALUE = "assignments.assignments[0].value"
CASES = [
    pytest.param(
        _set("={{ $json.missing.deeper }}"),
        SET_VALUE,
        "Cannot read properties of undefined",
        id="bad-expression",
    ),
    pytest.param(
        _set("={{ (() => { while (true) {} })() }}"), SET_VALUE, "exceeded", id="infinite-loop-expression"
    ),
    pytest.param(
        _code("const fs = require('fs'); return [];"), None, "'fs' is disallowed", id="require-escape"
    ),
    pytest.param(
        _code("return [1].map(() => process.exit(1));"), None, "process is not defined", id="process-escape"
    ),
    pytest.param(
        _code("const a = []; while (true) { a.push('x'.repeat(1e6)); }"), None, "", id="memory-bomb"
    ),
    pytest.param(_code("while (true) {}"), None, "exceeded", id="infinite-loop-code"),
]


@pytest.mark.parametrize(("step", "parameter", "fragment"), CASES)
async def test_failing_node_is_named(
    client: Client, task_queue: str, step: dict[str, Any], parameter: str | None, fragment: str
) -> None:
    """Expression errors name node and parameter; Code errors name node (and line when V8 has one)."""
    async with build_central_worker(client, worker_settings(task_queue)):
        result = await run_workflow(client, task_queue, _after_start(step))
        assert result.status is ExecutionStatus.ERROR
        assert result.last_node_executed == step["name"]
        error = result.error
        assert error["node"]["name"] == step["name"]
        assert fragment in error["message"], error
        # The Hive message says where, in words: node (and parameter for expressions).
        assert f"node '{step['name']}'" in error["hiveMessage"], error
        if parameter is not None:
            assert error["parameter"] == parameter, error
            assert parameter in error["hiveMessage"], error
        # The worker is still healthy: a good run right after succeeds.
        ok = await run_workflow(client, task_queue, _after_start(_set("={{ 1 + 1 }}")))
        assert ok.status is ExecutionStatus.SUCCESS


def test_unsupported_node_is_a_compile_error_naming_it() -> None:
    # Not a type of Hive nor of n8n (googleSheets now compiles to a node-host step).
    sheet = node("Sheet", "googleSheetsX", 4)
    with pytest.raises(CompileError, match=r'node "Sheet" \(n8n-nodes-base.googleSheetsX@4\)'):
        compile_export(_after_start(sheet))


async def test_oversized_node_output_is_a_clear_node_error(client: Client, task_queue: str) -> None:
    big = _code("return Array.from({length: 40}, (_, i) => ({json: {i, blob: 'x'.repeat(50000)}}));")
    async with build_central_worker(client, worker_settings(task_queue)):
        result = await run_workflow(client, task_queue, _after_start(big))
    assert result.status is ExecutionStatus.ERROR
    assert "over Hive's limit" in result.error["message"]
    assert result.error["node"]["name"] == "Script"


async def test_large_run_result_is_trimmed_not_stuck(client: Client, task_queue: str) -> None:
    chunk = "return Array.from({length: 12}, (_, i) => ({json: {i, blob: 'y'.repeat(50000)}}));"
    workflow = chain("big", [START, *(_code(chunk, f"Big {n}") for n in range(1, 6))])
    async with build_central_worker(client, worker_settings(task_queue)):
        result = await run_workflow(client, task_queue, workflow)
    assert result.status is ExecutionStatus.SUCCESS
    first = result.run_data["Big 1"][0]
    assert first["hiveTruncated"] == {"items": [12]}
    assert result.run_data["Big 5"][0]["data"]["main"][0][0]["json"]["i"] == 0  # the last output is kept
