"""End to end with a real model: an n8n Basic LLM Chain with an Ollama Chat Model and a Structured
Output Parser, run by Temporal (real dev server), the central worker, and the agent worker of
agent ``local`` whose Ollama is the local model server (SmolLM2-135M on llama.cpp).

Nothing is faked: the chain's prompt and format instructions go through the interpreter, the
agent's task queue and Hive's Ollama activity to llama.cpp, and the JSON the model writes
(constrained by the parser's schema) is parsed and validated by the chain.
"""

from __future__ import annotations

import contextlib
import json
import uuid

import httpx
import pytest

pytest.importorskip(
    "xllamacpp", reason="xllamacpp (llama.cpp binding) is not installed: pip install -e '.[local-model]'"
)

from temporalio.client import Client  # noqa: E402

from hive_core.config.models import AgentConfig, ClusterConfig  # noqa: E402
from n8n_import import compile_export  # noqa: E402
from tests.builders import worker_settings  # noqa: E402
from tests.local_model.conftest import MODEL, LocalModelProcess  # noqa: E402
from workers.factory import build_agent_workers, build_central_worker  # noqa: E402
from workflows.n8n_models import ExecutionStatus, RunN8nInput  # noqa: E402
from workflows.n8n_run import N8nWorkflow  # noqa: E402

pytestmark = [pytest.mark.temporal, pytest.mark.timeout(120)]

SCHEMA = {
    "type": "object",
    "properties": {"city": {"type": "string"}, "country": {"type": "string"}},
    "required": ["city", "country"],
}

# As the n8n editor exports it (Download), trimmed of ids and pin data.
EXPORT = {
    "name": "Capital city (local model)",
    "nodes": [
        {
            "parameters": {},
            "name": "When clicking 'Test workflow'",
            "type": "n8n-nodes-base.manualTrigger",
            "typeVersion": 1,
            "position": [0, 0],
        },
        {
            "parameters": {
                "promptType": "define",
                "text": "What is the capital city of France? Answer with the city and the country.",
                "hasOutputParser": True,
            },
            "name": "Basic LLM Chain",
            "type": "@n8n/n8n-nodes-langchain.chainLlm",
            "typeVersion": 1.5,
            "position": [220, 0],
        },
        {
            "parameters": {"model": MODEL, "options": {"temperature": 0, "numPredict": 128}},
            "name": "Ollama Chat Model",
            "type": "@n8n/n8n-nodes-langchain.lmChatOllama",
            "typeVersion": 1,
            "position": [200, 220],
            "credentials": {"ollamaApi": {"id": "local1", "name": "Ollama account"}},
        },
        {
            "parameters": {"schemaType": "manual", "inputSchema": json.dumps(SCHEMA, indent=2)},
            "name": "Structured Output Parser",
            "type": "@n8n/n8n-nodes-langchain.outputParserStructured",
            "typeVersion": 1.2,
            "position": [380, 220],
        },
    ],
    "connections": {
        "When clicking 'Test workflow'": {
            "main": [[{"node": "Basic LLM Chain", "type": "main", "index": 0}]]
        },
        "Ollama Chat Model": {
            "ai_languageModel": [[{"node": "Basic LLM Chain", "type": "ai_languageModel", "index": 0}]]
        },
        "Structured Output Parser": {
            "ai_outputParser": [[{"node": "Basic LLM Chain", "type": "ai_outputParser", "index": 0}]]
        },
    },
    "settings": {"executionOrder": "v1"},
}


async def test_llm_chain_with_structured_output_on_the_local_model(
    client: Client, task_queue: str, local_model: LocalModelProcess
) -> None:
    agent = AgentConfig(id="local", name="local", endpoint=local_model.url, models=[MODEL])
    settings = worker_settings(task_queue)
    plan = compile_export(EXPORT)[0]
    async with httpx.AsyncClient() as http, contextlib.AsyncExitStack() as stack:
        for worker in build_agent_workers(client, agent, settings, http):
            await stack.enter_async_context(worker)
        cluster = ClusterConfig(agents={agent.id: agent})
        await stack.enter_async_context(build_central_worker(client, settings, cluster=cluster, http=http))
        snapshot = await client.execute_workflow(
            N8nWorkflow.run,
            RunN8nInput(plan=plan),
            id=f"local-model-{uuid.uuid4().hex[:10]}",
            task_queue=task_queue,
        )
    assert snapshot.status is ExecutionStatus.SUCCESS, snapshot.error
    ((item,),) = [[i["json"] for i in run["data"]["main"][0]] for run in snapshot.run_data["Basic LLM Chain"]]
    answer = item["output"]
    assert set(answer) == {"city", "country"}
    assert isinstance(answer["city"], str) and answer["city"]
    assert isinstance(answer["country"], str) and answer["country"]
