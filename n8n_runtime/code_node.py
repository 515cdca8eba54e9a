"""n8n's Code node (and the legacy Function / Function Item nodes) on Hive's V8 engine.

The JavaScript runs in :class:`~n8n_runtime.expressions.ExpressionEngine`'s sandbox with the
same data proxies as expressions (``$input``, ``$('Node')``, ``$json``, …); this module applies
n8n's rules to what the code returns: normalising plain objects into items, n8n's validation
errors, and ``pairedItem`` the way n8n assigns it.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from typing import Any, NamedTuple

from hive_core.errors import ExpressionError
from n8n_runtime.expressions import ExpressionContext, ExpressionEngine, Item
from n8n_runtime.expressions._errors import code_error

__all__ = ["CODE_NODE_TYPES", "ConsoleLine", "run_code", "run_code_node", "sort_items"]

CODE_NODE_TYPES = {
    "n8n-nodes-base.code": "code",
    "n8n-nodes-base.function": "function",
    "n8n-nodes-base.functionItem": "functionItem",
}
_RESERVED_KEYS = frozenset({"json", "binary", "pairedItem", "error", "metadata", "index"})
_DISALLOWED_IN_EACH = re.compile(r"\$input\.(first|last|all|itemMatching)\b")
_MISSING = object()


class ConsoleLine(NamedTuple):
    """One ``console.*`` call made by the code (level: log, info, warn, error, debug, trace)."""

    level: str
    message: str


def _validation_error(
    ctx: ExpressionContext,
    message: str,
    description: str,
    item_index: int | None = None,
    line: int | None = None,
) -> ExpressionError:
    # n8n's Code ValidationError wording: "… [line N, for item I]" / "… [line N]" / "… [item I]".
    info = {"name": "ValidationError", "message": message, "description": description}
    return code_error(info, node=ctx.node_name, item_index=item_index, run_index=ctx.run_index, line=line)


def _js_truthy(value: Any) -> bool:
    return (
        value is not _MISSING
        and value not in (None, False, 0, "")
        and not (isinstance(value, float) and value != value)
    )


def _is_object(value: Any) -> bool:
    return isinstance(value, dict)


def _normalize_items(ctx: ExpressionContext, data: Any) -> list[Item]:
    """n8n's ``helpers.normalizeItems``."""
    if isinstance(data, dict):
        data = [data] if _js_truthy(data.get("json", _MISSING)) else [{"json": data}]
    if all("json" in item for item in data):
        return list(data)
    if any("json" in item for item in data):
        raise _validation_error(
            ctx, "Inconsistent item format", "Either every item or none has a 'json' key."
        )
    if data and all("binary" in item for item in data):
        return [
            {"json": {k: v for k, v in item.items() if k != "binary"}, "binary": item["binary"]}
            for item in data
        ]
    return [{"json": item} for item in data]


def _validate_item(ctx: ExpressionContext, item: Item, index: int) -> None:
    if not _is_object(item.get("json", _MISSING)):
        raise _validation_error(
            ctx,
            "A 'json' property isn't an object",
            "In the returned data, every key named 'json' must point to an object.",
            index,
        )
    if "binary" in item and item["binary"] is not None and not _is_object(item["binary"]):
        raise _validation_error(
            ctx,
            "A 'binary' property isn't an object",
            "In the returned data, every key named 'binary' must point to an object.",
            index,
        )


def _validate_top_level_keys(ctx: ExpressionContext, item: Item, index: int) -> None:
    unknown = [k for k in item if k not in _RESERVED_KEYS]
    if not unknown:
        return
    reserved = next((k for k in item if k in _RESERVED_KEYS), None)
    if reserved is not None:
        raise _validation_error(
            ctx,
            "Invalid output format",
            f"An output item contains the reserved key {reserved}. "
            "Wrap each item in an object, under a key called json.",
            index,
        )
    raise _validation_error(
        ctx,
        f"Unknown top-level item key: {unknown[0]}",
        "Access the properties of an item under `.json`, e.g. `item.json`",
        index,
    )


