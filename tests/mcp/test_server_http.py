"""Hive's MCP server at `/mcp` through the SDK's streamable HTTP client, on a real uvicorn,
Temporal dev server and worker: list, call with progress, bad input, auth, long runs."""

from __future__ import annotations

import json

import httpx
import pytest

from hive_mcp.execution_tools import RESULT_TOOL
from hive_mcp.server import WAIT_META_KEY
from tests.mcp.clients import http_client
from tests.mcp.conftest import McpStack

pytestmark = pytest.mark.timeout(120)


async def test_lists_every_active_workflow_with_its_input_schema(mcp_stack: McpStack) -> None:
    async with http_client(mcp_stack.mcp_url, mcp_stack.operator_key) as client:
        tools = {t.name: t for t in (await client.list_tools()).tools}
    assert set(tools) == {"add_numbers", "always_fails", "slow_one", RESULT_TOOL}  # not the inactive one
    adder = tools["add_numbers"]
    assert adder.description == "Adds a and b."
    assert adder.input_schema == {
        "type": "object",
        "properties": {"a": {"type": "number"}, "b": {"type": "number"}, "note": {"type": "string"}},
    }
    assert tools["always_fails"].input_schema == {"type": "object", "additionalProperties": True}


async def test_call_runs_the_workflow_and_reports_each_node(mcp_stack: McpStack) -> None:
    progress: list[tuple[float, str | None]] = []

    async def on_progress(done: float, total: float | None, message: str | None) -> None:
        progress.append((done, message))

    async with http_client(mcp_stack.mcp_url, mcp_stack.operator_key) as client:
        result = await client.call_tool("add_numbers", {"a": 2, "b": 3.5}, progress_callback=on_progress)
    assert not result.is_error, result.content
    assert json.loads(result.content[0].text) == [{"sum": 5.5, "note": None}]
    structured = result.structured_content
    assert structured["items"] == [{"sum": 5.5, "note": None}]
    assert structured["execution_id"].startswith("hive-exec-")
    assert [message for _, message in progress] == [
        "When called finished: 1 item(s)",
        "Sum finished: 1 item(s)",
    ]
    assert [done for done, _ in progress] == [1, 2]


async def test_the_execution_is_indexed_like_an_api_run(mcp_stack: McpStack) -> None:
    async with http_client(mcp_stack.mcp_url, mcp_stack.operator_key) as client:
        result = await client.call_tool("add_numbers", {"a": 1, "b": 1})
    execution_id = result.structured_content["execution_id"]
    async with httpx.AsyncClient(
        base_url=mcp_stack.url, headers={"X-API-Key": mcp_stack.operator_key}
    ) as api:
        detail = (await api.get(f"/api/executions/{execution_id}")).json()
    assert detail["workflow_id"] == "wf-adder" and detail["mode"] == "mcp"
    assert detail["status"] == "success"


async def test_bad_calls_are_tool_errors_not_crashes(mcp_stack: McpStack) -> None:
    async with http_client(mcp_stack.mcp_url, mcp_stack.operator_key) as client:
        unknown = await client.call_tool("no_such_tool", {})
        wrong = await client.call_tool("add_numbers", {"a": "two", "b": 3})
        failing = await client.call_tool("always_fails", {})
        still_fine = await client.call_tool("add_numbers", {"a": 1, "b": 2})
    assert unknown.is_error and "unknown tool 'no_such_tool'" in unknown.content[0].text
    assert "add_numbers" in unknown.content[0].text
    assert wrong.is_error
    assert wrong.content[0].text == (
        "arguments for tool 'add_numbers' do not match its input schema: a: 'two' is not of type 'number'"
    )
    assert failing.is_error
    text = failing.content[0].text
    assert "ended error" in text and "'Explode'" in text and "boom" in text
    assert not still_fine.is_error


async def test_a_long_run_answers_with_its_execution_id(mcp_stack: McpStack) -> None:
    async with http_client(mcp_stack.mcp_url, mcp_stack.operator_key) as client:
        started = await client.call_tool("slow_one", {}, meta={WAIT_META_KEY: 0.3})
        assert not started.is_error
        assert started.structured_content["status"] == "running"
        execution_id = started.structured_content["execution_id"]
        assert execution_id in started.content[0].text
        done = await client.call_tool(RESULT_TOOL, {"execution_id": execution_id, "wait_seconds": 30})
    assert not done.is_error, done.content
    assert done.structured_content["items"] == [{"done": True}]


async def test_without_a_key_the_endpoint_is_401(mcp_stack: McpStack) -> None:
    # The SDK's client cannot even start a session (it wraps the 401 in its own errors).
    with pytest.raises(BaseException):  # noqa: B017
        async with http_client(mcp_stack.mcp_url, None) as client:
            await client.list_tools()
    body = {"jsonrpc": "2.0", "id": 1, "method": "tools/list"}
    async with httpx.AsyncClient() as http:
        anonymous = await http.post(mcp_stack.mcp_url, json=body)
        wrong = await http.post(
            mcp_stack.mcp_url, json=body, headers={"X-API-Key": "hive_0123456789ab_wrong"}
        )
    for response in (anonymous, wrong):
        assert response.status_code == 401
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
        assert response.json()["error"]["type"] == "AuthenticationError"


async def test_a_viewer_may_list_but_not_run(mcp_stack: McpStack) -> None:
    async with http_client(mcp_stack.mcp_url, mcp_stack.viewer_key) as client:
        names = {t.name for t in (await client.list_tools()).tools}
        refused = await client.call_tool("add_numbers", {"a": 1, "b": 2})
    assert "add_numbers" in names
    assert refused.is_error and "may not start executions" in refused.content[0].text
