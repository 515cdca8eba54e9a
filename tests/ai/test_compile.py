"""Compiling AI workflows: supported wiring, routing pins in notes, and every wiring error named."""

from __future__ import annotations

from typing import Any

import pytest

from hive_core.errors import CompileError
from n8n_import import compile_export
from n8n_import.plan import RoutePin
from tests.ai.builders import ai_workflow, base, lc


def _chain(*subs: tuple[dict[str, Any], str, str], root: dict[str, Any] | None = None) -> dict[str, Any]:
    return ai_workflow(
        "w", [base("Start", "manualTrigger", 1), root or lc("Chain", "chainLlm", 1.7, 200)], list(subs)
    )


MODEL = (
    lc("Model", "lmChatOllama", 1, notes="hive: agent=acacia", model="llama3.2"),
    "ai_languageModel",
    "Chain",
)


def _errors(workflow: dict[str, Any]) -> str:
    with pytest.raises(CompileError) as caught:
        compile_export(workflow)
    return caught.value.message


def test_chain_with_model_compiles_with_sub_nodes_and_route() -> None:
    plan = compile_export(_chain(MODEL))[0]
    assert plan.nodes["Chain"].sub_nodes == {"ai_languageModel": ["Model"]}
    assert plan.nodes["Model"].route == RoutePin(agent="acacia")
    assert plan.nodes["Chain"].route is None


def test_capability_pin_and_bad_pins() -> None:
    model = lc("Model", "lmChatOllama", 1, notes="hive: capability=code_generation")
    assert compile_export(_chain((model, "ai_languageModel", "Chain")))[0].nodes["Model"].route == RoutePin(
        capability="code_generation"
    )
    bad = lc("Model", "lmChatOllama", 1, notes="hive: gpu=big")
    assert 'node "Model"' in _errors(_chain((bad, "ai_languageModel", "Chain")))
    both = lc("Model", "lmChatOllama", 1, notes="hive: agent=a\nhive: capability=b")
    assert "pin one of them" in _errors(_chain((both, "ai_languageModel", "Chain")))


def test_unsupported_langchain_node_is_named() -> None:
    vector = lc("Store", "vectorStoreMilvus", 1.1)
    message = _errors(_chain(MODEL, (vector, "ai_tool", "Chain")))
    assert (
        'node "Store" (@n8n/n8n-nodes-langchain.vectorStoreMilvus@1.1) type: unsupported node type' in message
    )


def test_root_without_model() -> None:
    message = _errors(_chain())
    assert 'node "Chain" (@n8n/n8n-nodes-langchain.chainLlm@1.7): needs a language model' in message


def test_sub_node_attached_to_nothing_is_a_warning() -> None:
    """n8n never runs a sub-node no root asks for; the rest of the workflow runs."""
    workflow = _chain(MODEL)
    workflow["nodes"].append(lc("Loose", "toolCode", 1.3, jsCode="return 'x'"))
    plan = compile_export(workflow)[0]
    notes = [d for d in plan.diagnostics if d.node == "Loose"]
    assert all(d.severity.value == "warning" for d in notes)
    assert any("attached to nothing, so it never runs" in d.message for d in notes), notes
    assert "Loose" not in plan.start_nodes
    assert all("Loose" not in names for node in plan.nodes.values() for names in node.sub_nodes.values())


def test_wrong_connection_and_unsupported_tool_shapes() -> None:
    tool = lc("Tool", "toolCode", 1.3, jsCode="return 'x'")
    assert "takes no AI sub-nodes" not in _errors(_chain(MODEL, (tool, "ai_tool", "Chain")))
    assert "does not take ai_tool inputs" in _errors(_chain(MODEL, (tool, "ai_tool", "Chain")))
    agent = lc("Chain", "agent", 2.2)
    # Python runs (tests/ai/test_python_code_tool.py); a language n8n does not offer does not.
    python = lc("Py", "toolCode", 1.3, language="python", pythonCode="return 'x'")
    assert compile_export(_chain(MODEL, (python, "ai_tool", "Chain"), root=agent))
    ruby = lc("Rb", "toolCode", 1.3, language="ruby", pythonCode="return 'x'")
    assert 'language "ruby" is not supported' in _errors(
        _chain(MODEL, (ruby, "ai_tool", "Chain"), root=agent)
    )
    misplaced = lc("Memory", "memoryBufferWindow", 1.3)
    assert "it belongs on ai_memory" in _errors(_chain(MODEL, (misplaced, "ai_tool", "Chain"), root=agent))
    set_node = base("Set", "set", 3.4)
    workflow = ai_workflow("w", [base("Start", "manualTrigger", 1), set_node], [(tool, "ai_tool", "Set")])
    assert 'node "Set"' in _errors(workflow) and "takes no AI sub-nodes" in _errors(workflow)


def test_agent_needs_a_chat_model_and_tools_agent() -> None:
    text_model = (lc("Model", "lmOllama", 1), "ai_languageModel", "Chain")
    assert "needs a chat model" in _errors(_chain(text_model, root=lc("Chain", "agent", 2.2)))
    # ReAct runs as a tool-calling agent now (tests/ai/test_agent_versions.py); plan-and-execute cannot.
    plan_execute = lc("Chain", "agent", 1.7, agent="planAndExecuteAgent")
    assert 'agent type "planAndExecuteAgent" is not supported' in _errors(_chain(MODEL, root=plan_execute))


def test_embeddings_need_a_vector_store() -> None:
    embeddings = lc("Embed", "embeddingsOllama", 1)
    workflow = _chain(MODEL)
    workflow["nodes"].append(embeddings)
    # Attached to nothing it never runs (as in n8n): a warning that names what it should feed.
    notes = [d.message for d in compile_export(workflow)[0].diagnostics if d.node == "Embed"]
    assert any("attached to nothing" in n and "vector store" in n for n in notes), notes


def test_ollama_node_operations() -> None:
    image = lc("Chain", "ollama", 1, resource="image", operation="analyze")
    assert "image/analyze is not supported" in _errors(_chain(root=image))
    assert compile_export(_chain(root=lc("Chain", "ollama", 1)))[0].nodes["Chain"].type.endswith("ollama")


def test_langchain_http_tool_shapes() -> None:
    agent = lc("Chain", "agent", 2.2)
    keypair = lc("Http", "toolHttpRequest", 1.1, url="https://x/{id}", sendQuery=True)
    compile_export(_chain(MODEL, (keypair, "ai_tool", "Chain"), root=agent))
    as_json = lc("Http", "toolHttpRequest", 1.1, url="https://x", sendBody=True, specifyBody="json")
    compile_export(
        _chain(MODEL, (as_json, "ai_tool", "Chain"), root=agent)
    )  # tests/ai/test_http_tool_json.py
    by_model = lc("Http", "toolHttpRequest", 1.1, url="https://x", sendBody=True, specifyBody="model")
    assert '"model" is not supported here' in _errors(
        _chain(MODEL, (by_model, "ai_tool", "Chain"), root=agent)
    )
