"""A central worker shared by the conformance tests, and the per-node-type report."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import pytest
from temporalio.testing import WorkflowEnvironment

from hive_core.config.models import ClusterConfig, CredentialConfig
from tests.builders import worker_settings
from tests.conformance.report import REPORT
from workers.factory import build_central_worker


@pytest.fixture(scope="module")
async def conformance_queue(temporal_env: WorkflowEnvironment) -> AsyncIterator[str]:
    queue = f"conformance-{uuid.uuid4().hex[:8]}"
    settings = worker_settings(queue)
    # The corpus' JWT workflow references this credential by id; its secret is arbitrary (the
    # expected outputs only hold the claims).
    jwt_auth = CredentialConfig(
        type="jwtAuth", data={"keyType": "passphrase", "secret": "corpus", "algorithm": "HS256"}
    )
    cluster = ClusterConfig(credentials={"kDnfvqrCBJvtlX3o": jwt_auth})
    async with build_central_worker(temporal_env.client, settings, cluster):
        yield queue


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    lines = REPORT.lines()
    if lines:
        terminalreporter.section("n8n corpus through Temporal: pass rate per node type")
        for line in lines:
            terminalreporter.write_line(line)
