"""What Hive adds to an LLM call: a chat straight to Ollama vs. through `OllamaActivities.chat`.

Both paths stream the same reply from the fake Ollama (same first-token latency and decode
speed); the direct path is a bare httpx NDJSON read, the activity path runs in Temporal's
ActivityEnvironment (validation, model check, assembly, heartbeats). No Temporal server: the
task-queue round trip is measured by workflow_bench.py.

    python bench/llm_overhead_bench.py                       # table: median ms per call
    python bench/llm_overhead_bench.py --save base.json      # keep the figures
    python bench/llm_overhead_bench.py --baseline base.json  # add a comparison column
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

# Run as a script from anywhere: the repository root must win over stale editable-install finders.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import httpx  # noqa: E402
from temporalio.testing import ActivityEnvironment  # noqa: E402

from activities.ollama import OllamaActivities  # noqa: E402
from bench._table import add_baseline_args, report  # noqa: E402
from hive_core.config.models import AgentConfig  # noqa: E402
from hive_core.ollama import ChatMessage, ChatRequest  # noqa: E402
from hive_core.ollama.fake_server import FakeOllama, FakeOllamaConfig  # noqa: E402

# (label, tokens/s, first-token latency s): an instant host shows the pure overhead,
# a realistic one shows it against a real call's duration.
SCENARIOS = [("instant host", 0.0, 0.0), ("200 tok/s, 50 ms first token", 200.0, 0.05)]


async def _direct(http: httpx.AsyncClient, url: str, request: ChatRequest) -> None:
    text = []
    async with http.stream("POST", url + "/api/chat", json=request.to_wire()) as response:
        async for line in response.aiter_lines():
            chunk = json.loads(line)
            text.append(chunk["message"]["content"])
    assert text


async def _timed_ms(call: Callable[[], Awaitable[object]]) -> float:
    started = time.perf_counter()
    await call()
    return (time.perf_counter() - started) * 1000


async def _scenario(tps: float, latency: float, tokens: int, runs: int) -> tuple[float, float]:
    """Median ms of each path; the paths alternate so that drift hits both alike."""
    config = FakeOllamaConfig(tokens_per_second=tps, first_token_latency=latency, reply_tokens=tokens)
    request = ChatRequest(
        model="llama3.2", messages=[ChatMessage(role="user", content="Why is the sky blue?")]
    )
    async with FakeOllama(config) as fake, httpx.AsyncClient() as http:
        agent = AgentConfig(id="bench", name="bench", endpoint=fake.url, models=["llama3.2"])
        chat = OllamaActivities(http, agent).chat
        paths: list[Callable[[], Awaitable[object]]] = [
            lambda: _direct(http, fake.url, request),
            lambda: ActivityEnvironment().run(chat, request),
        ]
        for path in paths:
            await path()  # warm up: connection pool, first-call caches
        times: list[list[float]] = [[], []]
        for _ in range(runs):
            for index, path in enumerate(paths):
                times[index].append(await _timed_ms(path))
    return statistics.median(times[0]), statistics.median(times[1])


async def _main(args: argparse.Namespace) -> dict[str, float]:
    figures: dict[str, float] = {}
    for label, tps, latency in SCENARIOS:
        direct, activity = await _scenario(tps, latency, args.tokens, args.runs)
        name = f"{label}, {args.tokens} tok"
        figures[f"{name}: direct ms"] = direct
        figures[f"{name}: activity ms"] = activity
        figures[f"{name}: overhead ms"] = activity - direct
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=30, help="calls per path and scenario (median)")
    parser.add_argument("--tokens", type=int, default=50, help="tokens per reply")
    add_baseline_args(parser)
    args = parser.parse_args()
    report(asyncio.run(_main(args)), args, unit_width=52)


if __name__ == "__main__":
    main()
