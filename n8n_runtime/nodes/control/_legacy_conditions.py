"""The compare operations of If v1, Filter v1 and Switch v1/v2 (n8n's `compareOperationFunctions`).

Each is the JavaScript one-liner from n8n with JS coercion: `larger` is `(v1 || 0) > (v2 || 0)`,
`equal` is `===`, `contains` stringifies, `startsWith` calls the method on value1 (a TypeError for
non-strings, surfaced as a NodeError).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from n8n_runtime.jsvalues import (
    compare,
    is_nullish,
    is_number,
    strict_equal,
    to_string,
    truthy,
    typeof,
)
from n8n_runtime.nodes.base import NodeError
from n8n_runtime.nodes.control._dates import js_date_ms
from n8n_runtime.nodes.control._jsregex import LITERAL, JSRegexError, compile_js

Compare = Callable[[Any, Any], bool]

# Per data type, the operation n8n uses when the export omits it (the parameter's default).
DEFAULT_OPERATION = {"boolean": "equal", "dateTime": "after", "number": "smaller", "string": "equal"}
# Per data type, the default of value1 / value2 (n8n fills them in when absent).
DEFAULT_VALUE = {"boolean": False, "dateTime": "", "number": 0, "string": ""}


def _or(value: Any, fallback: Any) -> Any:
    return value if truthy(value) else fallback


def _string_method(value: Any, name: str) -> str:
    if not isinstance(value, str):
        if is_nullish(value):
            raise NodeError(f"Cannot read properties of {to_string(value)} (reading '{name}')")
        raise NodeError(f"value1.{name} is not a function")
    return value


def _starts(a: Any, b: Any) -> bool:
    return _string_method(a, "startsWith").startswith(to_string(b))


def _ends(a: Any, b: Any) -> bool:
    return _string_method(a, "endsWith").endswith(to_string(b))


def _is_empty(value: Any) -> bool:
    if is_nullish(value) or (isinstance(value, str) and value == ""):
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    if isinstance(value, dict | list):
        return len(value) == 0
    return False


def regex_matches(value1: Any, value2: Any) -> bool:
    """`(value1 || '').toString().match(regex)` with n8n's `/source/flags` handling."""
    text = to_string(_or(value2, ""))
    literal = LITERAL.match(text)
    try:
        pattern = compile_js(literal.group(1), literal.group(2)) if literal else compile_js(text)
    except JSRegexError as exc:
        raise NodeError(str(exc)) from exc
    return pattern.search(to_string(_or(value1, ""))) is not None


OPERATIONS: dict[str, Compare] = {
    "after": lambda a, b: compare(_or(a, 0), _or(b, 0), ">"),
    "before": lambda a, b: compare(_or(a, 0), _or(b, 0), "<"),
    "contains": lambda a, b: to_string(_or(b, "")) in to_string(_or(a, "")),
    "notContains": lambda a, b: to_string(_or(b, "")) not in to_string(_or(a, "")),
    "endsWith": _ends,
    "notEndsWith": lambda a, b: not _ends(a, b),
    "equal": strict_equal,
    "notEqual": lambda a, b: not strict_equal(a, b),
    "larger": lambda a, b: compare(_or(a, 0), _or(b, 0), ">"),
    "largerEqual": lambda a, b: compare(_or(a, 0), _or(b, 0), ">="),
    "smaller": lambda a, b: compare(_or(a, 0), _or(b, 0), "<"),
    "smallerEqual": lambda a, b: compare(_or(a, 0), _or(b, 0), "<="),
    "startsWith": _starts,
    "notStartsWith": lambda a, b: not _starts(a, b),
    "isEmpty": lambda a, b: _is_empty(a),
    "isNotEmpty": lambda a, b: not _is_empty(a),
    "regex": regex_matches,
    "notRegex": lambda a, b: not regex_matches(a, b),
}


def convert_date_time(value: Any) -> float:
    """n8n's convertDateTime: strings via `new Date()`, numbers as they are, else an error."""
    if isinstance(value, str) or is_number(value) or typeof(value) == "object":
        ms = js_date_ms(value)
        if not (isinstance(ms, float) and math.isnan(ms)) and not is_nullish(value):
            return ms
    raise NodeError(f'The value "{to_string(value)}" is not a valid DateTime.')


def run_operation(operation: str, value1: Any, value2: Any) -> bool:
    """Apply one n8n compare operation (unknown operations are a node error, as in n8n)."""
    function = OPERATIONS.get(operation)
    if function is None:
        raise NodeError(f"compareOperationFunctions[{operation!r}] is not a function")
    return function(value1, value2)


def with_defaults(data_type: str, condition: dict[str, Any]) -> dict[str, Any]:
    """A condition entry with n8n's parameter defaults filled in."""
    filled = {"value1": DEFAULT_VALUE[data_type], "operation": DEFAULT_OPERATION[data_type]}
    if data_type != "string" or condition.get("operation") not in ("isEmpty", "isNotEmpty"):
        filled["value2"] = DEFAULT_VALUE[data_type]
    filled.update(condition)
    return filled


__all__ = [
    "DEFAULT_OPERATION",
    "DEFAULT_VALUE",
    "OPERATIONS",
    "convert_date_time",
    "regex_matches",
    "run_operation",
    "with_defaults",
]
