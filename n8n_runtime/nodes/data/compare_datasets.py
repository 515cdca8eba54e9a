"""Compare Datasets node (``n8n-nodes-base.compareDatasets`` v1, v2, v2.1, v2.2, v2.3).

Two inputs (A, B) paired on "Fields to Match"; four outputs: In A only, Same, Different, In B
only. Version differences kept from n8n: v2 moved Fuzzy Compare to a top-level parameter, treats
null like 0/"0" when fuzzy and names the "Different" sides inputA/inputB; v2.1 changed the
default resolution to Include Both Versions and compares all keys when fuzzy; v2.2 no longer fails
when a match field is absent from every item.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any

from n8n_runtime.jsvalues import UNDEFINED, is_equal, to_string, truthy, typeof
from n8n_runtime.nodes.base import Item, NodeError, NodeOutput, NodeRun
from n8n_runtime.nodes.data._fields import (
    field_getter,
    get_path,
    item_json,
    param,
    set_path,
    unset_path,
    version,
)

Compare = Callable[[Any, Any], bool]


def run_compare_datasets(run: NodeRun) -> NodeOutput:
    """Split inputs A and B into A-only, same, different and B-only items."""
    node_version = version(run)
    pairs = _match_fields(param(run, "mergeByFields.values", 0, []) or [])
    opts: dict[str, Any] = dict(param(run, "options", 0, {}) or {})
    if node_version >= 2:
        opts["fuzzyCompare"] = bool(param(run, "fuzzyCompare", 0, False))
    disable_dot = bool(opts.get("disableDotNotation", False))
    input_a = _non_empty(run.inputs[0] if run.inputs else [])
    input_b = _non_empty(run.inputs[1] if len(run.inputs) > 1 else [])
    if node_version < 2.2:
        _require_fields(input_a, [p[0] for p in pairs], disable_dot, "Input A")
        _require_fields(input_b, [p[1] for p in pairs], disable_dot, "Input B")
    opts["resolve"] = param(run, "resolve", 0, "includeBoth" if node_version >= 2.1 else "preferInput2")
    if opts["resolve"] == "mix":
        opts["preferWhenMix"] = param(run, "preferWhenMix", 0, "input1")
        opts["exceptWhenMix"] = param(run, "exceptWhenMix", 0, "")
    return _find_matches(input_a, input_b, pairs, opts, node_version)


def _match_fields(values: list[dict[str, Any]]) -> list[tuple[str, str]]:
    if len(values) == 1 and values[0].get("field1", "") == "" and values[0].get("field2", "") == "":
        raise NodeError('You need to define at least one pair of fields in "Fields to Match" to match on')
    pairs = []
    for index, pair in enumerate(values):
        field1, field2 = str(pair.get("field1", "")), str(pair.get("field2", ""))
        if field1 == "" or field2 == "":
            raise NodeError(
                f'You need to define both fields in "Fields to Match" for pair {index + 1},\n'
                f"\t\t\t\t field 1 = '{field1}'\n\t\t\t\t field 2 = '{field2}'"
            )
        pairs.append((field1, field2))
    return pairs


def _non_empty(items: list[Item]) -> list[Item]:
    return [item for item in items if item_json(item)]


def _require_fields(items: list[Item], fields: list[str], disable_dot: bool, label: str) -> None:
    if not items:
        return
    get = field_getter(disable_dot)
    for field in fields:
        if not any(get(item_json(item), field) is not UNDEFINED for item in items):
            raise NodeError(f"Field '{field}' is not present in any of items in '{label}'")


def _is_falsy(value: Any) -> bool:
    return value is None or value == "" and isinstance(value, str) or isinstance(value, list) and not value


def _fuzzy_compare(enabled: bool, compare_version: float) -> Compare:
    """n8n's `fuzzyCompare` (utils/utilities): tolerant comparison across JS types."""
    if not enabled:
        return is_equal

    def compare(a: Any, b: Any) -> bool:
        ta, tb = typeof(a), typeof(b)
        if a is not None and b is not None and ta == tb:
            return is_equal(a, b)
        if compare_version >= 2:
            if a is None and (b is None or b == 0 and tb == "number" or b == "0"):
                return True
            if b is None and (a is None or a == 0 and ta == "number" or a == "0"):
                return True
        if _is_falsy(a) and _is_falsy(b):
            return True
        if _is_falsy(a) and b is UNDEFINED or a is UNDEFINED and _is_falsy(b):
            return True
        if ta == "number" and tb == "string":
            return bool(_number_text(a) == b)
        if ta == "string" and tb == "number":
            return bool(a == _number_text(b))
        if a is not None and ta == "object" and tb == "string":
            return _parse_equal(b, a)
        if b is not None and ta == "string" and tb == "object":
            return _parse_equal(a, b)
        for x, y, tx, ty in ((a, b, ta, tb), (b, a, tb, ta)):
            if tx == "boolean" and ty == "string" and y.lower() == ("true" if x else "false"):
                return True
            if tx == "boolean" and ty == "number" and y == (1 if x else 0):
                return True
            if tx == "boolean" and ty == "string" and y == ("1" if x else "0"):
                return True
        return is_equal(a, b)

    return compare


