"""What an AI root node adds over the bare model call: Basic LLM Chain, Information Extractor,
Text Classifier, Summarization Chain (stuff) and the OpenAI node, each one model call, on an
instant fake Ollama host, through a real Temporal dev server (interpreter, pure step, routing,
the agent's queue, the activity, parsing).

    python bench/ai_root_bench.py --runs 10       # table: median ms per run, overhead over direct
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import uuid
from pathlib import Path
from typing import Any

# Run as a script from anywhere: the repository root must win over stale editable-install finders.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import httpx  # noqa: E402

from bench._table import add_baseline_args, report  # noqa: E402
from bench.llm_overhead_bench import _direct, _hive_workers, _run_chain, _timed_ms  # noqa: E402
from hive_core.config import ModelAliases, ProviderDefaults  # noqa: E402
from hive_core.config.models import AgentConfig  # noqa: E402
from hive_core.ollama import ChatMessage, ChatRequest  # noqa: E402
from hive_core.stack.dev_server import start_ephemeral_server  # noqa: E402
from n8n_import import compile_export  # noqa: E402
from stand_ins.ollama.server import FakeOllama, FakeOllamaConfig  # noqa: E402
from workflows.n8n_models import RunN8nInput  # noqa: E402

LC = "@n8n/n8n-nodes-langchain."
MODEL = "llama3.2"
TEXT = "Ada Lovelace wrote the first program in 1843."
ROOTS: dict[str, tuple[str, float, dict[str, Any]]] = {
    "Basic LLM Chain": ("chainLlm", 1.7, {"promptType": "define", "text": TEXT}),
    "Information Extractor": (
        "informationExtractor", 1.2,
        {"text": TEXT, "attributes": {"attributes": [{"name": "person", "type": "string"}]}},
    ),
    "Text Classifier": (
        "textClassifier", 1.1, {"inputText": TEXT, "categories": {"categories": [{"category": "history"}]}}
    ),
    "Summarization Chain (stuff)": (
        "chainSummarization", 2.1,
        {"options": {"summarizationMethodAndPrompts": {"values": {"summarizationMethod": "stuff"}}}},
    ),
}  # fmt: skip


def _export(kind: str, version: float, parameters: dict[str, Any]) -> dict[str, Any]:
    """Manual Trigger → Code (one item) → the root ← an OpenAI Chat Model mapped to MODEL."""
    node = {
        "name": "Root",
        "type": LC + kind,
        "typeVersion": version,
        "position": [0, 0],
        "parameters": parameters,
    }
    model = {
        "name": "Model", "type": LC + "lmChatOpenAi", "typeVersion": 1, "position": [0, 0],
        "parameters": {"model": "gpt-4o-mini", "options": {}},
    }  # fmt: skip
    data = {
        "name": "Data", "type": "n8n-nodes-base.code", "typeVersion": 2, "position": [0, 0],
        "parameters": {"jsCode": f"return [{{json: {{text: {json.dumps(TEXT)}}}}}];"},
    }  # fmt: skip
    start = {"name": "Start", "type": "n8n-nodes-base.manualTrigger", "typeVersion": 1, "position": [0, 0]}
    return {
        "name": f"bench {kind}",
        "nodes": [{**start, "parameters": {}}, data, node, model],
        "connections": {
            "Start": {"main": [[{"node": "Data", "type": "main", "index": 0}]]},
            "Data": {"main": [[{"node": "Root", "type": "main", "index": 0}]]},
            "Model": {"ai_languageModel": [[{"node": "Root", "type": "ai_languageModel", "index": 0}]]},
        },
        "settings": {"executionOrder": "v1"},
    }


async def _main(args: argparse.Namespace) -> dict[str, float]:
    aliases = ModelAliases(providers={"*": ProviderDefaults(chat=MODEL)})
    inputs = {
        label: RunN8nInput(plan=compile_export(_export(*spec), aliases=aliases)[0])
        for label, spec in ROOTS.items()
    }
    request = ChatRequest(model=MODEL, messages=[ChatMessage(role="user", content=TEXT)])
    figures: dict[str, float] = {}
    env = await start_ephemeral_server()
    try:
        # An instant host whose replies fit every root (the classifier's flag, the extractor's object).
        config = FakeOllamaConfig(models=[MODEL], tokens_per_second=0.0, reply_tokens=20)
        async with FakeOllama(config) as fake, httpx.AsyncClient() as http:
            agent = AgentConfig(
                id=f"bench-{uuid.uuid4().hex[:4]}", name="b", endpoint=fake.url, models=[MODEL]
            )
            async with _hive_workers(env.client, agent, http) as queue:
                paths = {"direct chat": lambda: _direct(http, fake.url, request)}
                for label, run_input in inputs.items():
                    paths[label] = lambda run_input=run_input: _run_chain(env.client, queue, run_input)
                for path in paths.values():
                    await path()  # warm up
                times: dict[str, list[float]] = {label: [] for label in paths}
                for _ in range(args.runs):
                    for label, path in paths.items():
                        times[label].append(await _timed_ms(path))
        direct = statistics.median(times["direct chat"])
        figures["direct chat ms"] = direct
        for label in inputs:
            median = statistics.median(times[label])
            figures[f"{label}: end to end ms"] = median
            figures[f"{label}: overhead over direct ms"] = median - direct
    finally:
        await env.shutdown()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=10, help="runs per path (median)")
    add_baseline_args(parser)
    args = parser.parse_args()
    report(asyncio.run(_main(args)), args, unit_width=56)


if __name__ == "__main__":
    main()
