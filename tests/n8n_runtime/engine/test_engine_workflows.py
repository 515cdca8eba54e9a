"""n8n's engine workflows (`_engine/*.json`): error outputs and retry + continue on fail.

Judged like the corpus (pinData is the expected output); `pairedItem` is compared except for
`error_outputs` (README). Retries go through `RetryingExecutor`, as pure nodes do in a run.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hive_core.errors import CompileError
from n8n_import import CompileOptions
from n8n_import.compiler import compile_export
from n8n_runtime.engine import RunStatus, WorkflowRun
from n8n_runtime.engine.retry import RetryingExecutor
from tests.n8n_runtime.comparer import compare_runs, expected_from_pin_data
from tests.n8n_runtime.engine.runtime import executor_for

ENGINE = Path(__file__).resolve().parents[4] / "shared" / "n8n-corpus" / "_engine"
WORKFLOWS = ["error_outputs", "paired_items_fix", "retry_and_continue_on_error"]


@pytest.mark.parametrize("name", WORKFLOWS)
async def test_engine_workflow(name: str) -> None:
    path = ENGINE / f"{name}.json"
    if not path.is_file():
        pytest.skip("corpus not available")
    workflow = json.loads(path.read_text())
    expected = expected_from_pin_data(workflow.pop("pinData", None) or {})
    try:
        plan = compile_export(workflow, CompileOptions(node_host=False))[0]  # native nodes only
    except CompileError as error:
        pytest.skip(f"not compilable: {error}")
    pauses: list[float] = []

    async def sleep(seconds: float) -> None:
        pauses.append(seconds)

    with executor_for(plan) as executor:
        result = await WorkflowRun(plan, clock=lambda: 0).run(RetryingExecutor(executor, sleep))
    assert result.status is RunStatus.SUCCESS, result.error
    comparison = compare_runs(expected, result.run_data, keep_paired=name != "error_outputs")
    assert comparison.ok, "\n".join(f"{node}: {why}" for node, why in comparison.mismatches.items())
    if name == "retry_and_continue_on_error":
        assert pauses and all(p == 0.01 for p in pauses)