def _all_items_result(ctx: ExpressionContext, value: Any) -> list[Item]:
    """n8n's ``validateRunCodeAllItems``."""
    if value is None:
        return []
    not_items = _validation_error(
        ctx,
        "Code doesn't return items properly",
        "Please return an array of objects, one for each item you would like to output.",
    )
    if value is _MISSING or not isinstance(value, dict | list):
        raise not_items
    if isinstance(value, list):
        if not all(isinstance(item, dict) for item in value):
            raise not_items
        if any(k in _RESERVED_KEYS for item in value for k in item):
            for index, item in enumerate(value):
                _validate_top_level_keys(ctx, item, index)
    items = _normalize_items(ctx, value)
    for index, item in enumerate(items):
        _validate_item(ctx, item, index)
    return items


def _each_item_result(ctx: ExpressionContext, value: Any, binary: Any, index: int) -> Item:
    """The runner's ``extractJsonData`` followed by n8n's ``validateRunCodeEachItem``."""
    json_data = value
    if isinstance(value, dict):
        if "json" in value:
            json_data = value["json"]
        elif "binary" in value:
            json_data = value.get("json", {})
    item: Item = {"json": json_data, "pairedItem": {"item": index}}
    if binary is not None:
        item["binary"] = binary
    _validate_item(ctx, item, index)
    return item


def _js_type_error(ctx: ExpressionContext, message: str) -> ExpressionError:
    """A TypeError n8n's own code would throw on this value (its message is what n8n shows)."""
    return code_error(
        {"name": "TypeError", "message": message},
        node=ctx.node_name,
        item_index=None,
        run_index=ctx.run_index,
    )


def _js_type(value: Any) -> str:
    return "null" if value is None else "undefined" if value is _MISSING else "object"


def _function_items(ctx: ExpressionContext, data: Any) -> list[Any]:
    """n8n's ``helpers.normalizeItems`` on any value a legacy Function node may return.

    A plain object becomes one item (``{json: object}`` unless its ``json`` is truthy), a list
    of objects without ``json`` keys is wrapped item by item. Values ``normalizeItems`` cannot
    take fail with the TypeError JavaScript throws inside it.
    """
    if data is None or data is _MISSING:
        reading = "json" if data is None else "every"
        raise _js_type_error(ctx, f"Cannot read properties of {_js_type(data)} (reading '{reading}')")
    if isinstance(data, dict):
        return [data] if _js_truthy(data.get("json", _MISSING)) else [{"json": data}]
    if not isinstance(data, list):
        raise _js_type_error(ctx, "executionData.every is not a function")
    if any(item is None for item in data):
        raise _js_type_error(ctx, "Cannot use 'in' operator to search for 'json' in null")

    def has(item: Any, key: str) -> bool:
        return isinstance(item, dict) and key in item

    if all(has(item, "json") for item in data):
        return list(data)
    if any(has(item, "json") for item in data):
        raise _validation_error(ctx, "Inconsistent item format", "")
    if data and all(has(item, "binary") for item in data):
        return [
            {"json": {k: v for k, v in item.items() if k != "binary"}, "binary": item["binary"]}
            for item in data
        ]
    return [{"json": item} for item in data]


def _function_result(ctx: ExpressionContext, value: Any) -> list[Item]:
    """The legacy Function node: ``normalizeItems`` on the returned value, then its checks."""
    items = _function_items(ctx, value)
    for item in items:
        json = item.get("json", _MISSING)
        if json is _MISSING:
            raise _validation_error(ctx, 'All returned items have to contain a property named "json"!', "")
        if json is None:  # typeof null is 'object'; n8n's cleanupData then fails on it
            raise _js_type_error(ctx, "Cannot convert undefined or null to object")
        if not isinstance(json, dict | list):
            raise _validation_error(ctx, "The json-property has to be an object!", "")
        binary = item.get("binary", _MISSING)
        if binary is not _MISSING and binary is not None and not isinstance(binary, dict):
            raise _validation_error(ctx, "The binary-property has to be an object!", "")
    return items


