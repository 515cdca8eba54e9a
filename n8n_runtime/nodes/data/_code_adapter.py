"""Bridge from the Code/Function nodes to the expression engine's JavaScript runner.

The runner lives outside this package (``n8n_runtime.code_node.run_code``, returning
``(items, logs)``); it is looked up at call time and given the keyword arguments it declares, so
this package does not import the V8 engine at import time.
"""

from __future__ import annotations

import importlib
import inspect
from typing import Any

from n8n_runtime.nodes.base import Item, NodeError, NodeRun


def _engine_run_code() -> Any:
    try:
        module = importlib.import_module("n8n_runtime.code_node")
    except ImportError:
        return None
    return getattr(module, "run_code", None)


def default_runner(run: NodeRun, code: str, mode: str) -> tuple[list[Item], list[Any]]:
    """Run ``code`` with the engine's ``run_code``; NodeError when there is no engine."""
    run_code = _engine_run_code()
    if run_code is None:
        raise NodeError("Code nodes are not supported: the JavaScript runtime is unavailable")
    offered: dict[str, Any] = {
        "run": run,
        "node_run": run,
        "code": code,
        "js_code": code,
        "mode": mode,
        "items": run.items,
        "node": run.node,
        "params": run.params,
        "extras": run.extras,
    }
    accepted = inspect.signature(run_code).parameters
    result = run_code(**{name: value for name, value in offered.items() if name in accepted})
    items, logs = result
    return list(items), list(logs or [])


def sort_with_code(code: str, items: list[Item]) -> list[Item]:
    """Sort node's code mode through the engine's ``sort_items`` (a throwaway engine); NodeError
    when there is no engine. The runtime normally injects ``extras["sort_by_code"]`` instead."""
    try:
        module = importlib.import_module("n8n_runtime.code_node")
    except ImportError:
        module = None
    sorter = getattr(module, "sort_items", None) if module is not None else None
    if sorter is None:
        raise NodeError("Sorting with code is unsupported: the JavaScript runtime is unavailable")
    return list(sorter(code, items))
