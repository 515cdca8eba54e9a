"""OpenAI assistants run as agents on the cluster, end to end through a real dev server on the
fake Ollama: the model and instructions hive.yaml's `model_aliases.assistants` maps the id to,
the node's tools and memory, "Use thread ID" kept in Hive's memory, n8n's output shape; the
compile warning naming the mapping, and an unmapped id as a compile error naming the line to add."""

from __future__ import annotations

from typing import Any

import pytest

from hive_core.config import ModelAliases
from hive_core.config.model_aliases import AssistantAlias, ProviderDefaults
from hive_core.errors import CompileError
from n8n_import import compile_export
from tests.ai.builders import ai_workflow, base, code, lc, output
from tests.ai.conftest import AiCluster
from workflows.n8n_models import ExecutionStatus

SHOP = "You answer questions about the bee shop."


def _aliases(ai_cluster: AiCluster, **assistants: AssistantAlias) -> ModelAliases:
    return ModelAliases(
        providers={"*": ProviderDefaults(chat=ai_cluster.model)},
        assistants=assistants or {"asst_shop*": AssistantAlias(model=ai_cluster.model, instructions=SHOP)},
    )


def _flow(node: dict[str, Any], subs: list[Any] | None = None, data: str = "{q: 'honey?'}") -> dict[str, Any]:
    return ai_workflow(
        "assistant",
        [base("Start", "manualTrigger", 1), code("Data", f"return [{{json: {data}}}];"), node],
        subs or [],
    )


def _message(version: float = 1.4, **parameters: Any) -> dict[str, Any]:
    assistant = {"__rl": True, "mode": "list", "value": "asst_shop42", "cachedResultName": "Shop"}
    return lc(
        "Assistant", "openAi", version, 200, resource="assistant", assistantId=assistant,
        prompt="define", text="={{ $json.q }}", options={}, **parameters,
    )  # fmt: skip


def _system(body: dict[str, Any]) -> list[str]:
    return [m["content"] for m in body["messages"] if m["role"] == "system"]


async def test_message_an_assistant_runs_the_mapped_agent_with_its_tools(ai_cluster: AiCluster) -> None:
    ai_cluster.configure(
        tool_calls=[{"function": {"name": "calculator", "arguments": {"input": "6*7"}}}],
        tool_calls_once=True,
        reply="42 jars.",
    )
    aliases = _aliases(ai_cluster)
    workflow = _flow(_message(), [(lc("Calc", "toolCalculator", 1, 300), "ai_tool", "Assistant")])
    plan = compile_export(workflow, aliases=aliases)[0]
    (warning,) = [d.message for d in plan.diagnostics if d.node == "Assistant"]
    assert f'cluster model "{ai_cluster.model}"' in warning
    assert 'model_aliases.assistants."asst_shop*"' in warning and "not available" in warning
    snapshot = await ai_cluster.run(workflow, aliases)
    assert snapshot.status is ExecutionStatus.SUCCESS, snapshot.error
    (item,) = output(snapshot, "Assistant")
    assert item["output"] == "42 jars." and item["threadId"].startswith("thread_")
    first, second = [b for b in ai_cluster.fake.stats.bodies if "messages" in b]
    assert first["model"] == ai_cluster.model and _system(first) == [SHOP]
    assert first["messages"][-1] == {"role": "user", "content": "honey?"}
    assert [t["function"]["name"] for t in first["tools"]] == ["calculator"]
    assert second["messages"][-1]["role"] == "tool" and second["messages"][-1]["content"] == "42"


async def test_thread_id_memory_keeps_the_conversation_per_thread(ai_cluster: AiCluster) -> None:
    ai_cluster.configure(reply="Noted.")
    aliases = _aliases(ai_cluster)
    node = _message(1.6, memory="threadId", threadId="={{ $json.thread }}")
    first = await ai_cluster.run(_flow(node, data="{q: 'I am Ada', thread: 'thread_a'}"), aliases)
    assert first.status is ExecutionStatus.SUCCESS, first.error
    assert output(first, "Assistant") == [{"output": "Noted.", "threadId": "thread_a"}]
    again = await ai_cluster.run(_flow(node, data="{q: 'Who am I?', thread: 'thread_a'}"), aliases)
    assert again.status is ExecutionStatus.SUCCESS, again.error
    history = [(m["role"], m["content"]) for m in ai_cluster.fake.stats.bodies[-1]["messages"]]
    assert history[-3:] == [("user", "I am Ada"), ("assistant", "Noted."), ("user", "Who am I?")]
    other = await ai_cluster.run(_flow(node, data="{q: 'Who am I?', thread: 'thread_b'}"), aliases)
    assert other.status is ExecutionStatus.SUCCESS, other.error
    assert [m["role"] for m in ai_cluster.fake.stats.bodies[-1]["messages"]] == ["system", "user"]


