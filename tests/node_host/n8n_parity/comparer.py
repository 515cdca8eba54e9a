"""One comparer for Hive's run data against real n8n's recorded run data.

Both sides go through the same normalisation, and only values that must differ between two runs
of the same workflow are rewritten; each rule says why. Everything else (every JSON field, every
binary field, `pairedItem`, item order, the number of runs and outputs) must be equal.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

Path = tuple[str | int, ...]


@dataclass(frozen=True)
class Rule:
    """Rewrite a value found at a matching path, for a stated reason."""

    name: str
    reason: str
    matches: Callable[[Path], bool]
    placeholder: str


def _binary_field(field: str) -> Callable[[Path], bool]:
    # ..., "binary", <property>, field
    return lambda path: len(path) >= 3 and path[-3] == "binary" and path[-1] == field


def _key(*keys: str) -> Callable[[Path], bool]:
    return lambda path: bool(path) and path[-1] in keys


RULES: tuple[Rule, ...] = (
    Rule(
        "binary id",
        "n8n-core names each stored file `filesystem-v2:workflows/<wf>/executions/<exec>/binary_data/"
        "<uuid>`: a new UUID and execution id on every run",
        _binary_field("id"),
        "<binary id>",
    ),
    Rule(
        "mail message id",
        "nodemailer gives every mail a new random Message-ID",
        _key("messageId"),
        "<message id>",
    ),
    Rule(
        "SMTP durations",
        "nodemailer reports how many ms the SMTP envelope and message took: a clock reading",
        _key("envelopeTime", "messageTime"),
        "<ms>",
    ),
)


def restore_placeholders(value: Any, values: Mapping[str, str]) -> Any:
    """Write each run-specific value back as its placeholder (e.g. a free port → `__BASE_URL__`).

    Workflows name their local servers, temp folders and unique table/queue names by placeholder
    (`__BASE_URL__`, `__FILES__`, `__SUFFIX__`...): each run fills in its own, so that parallel
    runs never share a port, folder or table.
    """
    if isinstance(value, str):
        # Longest first: a base URL contains its port, which may be a placeholder of its own.
        for placeholder, actual in sorted(values.items(), key=lambda kv: -len(kv[1])):
            if actual:
                value = value.replace(actual, placeholder)
        return value
    if isinstance(value, list):
        return [restore_placeholders(v, values) for v in value]
    if isinstance(value, dict):
        # Keys too: Redis' INCR answers {<key>: <count>}.
        return {restore_placeholders(k, values): restore_placeholders(v, values) for k, v in value.items()}
    return value


def normalise(value: Any, path: Path = ()) -> Any:
    """Apply RULES to every value of `value` (run data of one workflow run)."""
    for rule in RULES:
        if path and rule.matches(path):
            return rule.placeholder
    if isinstance(value, list):
        return [normalise(v, (*path, i)) for i, v in enumerate(value)]
    if isinstance(value, dict):
        return {k: normalise(v, (*path, k)) for k, v in value.items()}
    return value


def differences(expected: Any, actual: Any, path: Path = ()) -> list[str]:
    """Where `actual` differs from `expected`, one line each (empty: equal)."""
    where = "/".join(str(p) for p in path) or "<root>"
    if isinstance(expected, dict) and isinstance(actual, dict):
        found = [f"{where}: n8n has {k!r}, Hive lacks it" for k in expected if k not in actual]
        found += [
            f"{where}: Hive has {k!r} = {actual[k]!r}, n8n lacks it" for k in actual if k not in expected
        ]
        for k in expected:
            if k in actual:
                found += differences(expected[k], actual[k], (*path, k))
        return found
    if isinstance(expected, list) and isinstance(actual, list):
        if len(expected) != len(actual):
            return [f"{where}: n8n has {len(expected)} entries, Hive {len(actual)}: {actual!r}"]
        return [
            d
            for i, (e, a) in enumerate(zip(expected, actual, strict=True))
            for d in differences(e, a, (*path, i))
        ]
    if _same_scalar(expected, actual):
        return []
    return [f"{where}: n8n {expected!r}, Hive {actual!r}"]


def _same_scalar(expected: Any, actual: Any) -> bool:
    numbers = (int, float)
    if isinstance(expected, numbers) and isinstance(actual, numbers):
        # JSON has one number type: n8n's 7 may come back as 7.0 through Python (bools are not numbers).
        return isinstance(expected, bool) is isinstance(actual, bool) and expected == actual
    return type(expected) is type(actual) and expected == actual


def compact_run_data(run_data: Mapping[str, list[dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
    """Per node, per run: its output items (`main`) or its error message; no timings or sources."""
    compact: dict[str, list[dict[str, Any]]] = {}
    for node, runs in run_data.items():
        compact[node] = []
        for run in runs:
            entry: dict[str, Any] = {"main": (run.get("data") or {}).get("main")}
            if run.get("error"):
                entry["error"] = run["error"].get("message")
            compact[node].append(entry)
    return compact


def compare_runs(
    recorded: Mapping[str, Any], hive_run_data: Mapping[str, list[dict[str, Any]]], values: Mapping[str, str]
) -> list[str]:
    """Hive's run data (with this run's placeholder `values`) against a recorded fixture's `run_data`."""
    expected = normalise(recorded)
    actual = normalise(restore_placeholders(compact_run_data(hive_run_data), values))
    return differences(expected, actual)


__all__ = [
    "RULES",
    "Rule",
    "compact_run_data",
    "compare_runs",
    "differences",
    "normalise",
    "restore_placeholders",
]