def _number_text(value: Any) -> str:
    return to_string(value)


def _parse_equal(text: str, value: Any) -> bool:
    try:
        return is_equal(json.loads(text), value)
    except ValueError:
        return False


def _find_matches(
    input_a: list[Item],
    input_b: list[Item],
    pairs: list[tuple[str, str]],
    opts: dict[str, Any],
    node_version: float,
) -> NodeOutput:
    equal = _fuzzy_compare(bool(opts.get("fuzzyCompare")), node_version)
    disable_dot = bool(opts.get("disableDotNotation", False))
    get = field_getter(disable_dot)
    multiple = opts.get("multipleMatches") or "first"
    skip_fields = [f.strip() for f in str(opts.get("skipFields") or "").split(",")]
    if disable_dot and any("." in f for f in skip_fields):
        dotted = next(f for f in skip_fields if "." in f)
        raise NodeError(f"Dot notation is disabled, but field to skip comparing '{dotted}' contains dot")

    only_a: list[Item] = []
    matched: list[tuple[Item, list[Item]]] = []
    matched_b: set[int] = set()
    # Strict comparison is lodash isEqual: an index of B by canonical key finds the same matches
    # as n8n's scan of B for every A item, without its n×m cost. Fuzzy compare has to scan.
    index_b: dict[str, list[int]] | None = None
    if not opts.get("fuzzyCompare"):
        index_b = {}
        for i, candidate in enumerate(input_b):
            key = _canonical([get(item_json(candidate), field2) for _, field2 in pairs])
            index_b.setdefault(key, []).append(i)
    for entry in input_a:
        lookup = {field2: get(item_json(entry), field1) for field1, field2 in pairs}
        if any(value is UNDEFINED for value in lookup.values()):
            only_a.append(entry)
            continue
        if index_b is not None:
            positions = index_b.get(_canonical([lookup[field2] for _, field2 in pairs]), [])
            found = [(i, input_b[i]) for i in positions]
        else:
            found = [
                (i, candidate)
                for i, candidate in enumerate(input_b)
                if all(equal(expected, get(item_json(candidate), key)) for key, expected in lookup.items())
            ]
        if multiple != "all":
            found = found[:1]
        matched_b.update(i for i, _ in found)
        if found:
            matched.append((entry, [candidate for _, candidate in found]))
        else:
            only_a.append(entry)
    only_b = [entry for i, entry in enumerate(input_b) if i not in matched_b]

    same: list[Item] = []
    different: list[Item] = []
    resolve = opts.get("resolve")
    for entry, matches in matched:
        kept: Item | None = None
        for match in matches:
            left, right = (
                _without(item_json(entry), skip_fields, disable_dot),
                _without(item_json(match), skip_fields, disable_dot),
            )
            if opts.get("fuzzyCompare"):
                items_equal = all(equal(left[key], right.get(key, UNDEFINED)) for key in left)
            else:
                items_equal = equal(left, right)
            if items_equal:
                if kept is None:
                    kept = match if opts.get("fuzzyCompare") and resolve == "preferInput2" else entry
            elif resolve == "preferInput1":
                different.append(entry)
            elif resolve == "preferInput2":
                different.append(match)
            elif resolve == "mix":
                different.append(_combine(entry, match, opts, disable_dot))
            else:
                different.append(_compare_items(entry, match, pairs, opts, skip_fields, equal, node_version))
        if kept is not None:
            same.append(kept)
    return [only_a, same, different, only_b]


