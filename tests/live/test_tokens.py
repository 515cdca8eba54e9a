"""Tokens of an AI node, live: a Basic LLM Chain on an agent worker against the fake Ollama.

The agent's heartbeats reach the server at most every 0.8 × the call's 5 s heartbeat timeout
(the Temporal SDK throttles them), so the reply lasts ~5 s to show two heartbeats.
"""

from __future__ import annotations

import uuid
from typing import Any

from n8n_import import compile_export
from stand_ins.ollama.server import FakeOllamaConfig
from tests.ai.builders import ai_workflow, base, lc
from tests.ai.conftest import AiCluster
from tests.live.clients import sse_events, ws_events
from tests.live.conftest import LiveApi
from workflows.n8n_models import RunN8nInput
from workflows.n8n_run import N8nWorkflow


def _chain(model: str) -> dict[str, Any]:
    question = {"name": "chatInput", "value": "tell me about bees", "type": "string"}
    return ai_workflow(
        "live chain",
        [
            base("Start", "manualTrigger", 1),
            base("Ask", "set", 3.4, 100, assignments={"assignments": [question]}),
            lc("Chain", "chainLlm", 1.7, 200),
        ],
        [(lc("Model", "lmChatOllama", 1, 200, model=model), "ai_languageModel", "Chain")],
    )


async def test_ai_node_streams_tokens(live_api: LiveApi, ai_cluster: AiCluster) -> None:
    ai_cluster.fake.reset(FakeOllamaConfig(models=[ai_cluster.model], tokens_per_second=25, reply_tokens=125))
    handle = await ai_cluster.client.start_workflow(
        N8nWorkflow.run,
        RunN8nInput(plan=compile_export(_chain(ai_cluster.model))[0]),
        id=f"live-ai-{uuid.uuid4().hex[:8]}",
        task_queue=ai_cluster.task_queue,
    )
    result = await ws_events(live_api, handle.id)
    assert result.close_code == 1000
    types = [(e["type"], e.get("node")) for e in result.events]
    tokens = [e for e in result.events if e["type"] == "tokens"]
    assert len(tokens) >= 2, types
    assert all(e["node"] == "Chain" for e in tokens)
    counts = [e["tokens"] for e in tokens]
    assert counts == sorted(counts) and counts[0] < counts[-1] <= 125
    # Tokens come between the node's start and its end.
    positions = [i for i, t in enumerate(types) if t == ("tokens", "Chain")]
    assert types.index(("node_started", "Chain")) < positions[0]
    assert positions[-1] < types.index(("node_finished", "Chain"))
    # The deltas add up to the start of the reply the node returned.
    streamed = "".join(e["delta"] for e in tokens)
    answer = (await handle.result()).run_data["Chain"][0]["data"]["main"][0][0]["json"]["text"]
    assert streamed and not any(e["gap"] for e in tokens)
    assert answer.startswith(streamed.strip())
    # Tokens are live-only: a client arriving after the end gets the node events, no tokens.
    replay = await sse_events(live_api, handle.id)
    assert [e["type"] for e in replay.events].count("tokens") == 0
    assert [(e["type"], e.get("node")) for e in replay.events] == [t for t in types if t[0] != "tokens"]