def _assign_paired_items(items: list[Item], input_count: int) -> list[Item]:
    """What n8n's engine does for outputs without ``pairedItem``: one input item → all outputs
    pair with it; as many outputs as inputs → pair by position; otherwise leave them."""
    out: list[Item] = []
    for index, item in enumerate(items):
        if "pairedItem" not in item:
            if input_count == 1:
                item = {**item, "pairedItem": {"item": 0}}
            elif len(items) == input_count:
                item = {**item, "pairedItem": {"item": index}}
        out.append(item)
    return out


def _check_each_item_code(ctx: ExpressionContext, code: str) -> None:
    for number, line in enumerate(code.split("\n"), start=1):
        m = _DISALLOWED_IN_EACH.search(line)
        if m and not line.lstrip().startswith("//"):
            raise _validation_error(
                ctx,
                f"Can't use .{m.group(1)}() here",
                "This is only available in 'Run Once for All Items' mode",
                0,
                number,
            )


def run_code(
    engine: ExpressionEngine,
    ctx: ExpressionContext,
    code: str,
    *,
    mode: str = "runOnceForAllItems",
    kind: str = "code",
    continue_on_fail: bool = False,
) -> tuple[list[Item], list[ConsoleLine]]:
    """Run JavaScript like n8n's Code node.

    Args:
        engine: The run's expression engine.
        ctx: The node's context (input items in ``ctx.inputs[0]``).
        code: The node's ``jsCode`` (or ``functionCode`` for legacy nodes).
        mode: ``runOnceForAllItems`` or ``runOnceForEachItem`` (Code node only).
        kind: ``code``, ``function`` (legacy Function) or ``functionItem`` (legacy Function Item).
        continue_on_fail: Like n8n's task runner with "continue on fail": a thrown error becomes
            an ``{"json": {"error": message}}`` item instead of failing the node.

    Returns:
        The output items and the captured console lines.

    Raises:
        ExpressionError: the code threw, timed out, ran out of memory or returned something
            n8n would reject; ``details["n8n_message"]`` holds n8n's own wording.
    """
    each = kind == "functionItem" or (kind == "code" and mode == "runOnceForEachItem")
    if kind == "code" and each:
        _check_each_item_code(ctx, code)
    rows, raw_logs = engine.run_code_raw(
        ctx, code, mode="each" if each else "all", kind=kind, continue_on_fail=continue_on_fail
    )
    logs = [ConsoleLine(level, message) for level, message in raw_logs]
    inputs = list(ctx.input_items)
    if not each:
        try:
            items = _all_result(ctx, rows[0], kind)
        except ExpressionError as error:
            # n8n catches the error of the whole run, thrown or a rejected result alike.
            if not continue_on_fail:
                raise
            items = [{"json": {"error": _n8n_message(error)}}]
        return _assign_paired_items(items, len(inputs)), logs
    out: list[Item] = []
    for index, row in enumerate(rows):
        try:
            item = _each_result(ctx, row, kind, index)
        except ExpressionError as error:
            if not continue_on_fail:
                raise
            out.append({"json": {"error": _n8n_message(error)}, "pairedItem": {"item": index}})
            continue
        if item is not None:
            out.append(item)
    return out, logs


def _n8n_message(error: ExpressionError) -> str:
    return str(error.details.get("n8n_message") or error.message)


def _all_result(ctx: ExpressionContext, row: dict[str, Any], kind: str) -> list[Item]:
    """The items of a run-once-for-all-items run (raises the code's error or n8n's rejection)."""
    if not row["ok"]:
        raise code_error(row["error"], node=ctx.node_name, item_index=None, run_index=ctx.run_index)
    value = row.get("v", _MISSING)
    return _function_result(ctx, value) if kind == "function" else _all_items_result(ctx, value)


