"""The executor the conformance tests run with: every node function plus the expression engine."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from n8n_import.plan import Plan
from n8n_runtime.engine import LocalExecutor
from n8n_runtime.engine.expressions import ExpressionRuntime
from n8n_runtime.nodes.registry import NODE_FUNCTIONS


@contextmanager
def executor_for(plan: Plan) -> Iterator[LocalExecutor]:
    """A LocalExecutor with one expression runtime (one V8 context) for one run of `plan`."""
    runtime = ExpressionRuntime(plan, clock=lambda: 1_700_000_000_000)
    try:
        yield LocalExecutor(NODE_FUNCTIONS, params_factory=runtime.parameters, extras_factory=runtime.extras)
    finally:
        runtime.close()
