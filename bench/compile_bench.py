"""Benchmark the n8n compiler on synthetic workflows (100, 1,000 and 5,000 nodes).

Each workflow repeats a realistic block — Set (expressions) → If → Set | Code → Merge — after a
Manual Trigger, and is compiled from JSON text (parse + validate + graph + plan) `--runs` times.

    python bench/compile_bench.py                       # table: nodes, median ms, p95 ms
    python bench/compile_bench.py --save base.json      # keep the figures
    python bench/compile_bench.py --baseline base.json  # add a comparison column
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import sys
import time
from pathlib import Path
from typing import Any

# Run as a script from anywhere: the repository root must win over stale editable-install finders.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from n8n_import import compile_export  # noqa: E402

BLOCK = 5  # nodes per block


def _node(
    name: str, type_: str, version: float, x: int, y: int, parameters: dict[str, Any]
) -> dict[str, Any]:
    return {
        "id": f"id-{name}",
        "name": name,
        "type": f"n8n-nodes-base.{type_}",
        "typeVersion": version,
        "position": [x, y],
        "parameters": parameters,
    }


def _set(name: str, i: int, x: int, y: int) -> dict[str, Any]:
    assignments = [
        {"id": f"{i}-a", "name": "total", "value": "={{ $json.price * $json.qty }}", "type": "number"},
        {
            "id": f"{i}-b",
            "name": "label",
            "value": "=Order {{ $json.id }} for {{ $json.customer.name }}",
            "type": "string",
        },
        {"id": f"{i}-c", "name": "step", "value": i, "type": "number"},
    ]
    return _node(name, "set", 3.4, x, y, {"assignments": {"assignments": assignments}, "options": {}})


def _if(name: str, i: int, x: int, y: int) -> dict[str, Any]:
    condition = {
        "id": f"{i}-cond",
        "leftValue": "={{ $json.total }}",
        "rightValue": 100,
        "operator": {"type": "number", "operation": "gt"},
    }
    conditions = {
        "options": {"caseSensitive": True, "leftValue": "", "typeValidation": "strict", "version": 2},
        "conditions": [condition],
        "combinator": "and",
    }
    return _node(name, "if", 2.2, x, y, {"conditions": conditions, "options": {}})


def _code(name: str, x: int, y: int) -> dict[str, Any]:
    js = (
        "for (const item of $input.all()) {\n"
        "  item.json.discount = item.json.total * 0.1;\n"
        "}\n"
        "return $input.all();"
    )
    return _node(name, "code", 2, x, y, {"jsCode": js})


def _merge(name: str, x: int, y: int) -> dict[str, Any]:
    return _node(name, "merge", 3.2, x, y, {"mode": "append"})


def synthetic_workflow(size: int) -> dict[str, Any]:
    """A workflow of about `size` nodes (trigger + blocks of Set → If → Set|Code → Merge)."""
    nodes = [_node("Trigger", "manualTrigger", 1, 0, 0, {})]
    connections: dict[str, Any] = {}

    def connect(source: str, target: str, output: int = 0, input_: int = 0) -> None:
        slots = connections.setdefault(source, {}).setdefault("main", [])
        while len(slots) <= output:
            slots.append([])
        slots[output].append({"node": target, "type": "main", "index": input_})

    previous = "Trigger"
    for b in range((size - 1) // BLOCK):
        x = (b + 1) * 1000
        s, i, t, c, m = (f"{kind} {b}" for kind in ("Prepare", "Check", "Big", "Small", "Join"))
        nodes += [_set(s, b, x, 0), _if(i, b, x + 200, 0), _set(t, b, x + 400, -100)]
        nodes += [_code(c, x + 400, 100), _merge(m, x + 600, 0)]
        connect(previous, s)
        connect(s, i)
        connect(i, t, 0)
        connect(i, c, 1)
        connect(t, m, 0, 0)
        connect(c, m, 0, 1)
        previous = m
    return {
        "name": f"bench-{size}",
        "nodes": nodes,
        "connections": connections,
        "settings": {"executionOrder": "v1"},
    }


def _p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def measure(size: int, runs: int) -> dict[str, float]:
    """Compile the `size`-node workflow `runs` times from JSON text; times in ms."""
    text = json.dumps(synthetic_workflow(size))
    compile_export(text)  # warm-up (imports, pydantic schema caches)
    samples: list[float] = []
    for _ in range(runs):
        start = time.perf_counter()
        [plan] = compile_export(text)
        samples.append((time.perf_counter() - start) * 1000)
    return {"nodes": len(plan.nodes), "median_ms": statistics.median(samples), "p95_ms": _p95(samples)}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="100,1000,5000", help="comma-separated node counts")
    parser.add_argument("--runs", type=int, default=20, help="compilations per size")
    parser.add_argument("--save", type=Path, help="write the figures as JSON")
    parser.add_argument("--baseline", type=Path, help="JSON from an earlier --save to compare with")
    args = parser.parse_args()

    baseline: dict[str, dict[str, float]] = json.loads(args.baseline.read_text()) if args.baseline else {}
    results: dict[str, dict[str, float]] = {}
    header = f"{'nodes':>7} {'runs':>5} {'median ms':>10} {'p95 ms':>9}"
    print(header + (f" {'baseline median':>16} {'change':>8}" if baseline else ""))
    for size in (int(s) for s in args.sizes.split(",")):
        figures = measure(size, args.runs)
        results[str(size)] = figures
        median, p95 = figures["median_ms"], figures["p95_ms"]
        row = f"{int(figures['nodes']):>7} {args.runs:>5} {median:>10.1f} {p95:>9.1f}"
        base = baseline.get(str(size))
        if base:
            change = (figures["median_ms"] / base["median_ms"] - 1) * 100
            row += f" {base['median_ms']:>16.1f} {change:>+7.0f}%"
        elif baseline:
            row += f" {'-':>16} {'-':>8}"
        print(row)
    if args.save:
        args.save.write_text(json.dumps(results, indent=2) + "\n")
        print(f"saved to {args.save}")


if __name__ == "__main__":
    main()