def _each_result(ctx: ExpressionContext, row: dict[str, Any], kind: str, index: int) -> Item | None:
    """The item of one per-item run; None when the code returned nothing to keep."""
    if not row["ok"]:
        raise code_error(row["error"], node=ctx.node_name, item_index=index, run_index=ctx.run_index)
    value = row.get("v", _MISSING)
    if kind == "functionItem":
        if value is _MISSING:
            raise _validation_error(
                ctx, "No data got returned. Always an object has to be returned!", "", index
            )
        return _each_item_result(ctx, {"json": value}, row.get("binary"), index)
    if value is _MISSING or value is None or value is False or value == 0 or value == "":
        return None
    return _each_item_result(ctx, value, None if not isinstance(value, dict) else value.get("binary"), index)


def run_code_node(
    engine: ExpressionEngine, ctx: ExpressionContext, *, continue_on_fail: bool = False
) -> tuple[list[Item], list[ConsoleLine]]:
    """Run a Code / Function / Function Item node from its type and raw parameters."""
    kind = CODE_NODE_TYPES.get(ctx.node_type)
    if kind is None:
        raise ValueError(f"not a JavaScript code node: {ctx.node_type}")
    params: Mapping[str, Any] = ctx.node_parameters
    if kind == "code":
        language = params.get("language", "javaScript")
        if language not in ("javaScript", None):
            raise ExpressionError(
                f"Code node '{ctx.node_name}': language {language!r} is not supported", node=ctx.node_name
            )
        code = str(params.get("jsCode", ""))
        mode = str(params.get("mode", "runOnceForAllItems"))
    else:
        code = str(params.get("functionCode", ""))
        mode = "runOnceForEachItem" if kind == "functionItem" else "runOnceForAllItems"
    return run_code(engine, ctx, code, mode=mode, kind=kind, continue_on_fail=continue_on_fail)


def sort_items(
    code: str,
    items: list[Item],
    *,
    engine: ExpressionEngine | None = None,
    ctx: ExpressionContext | None = None,
) -> list[Item]:
    """The Sort node's code mode: ``items.sort((a, b) => { code })`` in the sandbox, as n8n runs it.

    V8's own ``Array.prototype.sort`` orders the items, so a comparator that is inconsistent,
    returns non-numbers or mutates the items behaves exactly as in n8n. The items keep every key
    (``pairedItem`` included) through the round trip.

    Args:
        code: The node's ``code`` parameter, the body of the comparator of ``a`` and ``b``.
        items: The items to sort.
        engine: The run's engine; a throwaway one when omitted.
        ctx: The Sort node's context (for ``$``-variables and error wording); its input items are
            replaced by ``items``.

    Raises:
        ExpressionError: the comparator threw or did not return a list of items.
    """
    own = engine is None
    sandbox = engine if engine is not None else ExpressionEngine()
    base = ctx if ctx is not None else ExpressionContext(node_name="Sort", node_type="n8n-nodes-base.sort")
    # A new context object: the engine pushes these items instead of the node's own input.
    sort_ctx = dataclasses.replace(base, inputs=[list(items)], item_index=0, parameter_path="code")
    # One line, as n8n's wrapper: the comparator's line numbers stay the node's.
    wrapped = f"return items.sort((a, b) => {{ {code}\n}})"
    try:
        rows, _ = sandbox.run_code_raw(sort_ctx, wrapped, mode="all", kind="code")
    finally:
        if own:
            sandbox.close()
    row = rows[0]
    if not row["ok"]:
        # n8n rethrows the comparator's error as is: its message carries no line number.
        info = {k: v for k, v in row["error"].items() if k != "line"}
        raise code_error(info, node=sort_ctx.node_name, item_index=None, run_index=sort_ctx.run_index)
    value = row.get("v", _MISSING)
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise _validation_error(sort_ctx, "Sort code doesn't return items properly", "")
    return value
