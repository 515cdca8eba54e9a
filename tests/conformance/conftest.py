"""A central worker shared by the conformance tests, and the per-node-type report."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import pytest
from temporalio.testing import WorkflowEnvironment

from tests.builders import worker_settings
from tests.conformance.report import REPORT
from workers.factory import build_central_worker


@pytest.fixture(scope="module")
async def conformance_queue(temporal_env: WorkflowEnvironment) -> AsyncIterator[str]:
    queue = f"conformance-{uuid.uuid4().hex[:8]}"
    settings = worker_settings(queue)
    async with build_central_worker(temporal_env.client, settings):
        yield queue


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    lines = REPORT.lines()
    if lines:
        terminalreporter.section("n8n corpus through Temporal: pass rate per node type")
        for line in lines:
            terminalreporter.write_line(line)
