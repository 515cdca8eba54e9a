"""Run a Python Code node: build the task from the node's context, check what comes back.

The code itself runs in another interpreter process (``pool.PythonPool``); this module applies
n8n's rules to its answer (``result-validation.ts`` with Python's wording, "dictionary"), assigns
``pairedItem`` as n8n does, and words errors like n8n's Code node with the code's own line.
"""

from __future__ import annotations

from typing import Any

from hive_core.errors import ExpressionError
from n8n_runtime.code_node import ConsoleLine
from n8n_runtime.code_python.pool import PythonPool, PythonTaskFailed
from n8n_runtime.expressions import ExpressionContext, Item

__all__ = ["PYTHON_LANGUAGES", "run_python_code"]

PYTHON_LANGUAGES = ("python", "pythonNative")
_N8N_ITEM_KEYS = frozenset({"json", "binary", "pairedItem", "error", "index"})


def _error(
    ctx: ExpressionContext,
    message: str,
    *,
    description: str | None = None,
    item_index: int | None = None,
    line: int | None = None,
    error_type: str | None = None,
) -> ExpressionError:
    if line is not None and item_index is not None:
        n8n_message = f"{message} [line {line}, for item {item_index}]"
    elif line is not None:
        n8n_message = f"{message} [line {line}]"
    elif item_index is not None:
        n8n_message = f"{message} [item {item_index}]"
    else:
        n8n_message = message
    return ExpressionError(
        f"{n8n_message} [node '{ctx.node_name}']",
        node=ctx.node_name,
        parameter="pythonCode",
        item_index=item_index,
        run_index=ctx.run_index,
        line=line,
        n8n_message=n8n_message,
        description=description,
        error_type=error_type,
    )


def _code_error(ctx: ExpressionContext, info: dict[str, Any], item_index: int | None) -> ExpressionError:
    """The code raised: ``ValueError: …`` as n8n's Pyodide sandbox shows it (bare for n8n's own
    data-proxy errors and security violations)."""
    kind = str(info.get("type") or "")
    message = str(info.get("message") or "")
    if kind and kind != "SecurityViolationError":
        message = f"{kind}: {message}" if message else kind
    return _error(
        ctx,
        message,
        description=info.get("description") or info.get("stack"),
        item_index=item_index,
        line=info.get("line"),
        error_type=kind or None,
    )


