"""Shared evaluation of If and Filter conditions, per item (n8n shares `filter-parameter` the same way).

v1 nodes keep one list of conditions per data type (`conditions.boolean`, `.dateTime`, `.number`,
`.string`) combined with all/any; v2+ nodes hold one filter value evaluated by `execute_filter`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from n8n_runtime.nodes.base import Item, NodeError, NodeOutput, NodeRun
from n8n_runtime.nodes.control._common import (
    LESS_STRICT_HINT,
    as_node_error,
    continue_on_fail,
    param,
    workflow_zone,
)
from n8n_runtime.nodes.control._filter import execute_filter
from n8n_runtime.nodes.control._legacy_conditions import convert_date_time, run_operation, with_defaults

DATA_TYPES = ("boolean", "dateTime", "number", "string")


def legacy_pass(run: NodeRun, item_index: int, combine_all: bool) -> bool:
    """If v1 / Filter v1: do the typed conditions pass for this item (short-circuit like n8n)."""
    for data_type in DATA_TYPES:
        conditions = param(run, f"conditions.{data_type}", item_index, [])
        for raw in conditions if isinstance(conditions, list) else []:
            condition = with_defaults(data_type, raw if isinstance(raw, dict) else {})
            value1, value2 = condition.get("value1"), condition.get("value2")
            if data_type == "dateTime":
                value1, value2 = convert_date_time(value1), convert_date_time(value2)
            result = run_operation(str(condition.get("operation")), value1, value2)
            if result and not combine_all:
                return True
            if not result and combine_all:
                return False
    return combine_all


def loose_type_validation(run: NodeRun, item_index: int, options: dict[str, Any], since: float) -> bool:
    """n8n's getTypeValidationParameter: an option before `since`, a top-level parameter from it on."""
    if run.node.type_version < since:
        return bool(options.get("looseTypeValidation"))
    return bool(param(run, "looseTypeValidation", item_index, False))


def filter_pass(run: NodeRun, path: str, item_index: int, *, loose: bool) -> bool:
    """Evaluate the filter parameter at `path` for this item, with n8n's error enrichment."""
    value = param(run, path, item_index, False)
    try:
        return execute_filter(value, item_index=item_index, zone=workflow_zone(run))
    except NodeError as error:
        if not loose and not error.description:
            error.description = LESS_STRICT_HINT
        if error.item_index is None:
            error.item_index = item_index
        raise


def split_items(run: NodeRun, legacy: Callable[[int, Item], bool]) -> NodeOutput:
    """The `execute` loop If and Filter share: `[passing items, other items]`.

    Args:
        run: the If or Filter node's run.
        legacy: v1's test of one item (`item_index`, `item`); v2+ evaluates the `conditions`
            filter parameter instead.
    """
    passing: list[Item] = []
    others: list[Item] = []
    v1 = run.node.type_version < 2
    for index, item in enumerate(run.items):
        try:
            if v1:
                passed = legacy(index, item)
            else:
                options = param(run, "options", index, {}) or {}
                loose = loose_type_validation(run, index, options, 2.1)
                passed = filter_pass(run, "conditions", index, loose=loose)
                if "pairedItem" not in item:
                    item["pairedItem"] = {"item": index}
        except Exception as error:
            # v1 has no per-item catch: every failure stops the node.
            if not v1 and continue_on_fail(run):
                others.append(item)
                continue
            raise as_node_error(error, index) from error
        (passing if passed else others).append(item)
    return [passing, others]


__all__ = ["DATA_TYPES", "filter_pass", "legacy_pass", "loose_type_validation", "split_items"]
