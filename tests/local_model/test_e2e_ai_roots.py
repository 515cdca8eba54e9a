"""The AI roots of issue 12 on a real model: Information Extractor, Text Classifier, Summarization
Chain and AI Agent (1.7, with the Calculator tool), each drawn with an OpenAI Chat Model that
hive.yaml's model_aliases maps to the local model server (SmolLM2-135M on llama.cpp).

Nothing is faked: prompts, schemas (Ollama's `format`), routing and parsing all run for real. A
135M model's answers are not checked for sense, only for n8n's output shapes.
"""

from __future__ import annotations

import contextlib
import uuid
from typing import Any

import httpx
import pytest

pytest.importorskip(
    "xllamacpp", reason="xllamacpp (llama.cpp binding) is not installed: pip install -e '.[local-model]'"
)

from temporalio.client import Client  # noqa: E402

from hive_core.config import ModelAliases, ProviderDefaults  # noqa: E402
from hive_core.config.models import AgentConfig, ClusterConfig  # noqa: E402
from n8n_import import compile_export  # noqa: E402
from tests.builders import worker_settings  # noqa: E402
from tests.local_model.conftest import MODEL, LocalModelProcess  # noqa: E402
from workers.factory import build_agent_workers, build_central_worker  # noqa: E402
from workflows.n8n_models import ExecutionStatus, RunN8nInput  # noqa: E402
from workflows.n8n_run import N8nWorkflow  # noqa: E402

pytestmark = [pytest.mark.temporal, pytest.mark.timeout(240)]
LC = "@n8n/n8n-nodes-langchain."
TEXT = "Ada Lovelace wrote the first computer program in 1843 for Babbage's Analytical Engine."


def _node(name: str, kind: str, version: float, **parameters: Any) -> dict[str, Any]:
    return {
        "name": name,
        "type": LC + kind,
        "typeVersion": version,
        "position": [0, 0],
        "parameters": parameters,
    }


def _export() -> dict[str, Any]:
    roots = [
        _node(
            "Extract", "informationExtractor", 1.2, text="={{ $json.text }}",
            attributes={"attributes": [{"name": "person", "type": "string", "description": "Who"}]},
        ),
        _node(
            "Classify", "textClassifier", 1.1, inputText="={{ $json.text }}",
            categories={"categories": [{"category": "history"}, {"category": "cooking"}]},
            options={"fallback": "other", "enableAutoFixing": True},
        ),
        _node("Summarize", "chainSummarization", 2.1, options={}),
        _node(
            "Agent", "agent", 1.7, promptType="define", text="What is 6 times 7?",
            options={"maxIterations": 3},
        ),
    ]  # fmt: skip
    nodes: list[dict[str, Any]] = [
        {
            "name": "Start", "type": "n8n-nodes-base.manualTrigger", "typeVersion": 1, "position": [0, 0],
            "parameters": {},
        },
        {
            "name": "Data", "type": "n8n-nodes-base.code", "typeVersion": 2, "position": [0, 0],
            "parameters": {"jsCode": f"return [{{json: {{text: {TEXT!r}}}}}];"},
        },
        *roots,
        _node("Calculator", "toolCalculator", 1),
    ]  # fmt: skip
    connections: dict[str, Any] = {
        "Start": {"main": [[{"node": "Data", "type": "main", "index": 0}]]},
        "Data": {"main": [[{"node": r["name"], "type": "main", "index": 0} for r in roots]]},
        "Calculator": {"ai_tool": [[{"node": "Agent", "type": "ai_tool", "index": 0}]]},
    }
    for root in roots:
        model = _node(
            f"Model {root['name']}", "lmChatOpenAi", 1, model="gpt-4o-mini", options={"temperature": 0}
        )
        nodes.append(model)
        connections[model["name"]] = {
            "ai_languageModel": [[{"node": root["name"], "type": "ai_languageModel", "index": 0}]]
        }
    return {
        "name": "AI roots (local model)",
        "nodes": nodes,
        "connections": connections,
        "settings": {"executionOrder": "v1"},
    }


def _items(snapshot: Any, node: str, output: int = 0) -> list[dict[str, Any]]:
    return [i["json"] for i in snapshot.run_data[node][-1]["data"]["main"][output] or []]


async def test_ai_roots_on_the_local_model(
    client: Client, task_queue: str, local_model: LocalModelProcess
) -> None:
    agent = AgentConfig(id="local", name="local", endpoint=local_model.url, models=[MODEL])
    aliases = ModelAliases(providers={"openai": ProviderDefaults(chat=MODEL)})
    plan = compile_export(_export(), aliases=aliases)[0]
    assert {
        plan.nodes[f"Model {r}"].cluster_model for r in ("Extract", "Classify", "Summarize", "Agent")
    } == {MODEL}
    settings = worker_settings(task_queue)
    async with httpx.AsyncClient() as http, contextlib.AsyncExitStack() as stack:
        for worker in build_agent_workers(client, agent, settings, http):
            await stack.enter_async_context(worker)
        cluster = ClusterConfig(agents={agent.id: agent}, model_aliases=aliases)
        await stack.enter_async_context(build_central_worker(client, settings, cluster=cluster, http=http))
        snapshot = await client.execute_workflow(
            N8nWorkflow.run,
            RunN8nInput(plan=plan),
            id=f"local-roots-{uuid.uuid4().hex[:10]}",
            task_queue=task_queue,
        )
    assert snapshot.status is ExecutionStatus.SUCCESS, snapshot.error
    ((extracted,),) = [_items(snapshot, "Extract")]
    assert isinstance(extracted["output"]["person"], str)
    routed = [_items(snapshot, "Classify", index) for index in range(3)]
    assert all(item == {"text": TEXT} for items in routed for item in items)
    ((summary,),) = [_items(snapshot, "Summarize")]
    assert isinstance(summary["response"]["output_text"], str) and summary["response"]["output_text"]
    ((answer,),) = [_items(snapshot, "Agent")]
    assert isinstance(answer["output"], str)