async def test_memory_connector_and_the_chat_input_prompt(ai_cluster: AiCluster) -> None:
    ai_cluster.configure(reply="Hi Ada.")
    aliases = _aliases(ai_cluster)
    node = lc(
        "Assistant", "openAi", 1.4, 200, resource="assistant", options={},
        assistantId={"__rl": True, "mode": "list", "value": "asst_shop1"},
    )  # fmt: skip
    memory = lc("Memory", "memoryBufferWindow", 1.3, 300, sessionIdType="customKey", sessionKey="s1")
    workflow = _flow(node, [(memory, "ai_memory", "Assistant")], data="{chatInput: 'I am Ada'}")
    assert (await ai_cluster.run(workflow, aliases)).status is ExecutionStatus.SUCCESS
    workflow = _flow(node, [(memory, "ai_memory", "Assistant")], data="{chatInput: 'Name?'}")
    snapshot = await ai_cluster.run(workflow, aliases)
    assert snapshot.status is ExecutionStatus.SUCCESS, snapshot.error
    history = [m["content"] for m in ai_cluster.fake.stats.bodies[-1]["messages"]]
    assert history == [SHOP, "I am Ada", "Hi Ada.", "Name?"]


async def test_legacy_assistant_node_and_its_new_mode(ai_cluster: AiCluster) -> None:
    ai_cluster.configure(reply="Buzz.")
    aliases = _aliases(ai_cluster, **{"*": AssistantAlias(model=ai_cluster.model)})
    legacy = lc("Assistant", "openAiAssistant", 1.1, 200, assistantId="asst_x", options={})
    snapshot = await ai_cluster.run(_flow(legacy, data="{chatInput: 'bees?'}"), aliases)
    assert snapshot.status is ExecutionStatus.SUCCESS, snapshot.error
    (item,) = output(snapshot, "Assistant")
    assert {k: item[k] for k in ("content", "output", "timeout")} == {
        "content": "bees?", "output": "Buzz.", "timeout": 10000,
    }  # fmt: skip
    assert _system(ai_cluster.fake.stats.bodies[-1]) == []  # a "*" rule without instructions
    new = lc(
        "Assistant", "openAiAssistant", 1, 200, mode="new", instructions="Speak like a bee.",
        model="gpt-4o-mini", text="={{ $json.chatInput }}", options={},
    )  # fmt: skip
    new["parameters"]["name"] = "Bee"
    snapshot = await ai_cluster.run(_flow(new, data="{chatInput: 'hello'}"), aliases)
    assert snapshot.status is ExecutionStatus.SUCCESS, snapshot.error
    assert _system(ai_cluster.fake.stats.bodies[-1]) == ["Speak like a bee."]


def test_an_unmapped_assistant_is_a_compile_error_naming_the_line_to_add() -> None:
    aliases = ModelAliases(providers={"*": ProviderDefaults(chat="llama3.1:8b")})
    with pytest.raises(CompileError) as caught:
        compile_export(_flow(_message()), aliases=aliases)
    message = str(caught.value.details["diagnostics"])
    assert 'OpenAI assistant "asst_shop42" is not mapped' in message
    assert '"asst_shop42": {model: llama3.1:8b' in message


def test_the_shipped_default_maps_every_assistant() -> None:
    plan = compile_export(_flow(_message()))[0]
    assert any('model_aliases.assistants."*"' in d.message for d in plan.diagnostics)


def test_other_assistant_operations_are_compile_errors() -> None:
    create = lc("Assistant", "openAi", 1, 200, resource="assistant", operation="create", options={})
    with pytest.raises(CompileError, match="assistant/create manages assistants stored on OpenAI"):
        compile_export(_flow(create))
    native = lc("Assistant", "openAiAssistant", 1, 200, assistantId="a", nativeTools=["code_interpreter"])
    with pytest.raises(CompileError, match="code interpreter"):
        compile_export(_flow(native))