def _js_typeof(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "object"


def _js_text(value: Any) -> str:
    if value is None:
        return "undefined"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _normalize(ctx: ExpressionContext, data: Any) -> list[Item]:
    """n8n-core's ``normalizeItems``."""
    if isinstance(data, dict):
        data = [data] if data.get("json") else [{"json": data}]
    if all(isinstance(item, dict) and "json" in item for item in data):
        return list(data)
    if any(isinstance(item, dict) and "json" in item for item in data):
        raise _error(ctx, "Inconsistent item format")
    if data and all(isinstance(item, dict) and "binary" in item for item in data):
        return [{"json": {k: v for k, v in i.items() if k != "binary"}, "binary": i["binary"]} for i in data]
    return [{"json": item} for item in data]


def _validate_item(ctx: ExpressionContext, item: Item, index: int | None) -> None:
    if not isinstance(item.get("json"), dict):
        raise _error(
            ctx,
            "A 'json' property isn't a dictionary",
            description="In the returned data, every key named 'json' must point to a dictionary.",
            item_index=index,
        )
    if "binary" in item and not isinstance(item["binary"], dict):
        raise _error(
            ctx,
            "A 'binary' property isn't a dictionary",
            description="In the returned data, every key named 'binary' must point to a dictionary.",
            item_index=index,
        )


def _validate_top_level_keys(ctx: ExpressionContext, item: Item, index: int) -> None:
    unknown = [k for k in item if k not in _N8N_ITEM_KEYS]
    if not unknown:
        return
    reserved = next((k for k in item if k in _N8N_ITEM_KEYS), None)
    if reserved is not None:
        raise _error(
            ctx,
            "Invalid output format",
            description=f"An output item contains the reserved key {reserved}. "
            "Wrap each item in an object, under a key called json.",
            item_index=index,
        )
    raise _error(
        ctx,
        f"Unknown top-level item key: {unknown[0]}",
        description="Access the properties of an item under `.json`, e.g. `item.json`",
        item_index=index,
    )


def _all_items(ctx: ExpressionContext, value: Any, returned_none: bool) -> list[Item]:
    """n8n's ``validateRunCodeAllItems``."""
    not_items = _error(
        ctx,
        "Code doesn't return items properly",
        description="Please return an array of dictionaries, one for each item you would like to output.",
    )
    if returned_none or not isinstance(value, dict | list):
        raise not_items
    if isinstance(value, list):
        if not all(isinstance(item, dict) for item in value):
            raise not_items
        if any(k in _N8N_ITEM_KEYS for item in value for k in item):
            for index, item in enumerate(value):
                _validate_top_level_keys(ctx, item, index)
    items = _normalize(ctx, value)
    for index, item in enumerate(items):
        _validate_item(ctx, item, index)
    return items


def _each_item(ctx: ExpressionContext, value: Any, returned_none: bool, index: int) -> Item:
    """n8n's ``validateRunCodeEachItem`` and the Code node's per-item output."""
    if returned_none or not isinstance(value, dict | list):
        raise _error(
            ctx,
            "Code doesn't return a dictionary",
            description="Please return a dictionary representing the output item. "
            f"('{_js_text(None if returned_none else value)}' was returned instead.)",
            item_index=index,
        )
    if isinstance(value, list):
        first = (
            f"An array of {_js_typeof(value[0])}s was returned." if value else "An empty array was returned."
        )
        raise _error(
            ctx,
            "Code doesn't return a single dictionary",
            description=f"{first} If you need to output multiple items, please use the "
            "'Run Once for All Items' mode instead.",
            item_index=index,
        )
    [item] = _normalize(ctx, [value])
    _validate_item(ctx, item, index)
    _validate_top_level_keys(ctx, item, index)
    out: Item = {"json": item["json"], "pairedItem": {"item": index}}
    if item.get("binary"):
        out["binary"] = item["binary"]
    return out


def _assign_paired_items(items: list[Item], input_count: int) -> list[Item]:
    """n8n's engine for outputs without ``pairedItem``: one input → all pair with it; as many
    outputs as inputs → by position; otherwise none."""
    out: list[Item] = []
    for index, item in enumerate(items):
        if "pairedItem" not in item:
            if input_count == 1:
                item = {**item, "pairedItem": {"item": 0}}
            elif len(items) == input_count:
                item = {**item, "pairedItem": {"item": index}}
        out.append(item)
    return out


def _request(
    ctx: ExpressionContext, code: str, mode: str, language: str, continue_on_fail: bool
) -> dict[str, Any]:
    source = ctx.source[0] if ctx.source else None
    prev_node = (
        {
            "name": source.get("previousNode"),
            "outputIndex": source.get("previousNodeOutput", 0),
            "runIndex": source.get("previousNodeRun", 0),
        }
        if source
        else {}
    )
    return {
        "code": code,
        "mode": mode,
        "language": language,
        "continue_on_fail": continue_on_fail,
        "items": [dict(item) for item in ctx.input_items],
        "source": list(ctx.source),
        "run_data": {name: list(runs) for name, runs in ctx.run_data.items()},
        "workflow_nodes": {name: dict(node) for name, node in (ctx.workflow_nodes or {}).items()},
        "output_index": dict(ctx.output_index),
        "parameters": dict(ctx.node_parameters),
        "workflow": dict(ctx.workflow),
        "execution": {
            "id": ctx.execution_id,
            "mode": "test" if ctx.execution_mode == "manual" else "production",
            "resumeUrl": ctx.resume_url,
            "resumeFormUrl": ctx.resume_form_url,
            "customData": dict(ctx.custom_data),
        },
        "prev_node": prev_node,
        "run_index": ctx.run_index,
        "vars": dict(ctx.vars),
        # n8n 1.x gives Pyodide code `$env` unless N8N_BLOCK_ENV_ACCESS_IN_NODE; the native
        # runner has none. Hive passes only the allow-listed variables (worker.expression_env).
        "env": dict(ctx.env) if language == "python" else None,
        "now_ms": ctx.now_ms,
        "timezone": ctx.timezone,
    }


def run_python_code(
    pool: PythonPool,
    ctx: ExpressionContext,
    code: str,
    *,
    mode: str = "runOnceForAllItems",
    language: str = "python",
    continue_on_fail: bool = False,
) -> tuple[list[Item], list[ConsoleLine]]:
    """Run a Code node's ``pythonCode`` like n8n (``python``: Pyodide's API; ``pythonNative``:
    the native runner's ``_items``/``_item``).

    Returns:
        The output items and the printed lines (``ConsoleLine("log", line)``).

    Raises:
        ExpressionError: the code raised, timed out or returned what n8n rejects.
    """
    each = mode == "runOnceForEachItem"
    inputs = list(ctx.input_items)
    try:
        answer = pool.run(_request(ctx, code, mode, language, continue_on_fail))
    except PythonTaskFailed as exc:
        if not continue_on_fail:
            raise _error(
                ctx, str(exc), error_type="TaskTimeoutError" if exc.timed_out else "TaskError"
            ) from None
        return [{"json": {"error": str(exc)}}], []
    logs = [ConsoleLine("log", line) for line in answer.get("logs", [])]
    if "error" in answer:  # the code did not compile or failed the security check
        error = _code_error(ctx, answer["error"], None)
        if not continue_on_fail:
            raise error
        return [{"json": {"error": error.details["n8n_message"]}}], logs
    rows: list[dict[str, Any]] = answer["results"]
    if not each:
        row = rows[0]
        try:
            if not row["ok"]:
                raise _code_error(ctx, row["error"], None)
            returned_none = row.get("none", False)
            if returned_none and language == "pythonNative":
                items: list[Item] = []  # the native runner: `result or []`
            else:
                items = _all_items(ctx, row.get("v"), returned_none)
        except ExpressionError as error:
            if not continue_on_fail:
                raise
            items = [{"json": {"error": error.details["n8n_message"]}}]
        return _assign_paired_items(items, len(inputs)), logs
    out: list[Item] = []
    for index, row in enumerate(rows):
        try:
            if not row["ok"]:
                raise _code_error(ctx, row["error"], index)
            if row.get("none") and language == "pythonNative":
                continue  # the native runner skips an item whose code returned None
            out.append(_each_item(ctx, row.get("v"), row.get("none", False), index))
        except ExpressionError as error:
            if not continue_on_fail:
                raise
            out.append({"json": {"error": error.details["n8n_message"]}, "pairedItem": {"item": index}})
    return out, logs
