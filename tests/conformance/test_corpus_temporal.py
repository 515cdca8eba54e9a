"""n8n's own node-test workflows, run end to end through a real Temporal dev server.

Each corpus workflow whose nodes Hive supports is compiled, its `pinData` (n8n's expected
output) removed, run by the interpreter workflow on a central worker, and judged with the same
comparer n8n's harness rules describe (../shared/n8n-corpus/README.md).
"""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from temporalio.client import Client

from hive_core.errors import CompileError
from n8n_import import CompileOptions, compile_export
from tests.conformance.corpus_files import provide_test_files
from tests.conformance.report import REPORT
from tests.n8n_import.corpus import CORPUS, manifest, unsupported_type_versions
from tests.n8n_runtime.comparer import compare_runs, expected_from_pin_data
from workflows.n8n_models import ExecutionStatus, RunN8nInput
from workflows.n8n_run import N8nWorkflow

# Known gaps, each with its reason (kept small and explicit; the report counts them as failures).
KNOWN_GAPS: dict[str, str] = {}


def _runnable() -> list[Any]:
    entries = manifest()
    if entries is None:
        return [pytest.param(None, marks=pytest.mark.skip(reason=f"corpus not found at {CORPUS}"))]
    return [
        pytest.param(e, id=e["file"])
        for e in entries
        if e["has_expected"] and not e["needs_test_files"] and not unsupported_type_versions(e)
    ]


def trigger_override(trigger: Any) -> tuple[list[dict[str, Any]] | None, str]:
    """What the start node receives and the execution mode, from a file's `trigger` section.

    n8n's NodeTestHarness starts the run with `main: [[trigger.input ?? {json: {}}]]` (one item,
    taken as is) in `trigger.mode ?? "manual"`; the manifest flags such files `has_trigger_override`.
    """
    if not isinstance(trigger, dict):
        return None, "manual"
    items = [trigger["input"]] if "input" in trigger else None
    return items, str(trigger.get("mode") or "manual")


@pytest.mark.parametrize("entry", _runnable())
async def test_corpus_workflow_through_temporal(
    entry: dict[str, Any], client: Client, conformance_queue: str
) -> None:
    workflow = json.loads((CORPUS / entry["file"]).read_text())
    provide_test_files(entry["file"], workflow)
    expected = expected_from_pin_data(workflow.pop("pinData", None) or {})
    trigger_items, mode = trigger_override(workflow.pop("trigger", None))
    try:
        plan = compile_export(workflow, CompileOptions(node_host=False))[0]  # native nodes only
    except CompileError as error:  # e.g. a node-level check the manifest cannot see
        pytest.skip(f"not compilable: {error.message}")
    start = entry.get("start_node")
    result = await client.execute_workflow(
        N8nWorkflow.run,
        RunN8nInput(
            plan=plan,
            start_node=start if start in plan.nodes else None,
            trigger_items=trigger_items,
            mode=mode,
        ),
        id=f"corpus-{uuid.uuid4().hex[:8]}",
        task_queue=conformance_queue,
    )
    comparison = compare_runs(expected, result.run_data)
    ok = result.status is ExecutionStatus.SUCCESS and comparison.ok
    REPORT.record(entry["type_versions"], ok, entry["file"])
    if entry["file"] in KNOWN_GAPS and not ok:
        pytest.xfail(KNOWN_GAPS[entry["file"]])
    assert result.status is ExecutionStatus.SUCCESS, result.error
    assert comparison.ok, "\n".join(f"{node}: {why}" for node, why in comparison.mismatches.items())
