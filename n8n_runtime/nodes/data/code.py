"""Code node (``code`` v1/v2) and the legacy Function / Function Item nodes (v1).

The JavaScript itself runs in the expression engine's V8 sandbox (``n8n_runtime.expressions``);
this module maps node parameters onto it and collects ``console`` output into
``run.extras["logs"]`` so the runtime can surface it. Python code goes to
``run.extras["python_runner"]`` (``n8n_runtime.code_python``: another interpreter process).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from n8n_runtime.nodes.base import Item, NodeError, NodeOutput, NodeRun
from n8n_runtime.nodes.data._code_adapter import default_runner, sort_with_code
from n8n_runtime.nodes.data._fields import param

# (run, code, mode) -> (items, logs); ``mode`` is runOnceForAllItems / runOnceForEachItem, or the
# legacy function / functionItem.
CodeRunner = Callable[[NodeRun, str, str], tuple[list[Item], list[Any]]]


def run_code_node(run: NodeRun) -> NodeOutput:
    """Code node: ``jsCode`` once for all items (default) or once per item."""
    # Version 1 has no language choice (n8n reads `language` only from version 2 on).
    language = run.params.raw("language", "javaScript") if run.node.type_version >= 2 else "javaScript"
    mode = str(param(run, "mode", 0, "runOnceForAllItems"))
    if language in ("python", "pythonNative"):
        return [_execute_python(run, str(run.params.raw("pythonCode", "")), mode, str(language))]
    code = run.params.raw("jsCode", "")
    return [_execute(run, str(code), mode)]


def run_function(run: NodeRun) -> NodeOutput:
    """Legacy Function node: ``functionCode`` over ``items``."""
    return [_execute(run, str(run.params.raw("functionCode", "")), "function")]


def run_function_item(run: NodeRun) -> NodeOutput:
    """Legacy Function Item node: ``functionCode`` once per ``item``."""
    return [_execute(run, str(run.params.raw("functionCode", "")), "functionItem")]


def _execute(run: NodeRun, code: str, mode: str) -> list[Item]:
    runner = _runner(run)
    items, logs = runner(run, code, mode)
    if logs:
        run.extras.setdefault("logs", []).extend(logs)
    return items


def _execute_python(run: NodeRun, code: str, mode: str, language: str) -> list[Item]:
    runner = run.extras.get("python_runner")
    if not callable(runner):
        raise NodeError(
            "Python Code nodes cannot run here", description="this runtime has no Python interpreter pool"
        )
    items, logs = runner(run, code, mode, language)
    if logs:
        run.extras.setdefault("logs", []).extend(logs)
    return list(items)


def _runner(run: NodeRun) -> CodeRunner:
    injected = run.extras.get("code_runner")
    if callable(injected):
        return injected  # type: ignore[no-any-return]
    return default_runner


def js_sort(code: str, items: list[Item]) -> list[Item]:
    """Sort node's code mode: ``items.sort((a, b) => { code })`` in the sandbox."""
    return sort_with_code(code, items)
