"""How many main inputs/outputs a node has, from its typeVersion and (raw) parameters.

n8n computes some of these from parameters (Switch rules, Merge `numberInputs`, ...). n8n exports
omit parameters left at their default, so each rule falls back to n8n's default. A rule returns
`None` when the count depends on an expression (`"=..."`) and cannot be known at compile time;
the compiler then derives it from the connections.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

PortRule = Callable[[float, Mapping[str, Any]], int | None]


def fixed(count: int) -> PortRule:
    """A rule that always answers `count`."""

    def rule(version: float, params: Mapping[str, Any]) -> int | None:
        return count

    return rule


def _is_expression(value: Any) -> bool:
    return isinstance(value, str) and value.startswith("=")


def _count(value: Any) -> int | None:
    if _is_expression(value) or isinstance(value, bool):
        return None
    try:
        return max(0, int(value))
    except (TypeError, ValueError):
        return None


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def switch_outputs(version: float, params: Mapping[str, Any]) -> int | None:
    """Switch v1: 4 fixed; v2: rules or `outputsAmount`; v3+: rules (+ extra fallback) or `numberOutputs`."""
    if version < 2:
        return 4
    mode = params.get("mode", "rules")
    if _is_expression(mode):
        return None
    if mode == "expression":
        return _count(params.get("outputsAmount" if version < 3 else "numberOutputs", 4))
    rules_param = params.get("rules")
    if _is_expression(rules_param):
        return None
    if version < 3:
        rules = _mapping(rules_param).get("rules", [])
        extra = 0
    else:
        # v3 default: one (empty) rule, so an absent `rules` means one output.
        rules = [{}] if rules_param is None else _mapping(rules_param).get("values", [])
        extra = 1 if _mapping(params.get("options")).get("fallbackOutput") == "extra" else 0
    if not isinstance(rules, list):
        return None
    # With no rules n8n still returns one (empty) output.
    return max(1, len(rules) + extra)


def filter_outputs(version: float, params: Mapping[str, Any]) -> int | None:
    """Filter v2+ returns [kept, discarded]; only `kept` is connectable in the editor."""
    return 1 if version < 2 else 2


def split_in_batches_outputs(version: float, params: Mapping[str, Any]) -> int | None:
    """v1: one output; v2: 0 = loop, 1 = done; v3 (Loop Over Items): 0 = done, 1 = loop."""
    return 1 if version < 2 else 2


def webhook_outputs(version: float, params: Mapping[str, Any]) -> int | None:
    """Webhook with "Allow Multiple HTTP Methods" has one output per method."""
    multiple = params.get("multipleMethods", False)
    if _is_expression(multiple):
        return None
    if multiple is not True:
        return 1
    methods = params.get("httpMethod", ["GET", "POST"])
    return len(methods) if isinstance(methods, list) and methods else None


def respond_to_webhook_outputs(version: float, params: Mapping[str, Any]) -> int | None:
    """Respond to Webhook v1.4+ may add a second output carrying the sent response."""
    return 2 if version >= 1.4 and params.get("enableResponseOutput") is True else 1


def merge_inputs(version: float, params: Mapping[str, Any]) -> int | None:
    """Merge v1/v2 have two inputs; v3+ has `numberInputs` (default 2)."""
    if version < 3:
        return 2
    return _count(params.get("numberInputs", 2))


__all__ = [
    "PortRule",
    "filter_outputs",
    "fixed",
    "merge_inputs",
    "respond_to_webhook_outputs",
    "split_in_batches_outputs",
    "switch_outputs",
    "webhook_outputs",
]
