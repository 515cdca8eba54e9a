"""AI Agent (tools agent): tool calls as durable steps (Code, sub-workflow, HTTP), maxIterations."""

from __future__ import annotations

import json

from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.worker import Replayer

from tests.ai.builders import ai_workflow, base, code, lc, output
from tests.ai.conftest import AiCluster
from tests.counting_server import counting_server
from workflows.n8n_models import ExecutionStatus
from workflows.n8n_run import N8nWorkflow

CALCULATOR = "return 'calc:' + query;"
CHILD = {
    "name": "lookup",
    "nodes": [
        base("In", "executeWorkflowTrigger", 1.1),
        base(
            "Answer",
            "set",
            3.4,
            100,
            assignments={
                "assignments": [{"name": "response", "value": "=found {{ $json.query }}", "type": "string"}]
            },
        ),
    ],
    "connections": {"In": {"main": [[{"node": "Answer", "type": "main", "index": 0}]]}},
    "settings": {"executionOrder": "v1"},
}


def _agent_workflow(model: str, url: str, **options: object) -> dict:
    return ai_workflow(
        "agent",
        [
            base("Start", "manualTrigger", 1),
            code("Data", "return [{json: {chatInput: 'What do you know?'}}];"),
            lc("Agent", "agent", 2.2, 200, options={"systemMessage": "=You are terse.", **options}),
        ],
        [
            (lc("Model", "lmChatOllama", 1, 200, model=model), "ai_languageModel", "Agent"),
            (
                lc("Calculator", "toolCode", 1.3, 300, description="Adds things", jsCode=CALCULATOR),
                "ai_tool",
                "Agent",
            ),
            (
                lc("Lookup", "toolWorkflow", 1.3, 400, description="Looks things up", source="parameter",
                   workflowJson=json.dumps(CHILD)),
                "ai_tool",
                "Agent",
            ),
            (
                base("Fetch", "httpRequestTool", 4.2, 500, toolDescription="Fetches a path",
                     url=f"={url}/{{{{ $fromAI('path', 'the path to fetch', 'string') }}}}", options={}),
                "ai_tool",
                "Agent",
            ),
        ],
    )  # fmt: skip


TOOL_CALLS = [
    {"function": {"name": "Calculator", "arguments": {"input": "2+2"}}},
    {"function": {"name": "Lookup", "arguments": {"input": "bees"}}},
    {"function": {"name": "Fetch", "arguments": {"path": "ok"}}},
]


async def test_agent_runs_each_tool_then_answers(ai_cluster: AiCluster) -> None:
    ai_cluster.configure(tool_calls=TOOL_CALLS, tool_calls_once=True, reply="All done.")
    with counting_server() as server:
        snapshot = await ai_cluster.run(_agent_workflow(ai_cluster.model, server.url))
        assert server.counts["/ok"] == 1
    assert snapshot.status is ExecutionStatus.SUCCESS, snapshot.error
    assert output(snapshot, "Agent") == [{"output": "All done."}]
    first, last = ai_cluster.fake.stats.bodies[0], ai_cluster.fake.stats.bodies[-1]
    tools = {tool["function"]["name"]: tool["function"] for tool in first["tools"]}
    assert tools["Calculator"]["parameters"]["properties"] == {"input": {"type": "string"}}
    assert tools["Fetch"]["parameters"] == {
        "type": "object",
        "properties": {"path": {"type": "string", "description": "the path to fetch"}},
        "required": ["path"],
    }
    assert first["messages"][0] == {"role": "system", "content": "You are terse."}
    observations = {m["tool_name"]: m["content"] for m in last["messages"] if m["role"] == "tool"}
    assert observations["Calculator"] == "calc:2+2"
    assert observations["Lookup"] == "found bees"
    assert json.loads(observations["Fetch"]) == {"path": "/ok", "count": 1}
    assert len(ai_cluster.fake.stats.bodies) == 2
    # Each LLM and tool call is a recorded step: the history replays without re-running them.
    history = await ai_cluster.client.get_workflow_handle(ai_cluster.last_run_id).fetch_history()
    await Replayer(workflows=[N8nWorkflow], data_converter=pydantic_data_converter).replay_workflow(history)


