"""AI Agent typeVersions 1 – 1.5 and agent types mapped onto the tool-calling agent, and the
fallback model of agent 2.1+: end to end through a real dev server on the fake Ollama."""

from __future__ import annotations

from typing import Any

import pytest

from hive_core.config import ModelAliases
from hive_core.errors import CompileError
from n8n_import import compile_export
from n8n_import.ai_agent_types import CONVERSATIONAL_SYSTEM_MESSAGE, FUNCTIONS_SYSTEM_MESSAGE, REACT_PREFIX
from tests.ai.builders import ai_workflow, base, code, lc, output
from tests.ai.conftest import AiCluster
from workflows.n8n_models import ExecutionStatus

TOOL = lc("calc", "toolCode", 1.3, 300, description="Adds", jsCode="return 'sum:' + query;")


def _agent(
    agent: dict[str, Any], model: dict[str, Any], data: str = "{input: 'two plus two?'}"
) -> dict[str, Any]:
    return ai_workflow(
        "old agent",
        [base("Start", "manualTrigger", 1), code("Data", f"return [{{json: {data}}}];"), agent],
        [(model, "ai_languageModel", "Agent"), (TOOL, "ai_tool", "Agent")],
    )


def _system(cluster: AiCluster) -> str:
    chat = next(b for b in cluster.fake.stats.bodies if "messages" in b)
    return str(chat["messages"][0]["content"])


async def test_agent_v1_is_a_conversational_agent_reading_json_input(ai_cluster: AiCluster) -> None:
    ai_cluster.configure(
        tool_calls=[{"function": {"name": "calc", "arguments": {"input": "2+2"}}}],
        tool_calls_once=True,
        reply="It is 4.",
    )
    agent = lc("Agent", "agent", 1, 200)
    model = lc("Model", "lmChatOllama", 1, 200, model=ai_cluster.model)
    snapshot = await ai_cluster.run(_agent(agent, model))
    assert snapshot.status is ExecutionStatus.SUCCESS, snapshot.error
    assert output(snapshot, "Agent") == [{"output": "It is 4."}]
    assert _system(ai_cluster) == CONVERSATIONAL_SYSTEM_MESSAGE
    last = ai_cluster.fake.stats.bodies[-1]["messages"]
    assert last[1] == {"role": "user", "content": "two plus two?"}
    assert last[-1]["role"] == "tool" and last[-1]["content"] == "sum:2+2"


@pytest.mark.parametrize(
    ("version", "kind", "data", "system"),
    [
        (1.1, "openAiFunctionsAgent", "{chat_input: 'hi'}", FUNCTIONS_SYSTEM_MESSAGE),
        (1.5, "reActAgent", "{chatInput: 'hi'}", REACT_PREFIX),
    ],
)
async def test_functions_and_react_agents_run_as_tool_agents(
    ai_cluster: AiCluster, version: float, kind: str, data: str, system: str
) -> None:
    ai_cluster.configure(reply="hello")
    agent = lc("Agent", "agent", version, 200, agent=kind)
    # The ReAct agent accepts a text completion model; Hive chats with the mapped cluster model.
    model = lc("Model", "lmOpenAi" if kind == "reActAgent" else "lmChatOpenAi", 1, 200)
    workflow = _agent(agent, model, data)
    plan = compile_export(workflow, aliases=ai_cluster.aliases())[0]
    assert any("runs as a tool-calling agent" in d.message for d in plan.diagnostics if d.node == "Agent")
    snapshot = await ai_cluster.run(workflow, ai_cluster.aliases())
    assert snapshot.status is ExecutionStatus.SUCCESS, snapshot.error
    assert output(snapshot, "Agent") == [{"output": "hello"}]
    assert _system(ai_cluster) == system
    assert ai_cluster.fake.stats.bodies[-1]["messages"][-1] == {"role": "user", "content": "hi"}


@pytest.mark.parametrize("kind", ["planAndExecuteAgent", "madeUpAgent"])
def test_agent_types_that_do_not_carry_over_are_compile_errors(kind: str) -> None:
    workflow = _agent(lc("Agent", "agent", 1.6, 200, agent=kind), lc("Model", "lmChatOllama", 1, 200))
    with pytest.raises(CompileError, match=f'agent type "{kind}"'):
        compile_export(workflow)


def test_sql_agent_compiles_with_a_warning_and_rejects_other_data_sources() -> None:
    agent = lc("Agent", "agent", 1.7, 200, agent="sqlAgent", dataSource="postgres")
    assert compile_export(_agent(agent, lc("Model", "lmChatOllama", 1, 200)))
    oracle = lc("Agent", "agent", 1.7, 200, agent="sqlAgent", dataSource="oracledb")
    with pytest.raises(CompileError, match='data source "oracledb" is not supported'):
        compile_export(_agent(oracle, lc("Model", "lmChatOllama", 1, 200)))


def test_tools_agent_still_needs_a_chat_model() -> None:
    workflow = _agent(lc("Agent", "agent", 1.7, 200), lc("Model", "lmOllama", 1, 200))
    with pytest.raises(CompileError, match="needs a chat model"):
        compile_export(workflow)


def _fallback_workflow(connected: int) -> dict[str, Any]:
    agent = lc("Agent", "agent", 3.1, 200, promptType="define", text="hi", needsFallback=True)
    workflow = ai_workflow(
        "fallback",
        [base("Start", "manualTrigger", 1), agent],
        [(lc("Primary", "lmChatOpenAi", 1.2, 200, model="gpt-4o"), "ai_languageModel", "Agent")],
    )
    if connected == 2:
        workflow["nodes"].append(lc("Backup", "lmChatGroq", 1, 300, model="llama3-8b-8192"))
        # n8n wires the fallback model into the agent's second ai_languageModel slot.
        workflow["connections"]["Backup"] = {
            "ai_languageModel": [[{"node": "Agent", "type": "ai_languageModel", "index": 1}]]
        }
        # Listed first in the export, the fallback must still be the second model.
        workflow["nodes"].insert(1, workflow["nodes"].pop())
    return workflow


async def test_fallback_model_answers_when_the_primary_fails(ai_cluster: AiCluster) -> None:
    ai_cluster.configure(reply="from the fallback")
    # gpt-4o goes to a model no agent serves (the call fails); Groq goes to the cluster's model.
    aliases = ModelAliases(chat={"gpt-4o": "nobody-serves:1b", "llama3-8b-8192": ai_cluster.model})
    workflow = _fallback_workflow(2)
    assert compile_export(workflow, aliases=aliases)[0].nodes["Agent"].sub_nodes["ai_languageModel"] == [
        "Primary",
        "Backup",
    ]
    snapshot = await ai_cluster.run(workflow, aliases)
    assert snapshot.status is ExecutionStatus.SUCCESS, snapshot.error
    assert output(snapshot, "Agent") == [{"output": "from the fallback"}]
    assert {b["model"] for b in ai_cluster.fake.stats.bodies if "messages" in b} == {ai_cluster.model}


def test_fallback_switch_without_a_second_model_is_an_error() -> None:
    with pytest.raises(CompileError, match="connect two chat models"):
        compile_export(_fallback_workflow(1))
