"""The MCP Client Tool as an AI Agent tool against a real MCP server (the SDK's MCPServer on
uvicorn), through a real Temporal dev server, with the fake Ollama scripting the model's calls."""

from __future__ import annotations

from typing import Any

import pytest

from activities.mcp_client import McpClientActivities
from hive_core.stack.ports import free_port
from hive_mcp.client.models import McpServerRef
from n8n_runtime.http.credentials import CredentialSource
from tests.ai.builders import ai_workflow, base, code, lc, output
from tests.ai.conftest import AiCluster
from tests.loopback import JsonHandler, serve
from tests.mcp.tool_server import serve_tools
from workflows.n8n_models import ExecutionStatus

pytestmark = pytest.mark.timeout(120)


def _agent(model: str, **mcp: Any) -> dict[str, Any]:
    version = mcp.pop("version", 1.2)
    return ai_workflow(
        "mcp agent",
        [
            base("Start", "manualTrigger", 1),
            code("Data", "return [{json: {chatInput: 'Use the tools.'}}];"),
            lc("Agent", "agent", 2.2, 200, options={"returnIntermediateSteps": True}),
        ],
        [
            (lc("Model", "lmChatOllama", 1, 200, model=model), "ai_languageModel", "Agent"),
            (lc("MCP Client", "mcpClientTool", version, 300, **mcp), "ai_tool", "Agent"),
        ],
    )


def _observations(cluster: AiCluster) -> dict[str, str]:
    last = cluster.fake.stats.bodies[-1]
    return {m["tool_name"]: m["content"] for m in last["messages"] if m["role"] == "tool"}


def _offered(cluster: AiCluster) -> dict[str, dict[str, Any]]:
    first = cluster.fake.stats.bodies[0]
    return {tool["function"]["name"]: tool["function"] for tool in first.get("tools") or []}


async def _attempts(cluster: AiCluster, activity_type: str) -> int:
    history = await cluster.client.get_workflow_handle(cluster.last_run_id).fetch_history()
    scheduled = {
        event.event_id
        for event in history.events
        if event.HasField("activity_task_scheduled_event_attributes")
        and event.activity_task_scheduled_event_attributes.activity_type.name == activity_type
    }
    return max(
        (
            event.activity_task_started_event_attributes.attempt
            for event in history.events
            if event.HasField("activity_task_started_event_attributes")
            and event.activity_task_started_event_attributes.scheduled_event_id in scheduled
        ),
        default=0,
    )


async def test_agent_calls_a_streamable_http_mcp_tool(ai_cluster: AiCluster) -> None:
    calls = [{"function": {"name": "add", "arguments": {"a": 2, "b": 3}}}]
    ai_cluster.configure(tool_calls=calls, tool_calls_once=True, reply="It is 5.")
    with serve_tools() as url:
        workflow = _agent(
            ai_cluster.model, endpointUrl=url, serverTransport="httpStreamable", include="except",
            excludeTools=["explode"],
        )  # fmt: skip
        snapshot = await ai_cluster.run(workflow)
    assert snapshot.status is ExecutionStatus.SUCCESS, snapshot.error
    [answer] = output(snapshot, "Agent")
    assert answer["output"] == "It is 5."
    assert answer["intermediateSteps"][0]["observation"] == "5"
    offered = _offered(ai_cluster)
    assert set(offered) == {"add", "shout"}  # explode excluded
    assert offered["add"]["description"] == "Adds two numbers."
    assert set(offered["add"]["parameters"]["properties"]) == {"a", "b"}
    assert _observations(ai_cluster) == {"add": "5"}


async def test_sse_transport_of_typeversion_1_with_selected_tools(ai_cluster: AiCluster) -> None:
    calls = [{"function": {"name": "shout", "arguments": {"text": "hi"}}}]
    ai_cluster.configure(tool_calls=calls, tool_calls_once=True, reply="Done.")
    with serve_tools("sse") as url:
        workflow = _agent(
            ai_cluster.model, version=1, sseEndpoint=url, include="selected", includeTools=["shout"]
        )
        snapshot = await ai_cluster.run(workflow)
    assert snapshot.status is ExecutionStatus.SUCCESS, snapshot.error
    assert set(_offered(ai_cluster)) == {"shout"}
    assert _observations(ai_cluster) == {"shout": "HI!"}


async def test_a_tools_own_error_goes_back_to_the_model(ai_cluster: AiCluster) -> None:
    calls = [{"function": {"name": "explode", "arguments": {}}}]
    ai_cluster.configure(tool_calls=calls, tool_calls_once=True, reply="It failed.")
    with serve_tools() as url:
        snapshot = await ai_cluster.run(
            _agent(ai_cluster.model, endpointUrl=url, serverTransport="httpStreamable")
        )
    assert snapshot.status is ExecutionStatus.SUCCESS, snapshot.error
    observation = _observations(ai_cluster)["explode"]
    assert observation.startswith("There was an error:") and "explode" in observation


async def test_a_server_that_is_down_is_retried_then_a_clear_node_error(ai_cluster: AiCluster) -> None:
    ai_cluster.configure(reply="never asked")
    url = f"http://127.0.0.1:{free_port()}/mcp"
    workflow = _agent(
        ai_cluster.model, endpointUrl=url, serverTransport="httpStreamable", options={"timeout": 1500}
    )
    snapshot = await ai_cluster.run(workflow)
    assert snapshot.status is ExecutionStatus.ERROR
    message = str((snapshot.error or {}).get("message"))
    assert message.startswith("MCP Client: could not list the tools of the MCP server: cannot reach")
    assert url in message
    assert await _attempts(ai_cluster, "hive.mcp.list_tools") > 1  # retried before giving up
    assert ai_cluster.fake.stats.bodies == []  # the model was never called


class _Garbage(JsonHandler):
    def do_POST(self) -> None:  # noqa: N802 - http.server's naming
        self.reply_json(200, {"hello": "not json-rpc"})

    def do_GET(self) -> None:  # noqa: N802
        self.reply_json(200, {"hello": "not json-rpc"})


async def test_a_server_answering_garbage_is_a_clear_error_at_once(ai_cluster: AiCluster) -> None:
    ai_cluster.configure(reply="never asked")
    with serve(_Garbage) as base_url:
        workflow = _agent(ai_cluster.model, endpointUrl=f"{base_url}/mcp", serverTransport="httpStreamable")
        snapshot = await ai_cluster.run(workflow)
    assert snapshot.status is ExecutionStatus.ERROR
    message = str((snapshot.error or {}).get("message"))
    assert "MCP Client: could not list the tools" in message and "did not answer as an MCP server" in message
    assert await _attempts(ai_cluster, "hive.mcp.list_tools") == 1  # not retried


class _NoCredentials:
    async def for_node(self, references: Any, *, refresh: bool = False) -> Any:
        raise AssertionError("no credential is needed")


def test_registry_names_and_bare_hosts_resolve_to_urls() -> None:
    source: CredentialSource = _NoCredentials()
    activities = McpClientActivities(source, {"github": "http://10.0.0.5:9000/mcp"})
    named = McpServerRef(node="MCP", url="github")
    bare = McpServerRef(node="MCP", url="tools.example.com/mcp")
    given = McpServerRef(node="MCP", url="http://127.0.0.1:1/mcp")
    assert activities._resolve(named).url == "http://10.0.0.5:9000/mcp"
    assert activities._resolve(bare).url == "https://tools.example.com/mcp"
    assert activities._resolve(given).url == "http://127.0.0.1:1/mcp"