async def test_max_iterations_stops_the_loop(ai_cluster: AiCluster) -> None:
    calls = [{"function": {"name": "Calculator", "arguments": {"input": "1"}}}]
    ai_cluster.configure(tool_calls=calls)  # the model never stops asking for the tool
    with counting_server() as server:
        workflow = _agent_workflow(
            ai_cluster.model, server.url, maxIterations=2, returnIntermediateSteps=True
        )
        snapshot = await ai_cluster.run(workflow)
    assert snapshot.status is ExecutionStatus.SUCCESS, snapshot.error
    (item,) = output(snapshot, "Agent")
    assert item["output"] == "Agent stopped due to max iterations."
    assert [step["observation"] for step in item["intermediateSteps"]] == ["calc:1", "calc:1"]
    assert ai_cluster.fake.stats.requests["/api/chat"] == 2


async def test_unknown_tool_and_failing_code_answer_the_model(ai_cluster: AiCluster) -> None:
    calls = [
        {"function": {"name": "Nope", "arguments": {}}},
        {"function": {"name": "Calculator", "arguments": {"input": "x"}}},
    ]
    ai_cluster.configure(tool_calls=calls, tool_calls_once=True, reply="recovered")
    with counting_server() as server:
        workflow = _agent_workflow(ai_cluster.model, server.url)
        calculator = next(n for n in workflow["nodes"] if n["name"] == "Calculator")
        calculator["parameters"]["jsCode"] = "throw new Error('boom');"
        snapshot = await ai_cluster.run(workflow)
    assert snapshot.status is ExecutionStatus.SUCCESS, snapshot.error
    assert output(snapshot, "Agent") == [{"output": "recovered"}]
    tool_messages = [
        m["content"] for m in ai_cluster.fake.stats.bodies[-1]["messages"] if m["role"] == "tool"
    ]
    assert tool_messages[0] == "Nope is not a valid tool, try another one."
    assert "boom" in tool_messages[1] and tool_messages[1].startswith("There was an error")


async def test_langchain_http_tool_placeholders_and_optional_query(ai_cluster: AiCluster) -> None:
    calls = [
        {"function": {"name": "Get_page", "arguments": {"page": "ok"}}},
        {"function": {"name": "Get_page", "arguments": {"page": "ok", "q": "bees"}}},
    ]
    ai_cluster.configure(tool_calls=calls, tool_calls_once=True, reply="fetched")
    with counting_server() as server:
        tool = lc(
            "Get page",
            "toolHttpRequest",
            1.1,
            300,
            toolDescription="Gets a page",
            url=server.url + "/{page}",
            sendQuery=True,
            parametersQuery={"values": [{"name": "q", "valueProvider": "modelOptional"}]},
            placeholderDefinitions={
                "values": [{"name": "page", "description": "which page", "type": "string"}]
            },
        )
        workflow = ai_workflow(
            "agent-http",
            [base("Start", "manualTrigger", 1), code("Data", "return [{json: {chatInput: 'go'}}];"),
             lc("Agent", "agent", 2.2, 200)],
            [(lc("Model", "lmChatOllama", 1, 200, model=ai_cluster.model), "ai_languageModel", "Agent"),
             (tool, "ai_tool", "Agent")],
        )  # fmt: skip
        snapshot = await ai_cluster.run(workflow)
        assert snapshot.status is ExecutionStatus.SUCCESS, snapshot.error
        assert server.counts == {"/ok": 1, "/ok?q=bees": 1}
    schema = ai_cluster.fake.stats.bodies[0]["tools"][0]["function"]["parameters"]
    assert schema == {
        "type": "object",
        "properties": {"page": {"type": "string", "description": "which page"}, "q": {"type": "string"}},
        "required": ["page"],
    }
