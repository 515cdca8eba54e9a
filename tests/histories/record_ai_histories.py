"""Record the AI-call histories the replay test checks: `python -m tests.histories.record_ai_histories`.

A Basic LLM Chain on a fake Ollama: `ai_chain_queue` (recorded before local dispatch: a routing
local activity, then an activity on the agent's queue), `ai_chain_queue_routed` (routing in the
local activity that may make the call; none is local, so the agent's queue) and `ai_chain_local`
(the call a local activity of the central worker). Re-record only for a change meant to be
incompatible (guarded with `workflow.patched`); `ai_chain_queue` never (older code recorded it).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import sys
from pathlib import Path

import httpx
from temporalio.client import Client

from hive_core.config import AgentConfig, ClusterConfig
from hive_core.settings import HiveSettings, TemporalSettings, WorkerSettings
from hive_core.stack.dev_server import start_ephemeral_server
from n8n_import import compile_export
from stand_ins.ollama.server import FakeOllama, FakeOllamaConfig
from tests.ai.builders import ai_workflow, lc
from tests.builders import node
from workers.factory import build_agent_workers, build_central_worker
from workflows.n8n_models import RunN8nInput
from workflows.n8n_run import N8nWorkflow

HERE = Path(__file__).parent
MODEL = "llama3.2:latest"


def _chain() -> dict[str, object]:
    return ai_workflow(
        "recorded ai chain",
        [
            node("Start", "manualTrigger", 1),
            lc("Chain", "chainLlm", 1.7, 100, promptType="define", text="hi"),
        ],
        [(lc("Model", "lmChatOllama", 1, 200, model=MODEL), "ai_languageModel", "Chain")],
    )


async def _record(client: Client, name: str, agent: AgentConfig, http: httpx.AsyncClient) -> None:
    queue = f"record-{name}"
    settings = HiveSettings(
        temporal=TemporalSettings(task_queue=queue), worker=WorkerSettings(metrics_port=0)
    )
    agent_client = await Client.connect(
        client.service_client.config.target_host, data_converter=client.data_converter
    )
    cluster = ClusterConfig(agents={agent.id: agent})
    async with contextlib.AsyncExitStack() as stack:
        for worker in [build_central_worker(client, settings, cluster, http)] + build_agent_workers(
            agent_client, agent, settings, http
        ):
            await stack.enter_async_context(worker)
        handle = await client.start_workflow(
            N8nWorkflow.run,
            RunN8nInput(plan=compile_export(_chain())[0]),
            id=f"history-{name}",
            task_queue=queue,
        )
        await handle.result()
        history = await handle.fetch_history()
    (HERE / f"{name}.json").write_text(json.dumps(json.loads(history.to_json()), indent=1))


async def main(names: list[str]) -> None:
    env = await start_ephemeral_server()
    try:
        async with (
            FakeOllama(FakeOllamaConfig(models=[MODEL], reply="recorded")) as fake,
            httpx.AsyncClient() as http,
        ):
            agent = AgentConfig(id="gpu1", name="gpu1", endpoint=fake.url, models=[MODEL])
            for name in ("ai_chain_queue", "ai_chain_queue_routed"):
                if name in names:
                    await _record(env.client, name, agent, http)
            if "ai_chain_local" in names:
                local = agent.model_copy(update={"dispatch": "local"})
                await _record(env.client, "ai_chain_local", local, http)
    finally:
        await env.shutdown()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1:] or ["ai_chain_queue_routed", "ai_chain_local"]))
