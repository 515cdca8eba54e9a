"""Compare a run with n8n's expected output, the way n8n's own test harness judges it.

Rules (../shared/n8n-corpus/README.md): expected output is `pinData` (one run per listed node);
actual output is output 0 of each run of the node (`null` for a run without data); per item
`pairedItem` is dropped unless asked for, an empty or unasserted `binary` is dropped, an error
object in `json.error` is reduced to `{message, name, description, context}`; equality is Jest's
`toEqual` (key order and undefined properties ignored, `1 == 1.0`, but `"2" != 2`, `true != 1`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from n8n_runtime.engine import RunData

Items = list[dict[str, Any]] | None
_ERROR_KEYS = ("message", "name", "description", "context")


def wrap_items(items: list[Any]) -> list[dict[str, Any]]:
    """Bare pinData items (without a `json` key) become `{"json": item}`."""
    return [i if isinstance(i, dict) and isinstance(i.get("json"), dict) else {"json": i} for i in items]


def expected_from_pin_data(pin_data: Mapping[str, list[Any]]) -> dict[str, list[Items]]:
    """`expected[node] = [pinData[node]]`: exactly one run per listed node."""
    return {node: [wrap_items(items)] for node, items in pin_data.items()}


def actual_runs(run_data: RunData, node: str) -> list[Items] | None:
    """Output 0 of every run of `node` (None per run without data); None if the node never ran."""
    if node not in run_data:
        return None
    runs: list[Items] = []
    for task in run_data[node]:
        data = task.get("data")
        if data is None:
            runs.append(None)
            continue
        main = data.get("main") or []
        runs.append(main[0] if main else None)
    return runs


def normalize_item(item: dict[str, Any], *, keep_paired: bool, keep_binary: bool) -> dict[str, Any]:
    """One item reduced to what the harness compares."""
    out = dict(item)
    if not keep_paired:
        out.pop("pairedItem", None)
    binary = out.get("binary")
    if not binary or not keep_binary:
        out.pop("binary", None)
    elif isinstance(binary, dict):
        out["binary"] = {
            k: {kk: vv for kk, vv in v.items() if kk != "directory"} if isinstance(v, dict) else v
            for k, v in binary.items()
        }
    json = out.get("json")
    if isinstance(json, dict) and isinstance(json.get("error"), dict):
        error = json["error"]
        out["json"] = {**json, "error": {k: error[k] for k in _ERROR_KEYS if k in error}}
    return out


def jest_equal(a: Any, b: Any) -> bool:
    """Jest `toEqual`: deep, undefined properties ignored, number types merged, others strict."""
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if isinstance(a, int | float) and isinstance(b, int | float):
        if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
            return True
        return a == b
    if isinstance(a, dict) and isinstance(b, dict):
        keys_a = {k for k, v in a.items() if not _is_undefined(v)}
        keys_b = {k for k, v in b.items() if not _is_undefined(v)}
        return keys_a == keys_b and all(jest_equal(a[k], b[k]) for k in keys_a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(jest_equal(x, y) for x, y in zip(a, b, strict=True))
    if type(a) is not type(b):
        return False
    return bool(a == b)


def _is_undefined(value: Any) -> bool:
    return type(value).__name__ in ("_Undefined", "Undefined", "JSUndefined")


@dataclass
class Comparison:
    """Per-node verdicts of one workflow run."""

    mismatches: dict[str, str] = field(default_factory=dict)
    matched: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.mismatches


def compare_runs(
    expected: Mapping[str, list[Items]],
    run_data: RunData,
    *,
    keep_paired: bool = False,
) -> Comparison:
    """Compare every listed node's runs with the expected ones."""
    result = Comparison()
    for node, expected_runs in expected.items():
        actual = actual_runs(run_data, node)
        if actual is None:
            result.mismatches[node] = "node did not run"
            continue
        verdict = _compare_node(expected_runs, actual, keep_paired=keep_paired)
        if verdict is None:
            result.matched.append(node)
        else:
            result.mismatches[node] = verdict
    return result


def _compare_node(expected: list[Items], actual: list[Items], *, keep_paired: bool) -> str | None:
    if len(expected) != len(actual):
        return f"expected {len(expected)} run(s), got {len(actual)}"
    for index, (want, got) in enumerate(zip(expected, actual, strict=True)):
        if want is None or got is None:
            if want is not got:
                return f"run {index}: expected {want!r}, got {got!r}"
            continue
        keep_binary = any(isinstance(i, dict) and i.get("binary") for i in want)
        want_n = [normalize_item(i, keep_paired=keep_paired, keep_binary=keep_binary) for i in want]
        got_n = [normalize_item(i, keep_paired=keep_paired, keep_binary=keep_binary) for i in got]
        if not jest_equal(want_n, got_n):
            return f"run {index}: expected {want_n!r}\n                got {got_n!r}"
    return None


def json_runs(run_data: RunData, node: str) -> list[list[Any] | None] | None:
    """n8n's engine-test view: per run, the `json` of each item of output 0 (None without data)."""
    runs = actual_runs(run_data, node)
    if runs is None:
        return None
    return [None if items is None else [item.get("json") for item in items] for items in runs]


__all__ = [
    "Comparison",
    "actual_runs",
    "compare_runs",
    "expected_from_pin_data",
    "jest_equal",
    "json_runs",
    "normalize_item",
    "wrap_items",
]
