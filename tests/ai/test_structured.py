"""Basic LLM Chain with a Structured Output Parser: schema to Ollama, validation, fix retries."""

from __future__ import annotations

import json

from tests.ai.builders import ai_workflow, base, code, lc, output
from tests.ai.conftest import AiCluster
from workflows.n8n_models import ExecutionStatus

EXAMPLE = '{"state": "California", "cities": ["Los Angeles", "San Diego"]}'


def _workflow(model: str) -> dict:
    return ai_workflow(
        "structured",
        [
            base("Start", "manualTrigger", 1),
            code("Data", "return [{json: {chatInput: 'Name a state and two cities'}}];"),
            lc("Chain", "chainLlm", 1.7, 200, hasOutputParser=True),
        ],
        [
            (lc("Model", "lmChatOllama", 1, 200, model=model), "ai_languageModel", "Chain"),
            (
                lc("Parser", "outputParserStructured", 1.3, 300, jsonSchemaExample=EXAMPLE),
                "ai_outputParser",
                "Chain",
            ),
        ],
    )


async def test_valid_json_becomes_output_object(ai_cluster: AiCluster) -> None:
    ai_cluster.configure()  # the fake answers with JSON that fits the requested `format`
    snapshot = await ai_cluster.run(_workflow(ai_cluster.model))
    assert snapshot.status is ExecutionStatus.SUCCESS, snapshot.error
    (item,) = output(snapshot, "Chain")
    assert set(item) == {"output"}
    assert isinstance(item["output"]["state"], str)
    assert all(isinstance(city, str) for city in item["output"]["cities"])
    body = ai_cluster.fake.stats.bodies[-1]
    assert body["format"]["properties"]["output"]["required"] == ["state", "cities"]
    assert "JSON Schema" in body["messages"][-1]["content"]


async def test_invalid_reply_is_fixed_by_a_retry(ai_cluster: AiCluster) -> None:
    good = json.dumps({"output": {"state": "Oregon", "cities": ["Portland", "Salem"]}})

    def reply(prompt: str) -> str:
        return good if "did not satisfy the constraints" in prompt else "Sure! Oregon, with Portland."

    ai_cluster.configure(reply=reply, follow_format=False)
    snapshot = await ai_cluster.run(_workflow(ai_cluster.model))
    assert snapshot.status is ExecutionStatus.SUCCESS, snapshot.error
    assert output(snapshot, "Chain") == [{"output": {"state": "Oregon", "cities": ["Portland", "Salem"]}}]
    assert ai_cluster.fake.stats.requests["/api/chat"] == 2


async def test_always_invalid_reply_fails_the_node(ai_cluster: AiCluster) -> None:
    ai_cluster.configure(reply='{"output": {"state": 5}}', follow_format=False)
    snapshot = await ai_cluster.run(_workflow(ai_cluster.model))
    assert snapshot.status is ExecutionStatus.ERROR
    message = snapshot.error["message"]
    assert "output parser 'Parser'" in message
    assert "output.state: expected string, got number" in message
    assert "missing required field 'cities'" in message
    assert ai_cluster.fake.stats.requests["/api/chat"] == 3


async def test_agent_with_output_parser(ai_cluster: AiCluster) -> None:
    ai_cluster.configure()
    workflow = _workflow(ai_cluster.model)
    agent = next(n for n in workflow["nodes"] if n["name"] == "Chain")
    agent["type"], agent["typeVersion"] = "@n8n/n8n-nodes-langchain.agent", 2.2
    snapshot = await ai_cluster.run(workflow)
    assert snapshot.status is ExecutionStatus.SUCCESS, snapshot.error
    (item,) = output(snapshot, "Chain")
    assert isinstance(item["output"]["state"], str)
    assert "JSON Schema" in ai_cluster.fake.stats.bodies[-1]["messages"][0]["content"]
