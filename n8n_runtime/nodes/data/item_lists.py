"""Item Lists node (``n8n-nodes-base.itemLists`` v1, v2, v2.1, v2.2, v3, v3.1).

n8n's Item Lists is the ancestor of the standalone Split Out, Aggregate, Remove Duplicates, Sort,
Limit and Summarize nodes, whose code was split off from its v3 operations: v3+ delegates to those
implementations unchanged. v1/v2 write field lists as fixed collections
(``{"fields": [{"fieldName": "a"}]}``), which are turned into the standalone nodes' lists here;
only the parts whose behaviour differs (v1/v2 Split Out, Aggregate's missing-field check before
v2.1) have their own code.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from n8n_runtime.jsvalues import UNDEFINED
from n8n_runtime.nodes.base import Item, NodeError, NodeOutput, NodeRun
from n8n_runtime.nodes.data._fields import (
    deep_copy,
    field_getter,
    item_json,
    nested_field_hint,
    param,
    unset_path,
    version,
)
from n8n_runtime.nodes.data.aggregate import run_aggregate
from n8n_runtime.nodes.data.limit import run_limit
from n8n_runtime.nodes.data.remove_duplicates import remove_duplicate_items
from n8n_runtime.nodes.data.sort import run_sort
from n8n_runtime.nodes.data.split_out import run_split_out
from n8n_runtime.nodes.data.summarize import run_summarize

# Fixed-collection parameters of v1/v2 that hold field names.
_FIELD_COLLECTIONS = ("fieldsToInclude", "fieldsToExclude", "fieldsToCompare")


class _Params:
    """The node's parameters with some paths answered differently (v1/v2 → standalone shapes)."""

    def __init__(self, inner: Any, overrides: dict[str, Callable[[int], Any]]) -> None:
        self._inner = inner
        self._overrides = overrides

    def get(self, path: str, item_index: int = 0, default: Any = None) -> Any:
        override = self._overrides.get(path)
        if override is not None:
            return override(item_index)
        return self._inner.get(path, item_index, default)

    def raw(self, path: str, default: Any = None) -> Any:
        return self._inner.raw(path, default)


def _field_names(run: NodeRun, path: str) -> Callable[[int], Any]:
    def names(index: int) -> list[str]:
        value = run.params.get(f"{path}.fields", index, [])
        entries = value if isinstance(value, list) else []
        return [str(e.get("fieldName", "")) for e in entries if isinstance(e, dict)]

    return names


def _as(
    run: NodeRun, target_version: float, overrides: dict[str, Callable[[int], Any]] | None = None
) -> NodeRun:
    """The same run seen as a standalone node of `target_version`."""
    node = run.node.model_copy(update={"type_version": target_version})
    params = _Params(run.params, overrides or {}) if overrides else run.params
    return NodeRun(
        node=node,
        inputs=run.inputs,
        params=params,
        run_index=run.run_index,
        state=run.state,
        extras=run.extras,
    )


def run_item_lists(run: NodeRun) -> NodeOutput:
    """Dispatch on ``operation`` (default ``splitOutItems``)."""
    operation = param(run, "operation", 0, "splitOutItems")
    legacy = version(run) < 3
    overrides = {name: _field_names(run, name) for name in _FIELD_COLLECTIONS} if legacy else {}
    # v2.1 stopped failing on fields no item has (as Summarize v1.1 does).
    lenient = 1.1 if version(run) >= 2.1 else 1
    if operation == "splitOutItems":
        if version(run) < 2.1:
            return [_legacy_split_out(run)]
        return run_split_out(_as(run, 1, overrides))
    # v1/v2 call it aggregateItems; v3 renamed it concatenateItems (v1/v2 refuse the new name)
    if operation == "aggregateItems" or (operation == "concatenateItems" and not legacy):
        if legacy:
            _check_aggregated_fields(run)
        return run_aggregate(_as(run, 1, overrides))
    if operation == "removeDuplicates":
        return remove_duplicate_items(_as(run, 1, overrides), group_by_type=version(run) >= 3.1)
    if operation == "sort":
        return run_sort(_as(run, 1, overrides))
    if operation == "limit":
        return run_limit(_as(run, 1, overrides))
    if operation == "summarize":
        return run_summarize(_as(run, lenient, overrides))
    raise NodeError(f"Operation '{operation}' is not recognized")


def _check_aggregated_fields(run: NodeRun) -> None:
    """Before v2.1 a field to aggregate that no item has is an error."""
    if param(run, "aggregate", 0, "aggregateIndividualFields") != "aggregateIndividualFields":
        return
    if version(run) >= 2.1:
        return
    disable_dot = bool(param(run, "options.disableDotNotation", 0, False))
    keep_missing = bool(param(run, "options.keepMissing", 0, False))
    get = field_getter(disable_dot)
    for entry in param(run, "fieldsToAggregate.fieldToAggregate", 0, []) or []:
        name = str(entry.get("fieldToAggregate", ""))
        if name == "":
            raise NodeError("Field to aggregate is blank", description="Please add a field to aggregate")
        found = any(get(item_json(item), name) is not UNDEFINED for item in run.items)
        if not found and (disable_dot and "." in name or not keep_missing):
            raise NodeError(
                f"Couldn't find the field '{name}' in the input data",
                description=nested_field_hint(name, disable_dot),
            )


def _legacy_split_out(run: NodeRun) -> list[Item]:
    """v1 and v2: one field; missing is an error; v1 needs an array, v2 also splits an object."""
    output: list[Item] = []
    for i, source in enumerate(run.items):
        field = str(param(run, "fieldToSplitOut", i, ""))
        disable_dot = bool(param(run, "options.disableDotNotation", 0, False))
        destination = str(param(run, "options.destinationFieldName", i, "") or "")
        include = param(run, "include", i, "noOtherFields")
        data = item_json(source)
        value = field_getter(disable_dot)(data, field)
        if value is UNDEFINED:
            raise NodeError(
                f"Couldn't find the field '{field}' in the input data",
                description=nested_field_hint(field, disable_dot),
                item_index=i,
            )
        if isinstance(value, dict) and version(run) >= 2:
            value = list(value.values())
        if not isinstance(value, list):
            kind = "an array" if version(run) < 2 else "an array or object"
            raise NodeError(f"The provided field '{field}' is not {kind}", item_index=i)
        get = field_getter(disable_dot)
        for element in value:
            new: dict[str, Any] = {}
            if include == "selectedOtherFields":
                selected = _field_names(run, "fieldsToInclude")(i)
                if not selected:
                    raise NodeError("No fields specified", description="Please add a field to include")
                for name in selected:
                    if name != field:
                        picked = get(data, name)
                        if picked is not UNDEFINED:  # JS keeps `undefined`, which JSON drops
                            new[name] = picked
            elif include == "allOtherFields":
                new = deep_copy(data)
                unset_path(new, field)
            if isinstance(element, dict | list) and include == "noOtherFields" and destination == "":
                if isinstance(element, dict):
                    new = {**new, **element}
                else:
                    new = {**new, **{str(k): v for k, v in enumerate(element)}}
            else:
                new[destination or field] = element
            output.append({"json": new, "pairedItem": {"item": i}})
    return output


__all__ = ["run_item_lists"]
