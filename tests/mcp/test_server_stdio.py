"""`hive mcp` over stdio through the SDK's stdio client: the same tools, calls and progress."""

from __future__ import annotations

import json

import pytest

from hive_mcp.execution_tools import RESULT_TOOL
from tests.mcp.clients import stdio_client
from tests.mcp.conftest import McpStack

# Spawning `hive mcp` imports the whole stack in a fresh interpreter: ~5 s idle, more under load.
pytestmark = [pytest.mark.timeout(180), pytest.mark.slow]


async def test_stdio_lists_calls_and_reports_progress(mcp_stack: McpStack) -> None:
    progress: list[str | None] = []

    async def on_progress(done: float, total: float | None, message: str | None) -> None:
        progress.append(message)

    async with stdio_client(mcp_stack) as client:
        names = {t.name for t in (await client.list_tools()).tools}
        result = await client.call_tool("add_numbers", {"a": 40, "b": 2}, progress_callback=on_progress)
        wrong = await client.call_tool("add_numbers", {"a": 1, "b": []})
    assert names == {"add_numbers", "always_fails", "slow_one", RESULT_TOOL}
    assert not result.is_error, result.content
    assert json.loads(result.content[0].text) == [{"sum": 42, "note": None}]
    assert progress == ["When called finished: 1 item(s)", "Sum finished: 1 item(s)"]
    assert wrong.is_error and "b: [] is not of type 'number'" in wrong.content[0].text
