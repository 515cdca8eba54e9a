"""n8n's two OpenAI nodes on the cluster model their model maps to, end to end through a real
dev server on the fake Ollama: OpenAI's response shapes, JSON output, tools looped while the
model calls them, and the operations without an Ollama equivalent as compile errors (assistants:
test_openai_assistants.py)."""

from __future__ import annotations

from typing import Any

import pytest

from hive_core.errors import CompileError
from n8n_import import compile_export
from n8n_runtime.ai.openai_node import JSON_SYSTEM_MESSAGE
from tests.ai.builders import ai_workflow, base, code, lc, output
from tests.ai.conftest import AiCluster
from workflows.n8n_models import ExecutionStatus

RL = {"__rl": True, "value": "gpt-4o-mini", "mode": "list", "cachedResultName": "GPT-4O-MINI"}


def _flow(node: dict[str, Any], subs: list[Any] | None = None) -> dict[str, Any]:
    return ai_workflow(
        "openai",
        [base("Start", "manualTrigger", 1), code("Data", "return [{json: {q: 'bees?'}}];"), node],
        subs or [],
    )


def _message_node(**parameters: Any) -> dict[str, Any]:
    values = [{"content": "You are terse.", "role": "system"}, {"content": "={{ $json.q }}"}]
    return lc("OpenAI", "openAi", 1.8, 200, modelId=RL, messages={"values": values}, **parameters)


async def test_message_a_model_simplified(ai_cluster: AiCluster) -> None:
    ai_cluster.configure(reply="Bees buzz.")
    node = _message_node(options={"temperature": 0.2, "maxTokens": 40, "n": 1})
    plan = compile_export(_flow(node), aliases=ai_cluster.aliases())[0]
    assert plan.nodes["OpenAI"].cluster_model == ai_cluster.model
    snapshot = await ai_cluster.run(_flow(node), ai_cluster.aliases())
    assert snapshot.status is ExecutionStatus.SUCCESS, snapshot.error
    assert output(snapshot, "OpenAI") == [
        {
            "index": 0,
            "message": {"role": "assistant", "content": "Bees buzz.", "refusal": None, "annotations": []},
            "logprobs": None,
            "finish_reason": "stop",
        }
    ]
    (body,) = [b for b in ai_cluster.fake.stats.bodies if "messages" in b]
    assert body["model"] == ai_cluster.model
    assert body["options"] == {"temperature": 0.2, "num_predict": 40}
    assert body["messages"] == [
        {"role": "system", "content": "You are terse."},
        {"role": "user", "content": "bees?"},
    ]


async def test_json_output_and_the_full_response(ai_cluster: AiCluster) -> None:
    ai_cluster.configure(reply='{"answer": "buzz"}', follow_format=False)
    snapshot = await ai_cluster.run(
        _flow(_message_node(jsonOutput=True, simplify=False)), ai_cluster.aliases()
    )
    assert snapshot.status is ExecutionStatus.SUCCESS, snapshot.error
    (response,) = output(snapshot, "OpenAI")
    assert response["object"] == "chat.completion" and response["id"].startswith("chatcmpl-")
    assert response["choices"][0]["message"]["content"] == {"answer": "buzz"}
    assert (
        response["usage"]["total_tokens"]
        == response["usage"]["prompt_tokens"] + response["usage"]["completion_tokens"]
    )
    (body,) = [b for b in ai_cluster.fake.stats.bodies if "messages" in b]
    assert body["format"] == "json"
    assert body["messages"][0] == {"role": "system", "content": JSON_SYSTEM_MESSAGE}


async def test_connected_tools_run_while_the_model_calls_them(ai_cluster: AiCluster) -> None:
    ai_cluster.configure(
        tool_calls=[{"function": {"name": "calculator", "arguments": {"input": "3*3"}}}],
        tool_calls_once=True,
        reply="Nine.",
    )
    tool = (lc("Calc", "toolCalculator", 1, 300), "ai_tool", "OpenAI")
    snapshot = await ai_cluster.run(_flow(_message_node(), [tool]), ai_cluster.aliases())
    assert snapshot.status is ExecutionStatus.SUCCESS, snapshot.error
    assert output(snapshot, "OpenAI")[0]["message"]["content"] == "Nine."
    last = ai_cluster.fake.stats.bodies[-1]["messages"]
    assert last[-1]["role"] == "tool" and last[-1]["content"] == "9"


async def test_base_openai_chat_and_text_completion(ai_cluster: AiCluster) -> None:
    ai_cluster.configure(reply="Hello!")
    chat = base(
        "OpenAI", "openAi", 1.1, 200, resource="chat", model="gpt-4o-mini",
        prompt={"messages": [{"role": "user", "content": "={{ $json.q }}"}]}, options={},
    )  # fmt: skip
    snapshot = await ai_cluster.run(_flow(chat), ai_cluster.aliases())
    assert snapshot.status is ExecutionStatus.SUCCESS, snapshot.error
    assert output(snapshot, "OpenAI")[0]["message"]["content"] == "Hello!"
    text = base("OpenAI", "openAi", 1, 200, prompt="=Say hi about {{ $json.q }}", options={"maxTokens": 5})
    snapshot = await ai_cluster.run(_flow(text), ai_cluster.aliases())
    assert snapshot.status is ExecutionStatus.SUCCESS, snapshot.error
    assert output(snapshot, "OpenAI") == [
        {"text": "Hello!", "index": 0, "logprobs": None, "finish_reason": "stop"}
    ]
    assert ai_cluster.fake.stats.bodies[-1]["messages"] == [{"role": "user", "content": "Say hi about bees?"}]


