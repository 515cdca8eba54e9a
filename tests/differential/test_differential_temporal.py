"""A sample of the recorded cases through a real Temporal dev server and Hive's central worker.

The per-node comparison (test_differential.py) calls the pure-node activity directly; these 20
cases go the whole way: compiled plan → `N8nWorkflow.run` → the scheduler → the local activity →
run data, and must still equal n8n's recorded output.
"""

from __future__ import annotations

from itertools import islice, zip_longest
from typing import Any

import pytest
from temporalio.client import Client

from tests.builders import run_workflow, worker_settings
from tests.differential.compare import FIXTURES, difference, load_cases, load_gaps
from tests.differential.replay import export_of, normalize_outputs
from workers.factory import build_central_worker
from workflows.n8n_models import ExecutionStatus

# The clock is Temporal's in a real run (not the recording's) and credentials need more wiring:
# the sample keeps to clock-free, single-input cases whose input holds no files.
_CLOCKED = {"dateTime", "jwt", "totp", "code", "executionData"}
SAMPLE_SIZE = 20


def sample_cases(size: int = SAMPLE_SIZE) -> list[dict[str, Any]]:
    """`size` cases, round-robin over node types, that n8n ran without error."""
    gaps = load_gaps()
    per_type: list[list[dict[str, Any]]] = []
    for fixture in sorted(FIXTURES.glob("*.jsonl")):
        if fixture.stem in _CLOCKED:
            continue
        usable = [
            case
            for case in load_cases(fixture)
            if len(case["inputs"]) == 1
            and case["inputs"][0]
            and not any("binary" in item for item in case["inputs"][0])
            and case["expected"]["error"] is None
            and not case.get("credentials")
            and not any(gap.covers(case["id"]) for gap in gaps)
        ]
        if usable:
            per_type.append(usable[:: max(1, len(usable) // 3)])
    mixed = (case for group in zip_longest(*per_type) for case in group if case is not None)
    return list(islice(mixed, size))


async def test_sample_through_temporal_matches_n8n(client: Client, task_queue: str) -> None:
    cases = sample_cases()
    assert len(cases) == SAMPLE_SIZE
    differences = []
    settings = worker_settings(task_queue)
    # Binary outputs are compared by content, read from the worker's store.
    store = settings.binary_data.store(settings.data_dir)
    async with build_central_worker(client, settings):
        for case in cases:
            run = await run_workflow(client, task_queue, export_of(case), trigger_items=case["inputs"][0])
            assert run.status is ExecutionStatus.SUCCESS, (case["id"], run.error)
            task = run.run_data[case["node"]["name"]][0]
            outputs = (task.get("data") or {}).get("main")
            actual = {"outputs": normalize_outputs(outputs, store), "error": None}
            found = difference(case["expected"], actual)
            if found:
                differences.append(f"{case['id']}: {found}")
    assert not differences, "\n".join(differences)


@pytest.mark.parametrize("size", [SAMPLE_SIZE])
def test_the_sample_spans_node_types(size: int) -> None:
    types = {case["node"]["type"] for case in sample_cases(size)}
    assert len(types) >= 10, types
