"""n8n's MCP Server Trigger at `/mcp/<path>`: its tool nodes listed and called (each call a
durable `HiveMcpToolCall` run) through the SDK's streamable HTTP client, with the trigger's auth."""

from __future__ import annotations

import httpx
import pytest
from temporalio.client import WorkflowExecutionStatus
from temporalio.testing import WorkflowEnvironment

from tests.mcp.clients import http_client
from tests.mcp.conftest import MCP_TOKEN, McpStack

pytestmark = pytest.mark.timeout(120)


async def test_the_triggers_tools_are_listed_and_called(mcp_stack: McpStack) -> None:
    async with http_client(f"{mcp_stack.url}/mcp/tools", None) as client:
        tools = {t.name: t for t in (await client.list_tools()).tools}
        greeted = await client.call_tool("Greet", {"input": "Ada"})
        echoed = await client.call_tool("Echo_word", {"word": "bee"})
        wrong = await client.call_tool("Echo_word", {"word": 7})
        unknown = await client.call_tool("Nope", {})
    assert set(tools) == {"Greet", "Echo_word"}
    assert tools["Greet"].description == "Greets someone"
    assert tools["Echo_word"].input_schema["properties"]["word"]["type"] == "string"
    assert not greeted.is_error and greeted.content[0].text == "Hello, Ada!"
    assert greeted.meta["hive/run_id"].startswith("hive-mcp-tool-")
    assert not echoed.is_error and echoed.content[0].text == '{"word": "bee"}'
    assert wrong.is_error and "word: 7 is not of type 'string'" in wrong.content[0].text
    assert unknown.is_error and "unknown tool 'Nope'" in unknown.content[0].text


async def test_the_tool_call_is_a_durable_run(mcp_stack: McpStack, temporal_env: WorkflowEnvironment) -> None:
    async with http_client(f"{mcp_stack.url}/mcp/tools", None) as client:
        result = await client.call_tool("Greet", {"input": "Bo"})
    handle = temporal_env.client.get_workflow_handle(result.meta["hive/run_id"])
    description = await handle.describe()
    assert description.workflow_type == "HiveMcpToolCall"
    assert description.status is WorkflowExecutionStatus.COMPLETED
    assert description.task_queue == mcp_stack.task_queue


async def test_unknown_paths_404_and_the_triggers_own_auth(mcp_stack: McpStack) -> None:
    body = {"jsonrpc": "2.0", "id": 1, "method": "tools/list"}
    async with httpx.AsyncClient() as http:
        missing = await http.post(f"{mcp_stack.url}/mcp/no-such-path", json=body)
        anonymous = await http.post(f"{mcp_stack.url}/mcp/guarded", json=body)
        wrong = await http.post(
            f"{mcp_stack.url}/mcp/guarded", json=body, headers={"Authorization": "Bearer x"}
        )
    assert missing.status_code == 404
    assert anonymous.status_code == 401 and wrong.status_code == 403
    async with http_client(f"{mcp_stack.url}/mcp/guarded", None, bearer=MCP_TOKEN) as client:
        names = {t.name for t in (await client.list_tools()).tools}
    assert names == {"Greet", "Echo_word"}
