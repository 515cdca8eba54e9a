"""Benchmark Python Code nodes: one node run in a pooled interpreter process vs a cold start.

Each run sends 100 items to a fresh `python -I` process and checks the answer with n8n's rules;
the pool keeps the next process started, so a warm run pays only the task, not Python's start-up.

    python bench/python_code_bench.py                       # table: ms per node run
    python bench/python_code_bench.py --save base.json      # keep the figures
    python bench/python_code_bench.py --baseline base.json  # add a comparison column
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

# Run as a script from anywhere: the repository root must win over stale editable-install finders.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._table import add_baseline_args, report  # noqa: E402
from hive_core.config.code_python import PythonCodePolicy  # noqa: E402
from n8n_runtime.code_python import PythonPool, run_python_code  # noqa: E402
from n8n_runtime.expressions import ExpressionContext  # noqa: E402

ITEMS = [{"json": {"name": f"user {i}", "value": i}} for i in range(100)]
ALL = "return [{'label': i.json.name.upper(), 'double': i.json.value * 2} for i in _input.all()]"
EACH = "return {'label': _json.name.upper()}"


def _ctx() -> ExpressionContext:
    return ExpressionContext(node_name="Py", node_type="n8n-nodes-base.code", inputs=[ITEMS])


def _median_ms(call: Callable[[], object], repeat: int, pause_s: float) -> float:
    """Median time of ``call``; ``pause_s`` between calls lets the pool start the next process,
    as the time between two node runs does in a workflow (the pause is not measured)."""
    samples = []
    for _ in range(repeat):
        time.sleep(pause_s)
        start = time.perf_counter()
        call()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    add_baseline_args(parser)
    args = parser.parse_args()
    warm = PythonPool(PythonCodePolicy(pool_size=1))
    cold = PythonPool(PythonCodePolicy(pool_size=0))
    try:
        run_python_code(warm, _ctx(), ALL)  # starts the pool
        figures = {
            "all items, 100 items, warm pool (ms)": _median_ms(
                lambda: run_python_code(warm, _ctx(), ALL), args.repeat, 0.5
            ),
            "each item, 100 items, warm pool (ms)": _median_ms(
                lambda: run_python_code(warm, _ctx(), EACH, mode="runOnceForEachItem"), args.repeat, 0.5
            ),
            "all items, 100 items, cold start (ms)": _median_ms(
                lambda: run_python_code(cold, _ctx(), ALL), args.repeat, 0
            ),
        }
    finally:
        warm.close()
        cold.close()
    report(figures, args)


if __name__ == "__main__":
    main()
