"""A Code tool's Python (`@n8n/n8n-nodes-langchain.toolCode`, language python).

n8n runs it in the Python sandbox with the model's `query` as a variable and requires a string
back (ToolCode.node.ts); the process, limits and allowlists are the Python Code node's own.
"""

from __future__ import annotations

from typing import Any

from n8n_runtime.code_python.pool import PythonPool, PythonTaskFailed

__all__ = ["PythonToolError", "run_python_tool"]


class PythonToolError(Exception):
    """The tool failed; its message goes back to the model (n8n's wording)."""


def _kind(value: Any) -> str:
    if isinstance(value, list):
        return "an array"
    if value is None:
        return "null"
    return (
        "a number"
        if isinstance(value, int | float) and not isinstance(value, bool)
        else f"a {type(value).__name__}"
    )


def run_python_tool(pool: PythonPool, code: str, query: Any) -> str:
    """The tool's answer for the model.

    Raises:
        PythonToolError: the code raised, timed out or returned something else than a string.
    """
    request = {
        "code": code,
        "mode": "runOnceForAllItems",
        "language": "python",
        "items": [{"json": {"query": query}}],
        "globals": {"query": query},
        "run_data": {},
        "workflow_nodes": {},
        "now_ms": 0,
    }
    try:
        answer = pool.run(request)
    except PythonTaskFailed as exc:
        raise PythonToolError(str(exc)) from None
    error = answer.get("error") or (answer.get("results") or [{}])[0].get("error")
    if error:
        raise PythonToolError(f"{error.get('type') or 'Error'}: {error.get('message', '')}")
    value = answer["results"][0].get("v")
    if not isinstance(value, str):
        raise PythonToolError(
            f"Wrong output type returned: the response should be a string, but it is {_kind(value)}"
        )
    return value
