"""Benchmark n8n expressions and Code nodes on Hive's V8 engine (mini-racer).

Each scenario runs one node over 100 input items with a fresh ExpressionContext per run, so
every run pays the per-node push (serialising the node's items into V8) plus evaluation.

    python bench/expression_bench.py                       # table: ms per node, µs per item
    python bench/expression_bench.py --save base.json      # keep the figures
    python bench/expression_bench.py --baseline base.json  # add a comparison column

Target: ≤ 5 ms for a 100-item node with 2–3 expression parameters ("set: 3 params").
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

# Run as a script from anywhere: the repository root must win over stale editable-install finders.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from n8n_runtime.code_node import run_code  # noqa: E402
from n8n_runtime.expressions import ExpressionContext, ExpressionEngine, NodeParameters  # noqa: E402

ITEMS = 100
NOW_MS = 1_700_000_000_000


def _items() -> list[dict[str, Any]]:
    return [
        {
            "json": {
                "name": f"user {i}",
                "value": i,
                "email": f"user{i}@example.com",
                "password": f"secret-{i}",
                "lastname": "Doe",
                "headers": {"host": "n8n.example", "user-agent": "axios/1.2.1", "accept": "*/*"},
                "executionMode": "production",
                "webhookUrl": "https://n8n.example/webhook/x",
            }
        }
        for i in range(ITEMS)
    ]


SET_PARAMS = {
    "assignments": {
        "assignments": [
            {"name": "label", "value": "={{ $json.name.toUpperCase() + ' ' + $json.value * 2 }}"},
            {"name": "domain", "value": "={{ $json.email.split('@')[1] }}"},
            {"name": "when", "value": "={{ $now.plus(1, 'day').toISODate() }}"},
        ]
    }
}
# n8n's own "set-node-expressions" benchmark workflow (corpus _benchmark/).
N8N_SET_PARAMS = {
    "assignments": {
        "assignments": [
            {"name": "oneToOneCopy", "value": "={{ $json.headers.host }}"},
            {"name": "={{ $json.headers['user-agent'].slice(0, 4) }}", "value": "Set key with expression"},
            {"name": "Multiple variables", "value": "={{ $json.executionMode + ' ' + $json.webhookUrl }}"},
            {"name": "Static value", "value": 42},
            {"name": "Object", "value": "={{ $json.headers }}"},
            {"name": "Array", "value": "={{ Object.values($json.headers) }}"},
        ]
    }
}
CODE_ALL = "return $input.all().map((i) => ({ json: { ...i.json, double: i.json.value * 2 } }));"
# n8n's own "js-code-node" benchmark (OnceForEachItemJSCode).
CODE_EACH = """
$input.item.json.age = 10 + Math.floor(Math.random() * 30);
$input.item.json.password = $input.item.json.password.split('').map(() => '*').join("")
delete $input.item.json.lastname
const emailParts = $input.item.json.email.split("@")
$input.item.json.emailData = { user: emailParts[0], domain: emailParts[1] }
return $input.item;
"""


def _ctx(items: list[dict[str, Any]], **kwargs: Any) -> ExpressionContext:
    return ExpressionContext(node_name="Node", inputs=[items], now_ms=NOW_MS, **kwargs)


def scenarios(engine: ExpressionEngine) -> dict[str, Callable[[], Any]]:
    items = _items()

    def set_batch() -> Any:
        return engine.resolve_parameters_batch(SET_PARAMS, _ctx(items))

    def set_per_item() -> Any:
        ctx = _ctx(items)
        out = []
        for i in range(ITEMS):
            ctx.item_index = i
            out.append(engine.resolve_parameters(SET_PARAMS, ctx))
        return out

    def set_node_parameters() -> Any:
        params = NodeParameters(engine, _ctx(items, node_parameters=SET_PARAMS))
        return [params.get("assignments.assignments", i) for i in range(ITEMS)]

    def n8n_set() -> Any:
        return engine.resolve_parameters_batch(N8N_SET_PARAMS, _ctx(items))

    def code_all() -> Any:
        return run_code(engine, _ctx(items, node_type="n8n-nodes-base.code"), CODE_ALL)

    def code_each() -> Any:
        ctx = _ctx(items, node_type="n8n-nodes-base.code")
        return run_code(engine, ctx, CODE_EACH, mode="runOnceForEachItem")

    def engine_start() -> Any:
        with ExpressionEngine() as fresh:
            return fresh.evaluate("={{ 1 }}", _ctx([{"json": {}}]))

    return {
        "set: 3 params, batch": set_batch,
        "set: 3 params, NodeParameters": set_node_parameters,
        "set: 3 params, per-item calls": set_per_item,
        "n8n bench: Set 6 assignments": n8n_set,
        "code: all items": code_all,
        "n8n bench: code each item": code_each,
        "engine start (context + prelude)": engine_start,
    }


def measure(fn: Callable[[], Any], runs: int) -> tuple[float, float]:
    fn()  # warm-up: compiles templates/code once, as a real run would on its first node
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    p95 = samples[min(len(samples) - 1, math.ceil(len(samples) * 0.95) - 1)]
    return statistics.median(samples), p95


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--save", type=Path, help="write the medians (ms) as JSON")
    parser.add_argument("--baseline", type=Path, help="compare with a file written by --save")
    args = parser.parse_args()
    baseline: dict[str, float] = json.loads(args.baseline.read_text()) if args.baseline else {}

    results: dict[str, float] = {}
    header = f"{'scenario':36} {'ms/node':>9} {'p95 ms':>9} {'µs/item':>9}"
    if baseline:
        header += f" {'baseline':>9} {'change':>8}"
    print(header)
    print("-" * len(header))
    with ExpressionEngine() as engine:
        for name, fn in scenarios(engine).items():
            runs = max(5, args.runs // 5) if name.startswith("engine start") else args.runs
            median, p95 = measure(fn, runs)
            results[name] = round(median, 3)
            per_item = "" if name.startswith("engine start") else f"{median * 1000 / ITEMS:9.1f}"
            line = f"{name:36} {median:9.2f} {p95:9.2f} {per_item:>9}"
            if name in baseline:
                line += f" {baseline[name]:9.2f} {(median / baseline[name] - 1) * 100:+7.1f}%"
            print(line)
    if args.save:
        args.save.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
