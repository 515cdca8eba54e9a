"""Basic LLM Chain + Ollama Chat Model end to end: Temporal, agent workers, fake Ollama."""

from __future__ import annotations

from tests.ai.builders import ai_workflow, base, code, lc, output
from tests.ai.conftest import AiCluster
from workflows.n8n_models import ExecutionStatus


def _chain_workflow(model: str, chain_params: dict, model_options: dict | None = None) -> dict:
    return ai_workflow(
        "chain",
        [
            base("Start", "manualTrigger", 1),
            code(
                "Data",
                "return [{json: {chatInput: 'hello there', topic: 'bees'}}, "
                "{json: {chatInput: 'second', topic: 'ants'}}];",
            ),
            lc("Chain", "chainLlm", 1.7, 200, **chain_params),
        ],
        [
            (
                lc("Model", "lmChatOllama", 1, 200, model=model, options=model_options or {}),
                "ai_languageModel",
                "Chain",
            )
        ],
    )


async def test_prompt_from_previous_node(ai_cluster: AiCluster) -> None:
    ai_cluster.configure(reply=lambda prompt: f"  answer to {prompt}  ")
    options = {"temperature": 0.2, "topK": 7, "numCtx": 1024, "numPredict": 50, "keepAlive": "10m", "seed": 3}
    snapshot = await ai_cluster.run(_chain_workflow(ai_cluster.model, {}, options))
    assert snapshot.status is ExecutionStatus.SUCCESS, snapshot.error
    assert output(snapshot, "Chain") == [{"text": "answer to hello there"}, {"text": "answer to second"}]
    chats = [body for body in ai_cluster.fake.stats.bodies if "messages" in body]
    assert len(chats) == 2
    assert chats[0]["options"] == {
        "temperature": 0.2,
        "top_k": 7,
        "num_ctx": 1024,
        "num_predict": 50,
        "seed": 3,
    }
    assert chats[0]["keep_alive"] == "10m"
    assert chats[0]["messages"] == [{"role": "user", "content": "hello there"}]


async def test_define_prompt_with_expressions_and_messages(ai_cluster: AiCluster) -> None:
    ai_cluster.configure(reply="ok")
    params = {
        "promptType": "define",
        "text": "=Tell me about {{ $json.topic }}",
        "messages": {"messageValues": [{"message": "=You know {{ $json.topic.toUpperCase() }}"}]},
    }
    snapshot = await ai_cluster.run(_chain_workflow(ai_cluster.model, params))
    assert snapshot.status is ExecutionStatus.SUCCESS, snapshot.error
    assert output(snapshot, "Chain") == [{"text": "ok"}, {"text": "ok"}]
    first = next(body for body in ai_cluster.fake.stats.bodies if "messages" in body)
    assert first["messages"] == [
        {"role": "system", "content": "You know BEES"},
        {"role": "user", "content": "Tell me about bees"},
    ]


async def test_text_model_uses_generate(ai_cluster: AiCluster) -> None:
    ai_cluster.configure(reply="generated")
    workflow = _chain_workflow(ai_cluster.model, {})
    workflow["nodes"][-1]["type"] = "@n8n/n8n-nodes-langchain.lmOllama"
    snapshot = await ai_cluster.run(workflow)
    assert snapshot.status is ExecutionStatus.SUCCESS, snapshot.error
    assert output(snapshot, "Chain")[0] == {"text": "generated"}
    assert ai_cluster.fake.stats.requests["/api/generate"] == 2


async def test_sub_node_expressions_read_other_nodes(ai_cluster: AiCluster) -> None:
    ai_cluster.configure(reply="named")
    workflow = _chain_workflow(ai_cluster.model, {})
    workflow["nodes"][1]["parameters"]["jsCode"] = (
        f"return [{{json: {{chatInput: 'hi', m: '{ai_cluster.model}'}}}}];"
    )
    workflow["nodes"][-1]["parameters"]["model"] = "={{ $('Data').item.json.m }}"
    snapshot = await ai_cluster.run(workflow)
    assert snapshot.status is ExecutionStatus.SUCCESS, snapshot.error
    assert output(snapshot, "Chain") == [{"text": "named"}]
    assert ai_cluster.fake.stats.bodies[-1]["model"] == ai_cluster.model


async def test_execution_time_includes_the_llm_call(ai_cluster: AiCluster) -> None:
    # The fake's first token comes after 0.3 s: the node's executionTime must cover it, as in n8n.
    ai_cluster.configure(reply="slow", first_token_latency=0.3)
    snapshot = await ai_cluster.run(_chain_workflow(ai_cluster.model, {}))
    assert snapshot.status is ExecutionStatus.SUCCESS, snapshot.error
    (task,) = snapshot.run_data["Chain"]
    assert task["executionTime"] >= 600  # two items, one call each
