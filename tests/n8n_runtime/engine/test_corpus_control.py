"""n8n's node-test workflows for the control nodes, run through the scheduler and judged like n8n.

Covers the corpus folders of If, Switch, Filter, Merge and Split In Batches (No Op appears in many
of them). `pinData` is the expected output and is removed before the run; the start node gets
`[{"json": {}}]`. Workflows that need node types Hive does not support are skipped with the list.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from hive_core.errors import CompileError
from n8n_import import CompileOptions
from n8n_import.compiler import compile_export
from n8n_runtime.engine import RunStatus, WorkflowRun
from tests.n8n_runtime.comparer import compare_runs, expected_from_pin_data
from tests.n8n_runtime.engine.runtime import executor_for

CORPUS = Path(__file__).resolve().parents[4] / "shared" / "n8n-corpus"
NODE_FOLDERS = ("If", "Switch", "Filter", "Merge", "SplitInBatches", "NoOp")
# Per node folder: passed / failed / skipped, printed at the end of the session.
TALLY: dict[str, Counter[str]] = {}


def _entries() -> list[Any]:
    manifest = CORPUS / "manifest.json"
    if not manifest.is_file():
        return []
    entries = [
        e
        for e in json.loads(manifest.read_text())
        if e.get("kind") == "workflow" and e["node"] in NODE_FOLDERS
    ]
    return [pytest.param(e, id=e["file"]) for e in entries]


def _record(folder: str, outcome: str) -> None:
    TALLY.setdefault(folder, Counter())[outcome] += 1


@pytest.mark.parametrize("entry", _entries())
async def test_corpus_workflow(entry: dict[str, Any]) -> None:
    workflow = json.loads((CORPUS / entry["file"]).read_text())
    expected = expected_from_pin_data(workflow.pop("pinData", None) or {})
    try:
        plan = compile_export(workflow, CompileOptions(node_host=False))[0]  # native nodes only
    except CompileError as error:
        _record(entry["node"], "skipped")
        pytest.skip(f"not compilable: {error}")
    start = entry.get("start_node")
    run = WorkflowRun(plan, clock=lambda: 0, start_node=start if start in plan.nodes else None)
    with executor_for(plan) as executor:
        result = await run.run(executor)
    comparison = compare_runs(expected, result.run_data)
    ok = result.status is RunStatus.SUCCESS and comparison.ok
    _record(entry["node"], "passed" if ok else "failed")
    assert result.status is RunStatus.SUCCESS, result.error
    assert comparison.ok, "\n".join(f"{node}: {why}" for node, why in comparison.mismatches.items())