async def test_base_openai_text_edit_is_approximated_on_the_chat_model(ai_cluster: AiCluster) -> None:
    """/v1/edits (gone from OpenAI): instruction + input to the mapped chat model, n8n's shapes."""
    ai_cluster.configure(reply="  Bees buzz loudly.")
    edit = base(
        "OpenAI", "openAi", 1, 200, operation="edit", input="={{ $json.q }}",
        instruction="Fix the spelling", options={"temperature": 0.3},
    )  # fmt: skip
    [plan] = compile_export(_flow(edit), aliases=ai_cluster.aliases())
    notes = [d.message for d in plan.diagnostics if d.node == "OpenAI" and d.severity.value == "warning"]
    assert any(n.startswith("text/edit is approximated") for n in notes), notes
    snapshot = await ai_cluster.run(_flow(edit), ai_cluster.aliases())
    assert snapshot.status is ExecutionStatus.SUCCESS, snapshot.error
    assert output(snapshot, "OpenAI") == [{"text": "Bees buzz loudly.", "index": 0}]
    body = ai_cluster.fake.stats.bodies[-1]
    assert body["model"] == ai_cluster.model and body["options"] == {"temperature": 0.3}
    assert body["messages"][0]["role"] == "system"
    assert body["messages"][1] == {"role": "user", "content": "Instruction: Fix the spelling\n\nText:\nbees?"}
    unsimplified = {**edit, "parameters": {**edit["parameters"], "simplifyOutput": False}}
    full = await ai_cluster.run(_flow(unsimplified), ai_cluster.aliases())
    (response,) = output(full, "OpenAI")
    assert response["object"] == "edit" and response["choices"] == [
        {"text": "  Bees buzz loudly.", "index": 0}
    ]
    assert set(response["usage"]) == {"prompt_tokens", "completion_tokens", "total_tokens"}


@pytest.mark.parametrize(
    ("node", "operation"),
    [
        (
            lc("OpenAI", "openAi", 1.8, 200, resource="image", operation="edit", modelId=RL),
            "image/edit",
        ),
        (lc("OpenAI", "openAi", 1.3, 200, resource="image"), "image/generate"),
        (lc("OpenAI", "openAi", 1.5, 200, resource="audio", operation="transcribe"), "audio/transcribe"),
        (lc("OpenAI", "openAi", 1.4, 200, resource="image", operation="variation"), "image/variation"),
        (base("OpenAI", "openAi", 1, 200, resource="image", operation="create"), "image/create"),
        (base("OpenAI", "openAi", 1, 200, operation="moderate"), "text/moderate"),
    ],
)
def test_operations_without_an_ollama_equivalent_are_compile_errors(
    node: dict[str, Any], operation: str
) -> None:
    with pytest.raises(CompileError, match=f"{operation} has no equivalent on the cluster"):
        compile_export(_flow(node))


def test_unmapped_openai_model_is_a_compile_error() -> None:
    from hive_core.config import ModelAliases

    with pytest.raises(CompileError, match='model "gpt-4o-mini" \\(openai\\) is not mapped'):
        compile_export(_flow(_message_node()), aliases=ModelAliases())


PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="


async def test_image_analyze_sends_the_images_to_the_mapped_model(ai_cluster: AiCluster) -> None:
    ai_cluster.configure(reply="A tiny image.")
    analyze = lc(
        "OpenAI", "openAi", 1.8, 200, resource="image", operation="analyze", modelId=RL,
        text="What is this?", inputType="base64", options={"maxTokens": 50},
    )  # fmt: skip
    data = code(
        "Data", f"return [{{json: {{}}, binary: {{data: {{data: '{PNG}', mimeType: 'image/png'}}}}}}];"
    )
    workflow = ai_workflow("vision", [base("Start", "manualTrigger", 1), data, analyze], [])
    plan = compile_export(workflow, aliases=ai_cluster.aliases())[0]
    assert any("a vision model" in d.message for d in plan.diagnostics if d.node == "OpenAI")
    snapshot = await ai_cluster.run(workflow, ai_cluster.aliases())
    assert snapshot.status is ExecutionStatus.SUCCESS, snapshot.error
    assert output(snapshot, "OpenAI") == [{"content": "A tiny image."}]
    (body,) = [b for b in ai_cluster.fake.stats.bodies if "messages" in b]
    assert body["messages"] == [{"role": "user", "content": "What is this?", "images": [PNG]}]
    assert body["options"] == {"num_predict": 50}


async def test_image_analyze_downloads_image_urls(ai_cluster: AiCluster) -> None:
    ai_cluster.configure(reply="seen")
    url = f"{ai_cluster.web.url}/missing.png"
    analyze = lc(
        "OpenAI", "openAi", 1.3, 200, resource="image", operation="analyze", text="Look", imageUrls=url
    )
    workflow = ai_workflow("vision", [base("Start", "manualTrigger", 1), analyze], [])
    snapshot = await ai_cluster.run(workflow, ai_cluster.aliases())
    assert snapshot.status is ExecutionStatus.ERROR
    assert "cannot download image" in str(snapshot.error) and "HTTP 404" in str(snapshot.error)
    analyze["parameters"]["imageUrls"] = f"data:image/png;base64,{PNG}"
    snapshot = await ai_cluster.run(workflow, ai_cluster.aliases())
    assert snapshot.status is ExecutionStatus.SUCCESS, snapshot.error
    assert ai_cluster.fake.stats.bodies[-1]["messages"][0]["images"] == [PNG]
