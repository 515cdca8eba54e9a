"""Every recorded n8n result (tests/differential/fixtures) replayed through Hive's native node.

One test per node type: it fails on a difference that `known_gaps.toml` does not list, and on a
listed gap that no longer differs (remove it). Re-record with the commands in `generate_cases.py`.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from n8n_import.registry import N8N_BASE
from n8n_runtime.nodes.data import DATA_NODES
from n8n_runtime.nodes.files import FILE_NODES
from tests.differential.compare import FIXTURES, TypeReport, difference, load_cases, load_gaps
from tests.differential.conftest import REPORTS
from tests.differential.replay import HiveReplayer

FILES = sorted(FIXTURES.glob("*.jsonl"))
GAPS = load_gaps()


@pytest.fixture(scope="module")
async def replayer(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[HiveReplayer]:
    hive = HiveReplayer(tmp_path_factory.mktemp("differential-binary"))
    yield hive
    await hive.close()


@pytest.mark.parametrize("fixture", FILES, ids=[f.stem for f in FILES])
async def test_hive_matches_n8n(fixture: Path, replayer: HiveReplayer) -> None:
    report = TypeReport()
    REPORTS[fixture.stem] = report
    differing: set[str] = set()
    for case in load_cases(fixture):
        found = difference(case["expected"], await replayer.run(case))
        if found is None:
            report.identical += 1
            continue
        differing.add(case["id"])
        if any(gap.covers(case["id"]) for gap in GAPS):
            report.known += 1
        else:
            node = case["node"]
            report.new.append(
                f"{case['id']} ({node['type']}@{node['typeVersion']}, input {case['data']}, "
                f"parameters {json.dumps(node['parameters'], ensure_ascii=False)}):\n  {found}"
            )
    stale = [
        pattern
        for gap in GAPS
        for pattern in gap.patterns
        if pattern.startswith(f"{fixture.stem}/") and not any(gap.covers(i) for i in differing)
    ]
    assert not report.new, f"{len(report.new)} new difference(s) from n8n:\n" + "\n".join(report.new)
    assert not stale, f"known gaps that no longer differ (remove them from known_gaps.toml): {stale}"


def test_fixtures_cover_every_native_data_and_file_node() -> None:
    """Each native pure node with its own implementation has recorded cases."""
    recorded = {f.stem for f in FILES}
    # Not generated yet (listed in the report as remaining work): the legacy Function nodes, the
    # disk nodes (they need a file root on both sides) and n8n's training nodes.
    excluded = {
        "function",
        "functionItem",
        "readWriteFile",
        "readBinaryFile",
        "readBinaryFiles",
        "writeBinaryFile",
        "n8nTrainingCustomerDatastore",
        "n8nTrainingCustomerMessenger",
    }
    native = {name.removeprefix(N8N_BASE) for name in {**DATA_NODES, **FILE_NODES}}
    assert native - excluded - recorded == set()


def test_enough_recorded_cases() -> None:
    total = sum(len(load_cases(f)) for f in FILES)
    assert total >= 1000, total
    size = sum(f.stat().st_size for f in FILES)
    assert size < 5_000_000, size
