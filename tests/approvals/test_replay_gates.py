"""Replay recorded gated runs (waiting, decided by update, timed out) with today's interpreter."""

from __future__ import annotations

from pathlib import Path

import pytest
from temporalio.client import WorkflowHistory
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.worker import Replayer

from workflows.n8n_run import N8nWorkflow

HISTORIES = sorted((Path(__file__).parent / "histories").glob("*.json"))


def test_histories_are_recorded() -> None:
    assert len(HISTORIES) == 3, "run `python -m tests.approvals.record_histories` to record them"


@pytest.mark.parametrize("path", HISTORIES, ids=[p.stem for p in HISTORIES])
async def test_gated_history_replays(path: Path) -> None:
    history = WorkflowHistory.from_json(f"history-{path.stem}", path.read_text())
    replayer = Replayer(workflows=[N8nWorkflow], data_converter=pydantic_data_converter)
    result = await replayer.replay_workflow(history, raise_on_replay_failure=True)
    assert result.replay_failure is None
