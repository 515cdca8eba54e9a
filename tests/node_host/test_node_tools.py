"""n8n's `<node>Tool` variants as agent tools: compiled as AI sub-nodes, run on a real node host.

The fake Ollama asks for the Postgres tool with `$fromAI` arguments; the node host runs n8n's
Postgres node against the local PostgreSQL with the credential from the stand-in store, and the
model's next turn (and so the agent's answer) holds the query result.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import pytest
from temporalio.client import Client
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.worker import Replayer

from hive_core.errors import CompileError
from hive_core.node_host.contract import ACTIVITY_NAME
from n8n_import import CompileOptions, compile_export
from tests.ai.builders import ai_workflow, base, code, lc, output
from tests.ai.conftest import open_ai_cluster
from tests.node_host.conftest import NodeHost
from tests.node_host.credential_server import CredentialServer
from workflows.n8n_models import ExecutionStatus, RunN8nInput
from workflows.n8n_run import N8nWorkflow

REAL_WORLD = Path(__file__).resolve().parents[2] / ".." / "shared" / "real-world" / "workflows"
# `$fromAI` values from the tool call, `$json` from the agent's input item (evaluated in its scope).
QUERY = (
    "=SELECT {{ $fromAI('a', 'first number', 'number') }} * {{ $fromAI('b', 'second number', 'number') }}"
    " AS answer, '{{ $fromAI('label') }}' AS label, '{{ $json.chatInput }}' AS asked"
)


def _agent(model: str, *tools: dict[str, Any]) -> dict[str, Any]:
    return ai_workflow(
        "agent-node-tools",
        [base("Start", "manualTrigger", 1), code("Data", "return [{json: {chatInput: 'multiply'}}];"),
         lc("Agent", "agent", 2.2, 200, options={"returnIntermediateSteps": True})],
        [(lc("Model", "lmChatOllama", 1, 200, model=model), "ai_languageModel", "Agent"),
         *((tool, "ai_tool", "Agent") for tool in tools)],
    )  # fmt: skip


def _postgres_tool(credential: dict[str, Any], query: str = QUERY, **extra: Any) -> dict[str, Any]:
    node = base(
        "Run SQL", "postgresTool", 2.6, 300, operation="executeQuery", query=query, options={}, **extra
    )
    return {**node, "credentials": {"postgres": credential}}


@pytest.fixture
def pg(credentials: CredentialServer) -> dict[str, Any]:
    data = {
        "host": "127.0.0.1",
        "port": 5432,
        "database": "test",
        "user": "postgres",
        "password": "",
        "ssl": "disable",
    }
    return credentials.add(f"pg-{uuid.uuid4().hex[:6]}", "Local Postgres", "postgres", data)


async def _run(client: Client, task_queue: str, node_host: NodeHost, workflow: dict[str, Any]) -> Any:
    plan = compile_export(workflow, CompileOptions(node_host_queue=node_host.queue))[0]
    run_id = f"t-{uuid.uuid4().hex[:10]}"
    run = await client.execute_workflow(
        N8nWorkflow.run, RunN8nInput(plan=plan), id=run_id, task_queue=task_queue
    )
    # The tool call is a recorded node-host activity: the history replays without running it again.
    history = await client.get_workflow_handle(run_id).fetch_history()
    await Replayer(workflows=[N8nWorkflow], data_converter=pydantic_data_converter).replay_workflow(history)
    return run, history


def _node_host_attempts(history: Any) -> int:
    return sum(
        event.activity_task_scheduled_event_attributes.activity_type.name == ACTIVITY_NAME
        for event in history.events
        if event.HasField("activity_task_scheduled_event_attributes")
    )


async def test_agent_calls_a_postgres_tool_on_the_node_host(
    client: Client, task_queue: str, tmp_path: Path, node_host: NodeHost, pg: dict[str, Any]
) -> None:
    async with open_ai_cluster(client, task_queue, tmp_path) as cluster:
        calls = [{"function": {"name": "Run_SQL", "arguments": {"a": 6, "b": 7, "label": "life"}}}]
        cluster.configure(tool_calls=calls, tool_calls_once=True, reply="It is 42.")
        workflow = _agent(cluster.model, _postgres_tool(pg, toolDescription="Multiplies in SQL"))
        run, history = await _run(client, task_queue, node_host, workflow)
        assert run.status is ExecutionStatus.SUCCESS, run.error
        first, last = cluster.fake.stats.bodies[0], cluster.fake.stats.bodies[-1]
    (tool,) = first["tools"]
    assert tool["function"]["name"] == "Run_SQL"
    assert tool["function"]["description"] == "Multiplies in SQL"
    assert tool["function"]["parameters"]["required"] == ["a", "b", "label"]
    assert tool["function"]["parameters"]["properties"]["a"] == {
        "type": "number",
        "description": "first number",
    }
    (observation,) = [m["content"] for m in last["messages"] if m["role"] == "tool"]
    assert json.loads(observation) == [{"answer": 42, "label": "life", "asked": "multiply"}]
    (answer,) = output(run, "Agent")
    assert answer["output"] == "It is 42."
    (step,) = answer["intermediateSteps"]
    assert step["action"]["tool"] == "Run_SQL"
    assert _node_host_attempts(history) == 1
    assert json.loads(step["observation"]) == [{"answer": 42, "label": "life", "asked": "multiply"}]


async def test_postgres_and_mysql_tools_side_by_side(
    client: Client,
    task_queue: str,
    tmp_path: Path,
    node_host: NodeHost,
    pg: dict[str, Any],
    credentials: CredentialServer,
) -> None:
    data = {"host": "127.0.0.1", "port": 3306, "database": "test", "user": "root", "password": ""}
    my = credentials.add(f"my-{uuid.uuid4().hex[:6]}", "Local MariaDB", "mySql", data)
    my_tool = {
        **base(
            "Ask MariaDB",
            "mySqlTool",
            2.5,
            300,
            operation="executeQuery",
            query="=SELECT {{ $fromAI('n', 'a number', 'number') }} + 1 AS next",
            options={},
        ),
        "credentials": {"mySql": my},
    }
    async with open_ai_cluster(client, task_queue, tmp_path) as cluster:
        calls = [
            {"function": {"name": "Ask_MariaDB", "arguments": {"n": 41}}},
            {"function": {"name": "Run_SQL", "arguments": {"a": 2, "b": 3, "label": "x"}}},
        ]
        cluster.configure(tool_calls=calls, tool_calls_once=True, reply="done")
        run, history = await _run(
            client, task_queue, node_host, _agent(cluster.model, _postgres_tool(pg), my_tool)
        )
        assert run.status is ExecutionStatus.SUCCESS, run.error
    (answer,) = output(run, "Agent")
    observations = {
        step["action"]["tool"]: json.loads(step["observation"]) for step in answer["intermediateSteps"]
    }
    assert observations == {
        "Ask_MariaDB": [{"next": 42}],
        "Run_SQL": [{"answer": 6, "label": "x", "asked": "multiply"}],
    }
    assert _node_host_attempts(history) == 2


async def test_a_failing_node_tool_answers_the_model_with_its_error(
    client: Client, task_queue: str, tmp_path: Path, node_host: NodeHost, pg: dict[str, Any]
) -> None:
    async with open_ai_cluster(client, task_queue, tmp_path) as cluster:
        calls = [{"function": {"name": "Run_SQL", "arguments": {"table": "no_such_table_here"}}}]
        cluster.configure(tool_calls=calls, tool_calls_once=True, reply="recovered")
        tool = _postgres_tool(pg, query="=SELECT * FROM {{ $fromAI('table') }}")
        tool.update(retryOnFail=True, maxTries=2, waitBetweenTries=0)
        run, history = await _run(client, task_queue, node_host, _agent(cluster.model, tool))
        assert run.status is ExecutionStatus.SUCCESS, run.error
        first, last = cluster.fake.stats.bodies[0], cluster.fake.stats.bodies[-1]
    # No toolDescription: n8n's makeDescription (`<operation> in <Node>`).
    assert first["tools"][0]["function"]["description"] == "executeQuery in Postgres"
    (observation,) = [m["content"] for m in last["messages"] if m["role"] == "tool"]
    assert observation.startswith("There was an error") and "no_such_table_here" in observation
    assert _node_host_attempts(history) == 2  # the tool node's Retry On Fail, as n8n's tool invocation
    (answer,) = output(run, "Agent")
    assert answer["output"] == "recovered"


def test_tool_variant_compiles_as_a_sub_node_and_unknown_bases_stay_errors() -> None:
    tool = base("Sheet", "googleSheetsTool", 4.5, 300, operation="read")
    plan = compile_export(_agent("m:latest", tool))[0]
    assert plan.nodes["Sheet"].runner == "node_host"
    assert plan.nodes["Agent"].sub_nodes["ai_tool"] == ["Sheet"]
    bogus = base("Nope", "noSuchServiceTool", 1, 300)
    with pytest.raises(CompileError, match="lack its base node"):
        compile_export(_agent("m:latest", bogus))
    trigger = base("Trig", "gmailTriggerTool", 1, 300)
    with pytest.raises(CompileError, match="cannot be used as an AI tool"):
        compile_export(_agent("m:latest", trigger))


def test_real_world_tool_variants_compile() -> None:
    """Every `<node>Tool` of the real-world templates compiles (whatever else their workflow has)."""
    if not REAL_WORLD.is_dir():
        pytest.skip(f"real-world templates not found at {REAL_WORLD}")
    compiled: set[str] = set()
    for path in sorted(REAL_WORLD.rglob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        tools = [
            n
            for n in data.get("nodes", [])
            if n["type"].startswith("n8n-nodes-base.") and n["type"].endswith("Tool")
        ]
        if not tools:
            continue
        try:
            compile_export(data)
            compiled.add(path.name)
            continue
        except CompileError as exc:
            diags = exc.details.get("diagnostics", [])
        names = {t["name"] for t in tools}
        bad = [
            d
            for d in diags
            if d["severity"] == "error"
            and (d.get("node") in names or any(f'"{n}"' in d["message"] for n in names))
        ]
        assert not bad, f"{path.name}: {bad}"
    # Measured: 5 templates with tool variants compile whole (none did before).
    assert len(compiled) >= 5