def _canonical(values: list[Any]) -> str:
    """A key equal for values lodash `isEqual` finds equal (key order ignored, 1 == 1.0)."""

    def norm(value: Any) -> Any:
        if value is UNDEFINED:
            return {"\u0000undefined": True}
        if isinstance(value, float) and value.is_integer():
            return int(value)
        if isinstance(value, dict):
            return {k: norm(v) for k, v in value.items()}
        if isinstance(value, list):
            return [norm(v) for v in value]
        return value

    return json.dumps(norm(values), sort_keys=True, ensure_ascii=False)


def _without(data: dict[str, Any], skip_fields: list[str], disable_dot: bool) -> dict[str, Any]:
    if not any(skip_fields):
        return data
    if disable_dot or not any("." in f for f in skip_fields):
        return {k: v for k, v in data.items() if k not in skip_fields}
    copied = copy.deepcopy(data)
    for field in skip_fields:
        unset_path(copied, field)
    return copied


def _combine(entry: Item, match: Item, opts: dict[str, Any], disable_dot: bool) -> Item:
    first, second = (entry, match) if opts.get("preferWhenMix") == "input1" else (match, entry)
    except_when = opts.get("exceptWhenMix") or ""
    fields = (
        except_when if isinstance(except_when, list) else [f.strip() for f in str(except_when).split(",")]
    )
    fields = [f for f in fields if except_when]
    result = copy.deepcopy(first)
    data = result.setdefault("json", {})
    for field in fields:
        if disable_dot:
            data[field] = item_json(second).get(field)
        else:
            value = get_path(item_json(second), field)
            set_path(data, field, value if truthy(value) else None)
    return result


def _compare_items(
    entry: Item,
    match: Item,
    pairs: list[tuple[str, str]],
    opts: dict[str, Any],
    skip_fields: list[str],
    equal: Compare,
    node_version: float,
) -> Item:
    a, b = item_json(entry), item_json(match)
    keys = {field1: a[field1] for field1, _ in pairs if field1 in a}
    all_keys = list(a) + [k for k in b if k not in a]
    to_compare = all_keys if opts.get("fuzzyCompare") and node_version >= 2.1 else [k for k in a if k in b]
    same = {key: a.get(key) for key in to_compare if equal(a.get(key, UNDEFINED), b.get(key, UNDEFINED))}
    different_keys = [key for key in all_keys if key not in same]

    def nullish(value: Any) -> Any:
        if node_version >= 2:
            return None if value is UNDEFINED else value
        return value if truthy(value) else None

    first_name, second_name = ("inputA", "inputB") if node_version >= 2 else ("input1", "input2")
    different: dict[str, Any] = {}
    skipped: dict[str, Any] = {}
    resolve = opts.get("resolve")
    for index, key in enumerate(different_keys):
        if resolve == "preferInput1":
            different[key] = nullish(a.get(key, UNDEFINED))
            continue
        if resolve == "preferInput2":
            different[key] = nullish(b.get(key, UNDEFINED))
            continue
        left, right = nullish(a.get(key, UNDEFINED)), nullish(b.get(key, UNDEFINED))
        if node_version >= 2.1 and not opts.get("disableDotNotation") and key not in skip_fields:
            nested = [f for f in skip_fields if f.startswith(key) and "." in f]
            left, right = copy.deepcopy(left), copy.deepcopy(right)
            if nested and (not isinstance(left, dict | list) or not isinstance(right, dict | list)):
                raise NodeError(
                    f"The field '{key}' in item {index} is not an object. "
                    "It is not possible to use dot notation."
                )
            if nested and key not in skipped:
                skipped[key] = {first_name: {}, second_name: {}}
            for field in nested:
                inner = field.replace(f"{key}.", "", 1)
                for side, source in ((first_name, left), (second_name, right)):
                    value = get_path(source, inner)
                    if value is not UNDEFINED:  # lodash sets `undefined`, which JSON drops
                        set_path(skipped[key][side], inner, value)
                unset_path(left, inner)
                unset_path(right, inner)
            different[key] = {first_name: left, second_name: right}
        elif key in skip_fields:
            skipped[key] = {first_name: left, second_name: right}
        else:
            different[key] = {first_name: left, second_name: right}
    json_out: dict[str, Any] = {"keys": keys, "same": same, "different": different}
    if skipped:
        json_out["skipped"] = skipped
    return {"json": json_out}


__all__ = ["run_compare_datasets"]
