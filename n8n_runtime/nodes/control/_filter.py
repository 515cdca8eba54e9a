"""n8n's filter parameter (If v2+, Filter v2+, Switch v3+): `executeFilter` from n8n-workflow.

A filter value is `{options: {caseSensitive, typeValidation, version}, conditions: [{leftValue,
rightValue, operator: {type, operation, rightType?, singleValue?}}], combinator: "and" | "or"}`,
with expressions already resolved for the item. Values are first validated against the operator
type (strictly, or converted when `typeValidation` is "loose"), with n8n's error messages.
"""

from __future__ import annotations

import json
import math
from datetime import tzinfo
from typing import Any

from n8n_runtime.jsvalues import (
    UNDEFINED,
    compare,
    is_nullish,
    is_number,
    json_stringify,
    strict_equal,
    to_number,
    to_string,
    truthy,
    typeof,
)
from n8n_runtime.nodes.base import NodeError
from n8n_runtime.nodes.control._dates import luxon_ms
from n8n_runtime.nodes.control._jsregex import JSRegexError, from_parameter

ENABLE_LESS_STRICT = (
    "Try changing the type of comparison. Alternatively you can enable 'Convert types where required'."
)
LOOSE_HINT = "Try changing the type of the comparison."


class FilterError(NodeError):
    """A condition's value does not fit the comparison type (n8n's FilterError)."""


class _Invalid:
    """Marker for a value that failed type validation."""


INVALID = _Invalid()


def _parse_json_like(text: str) -> Any:
    """n8n's `jsonParse(text, {acceptJSObject: true})` (JS object notation is accepted too)."""
    try:
        return json.loads(text)
    except ValueError:
        pass
    import re

    converted = re.sub(r"(['\"])?([a-zA-Z0-9_]+)(['\"])?\s*:", r'"\2":', text).replace("'", '"')
    return json.loads(converted)


def validate_field_type(
    value: Any, field_type: str, *, strict: bool, parse_strings: bool, zone: tzinfo
) -> Any:
    """n8n-workflow's validateFieldType: the converted value, or INVALID."""
    if is_nullish(value):
        return UNDEFINED
    kind = field_type.lower()
    if kind == "string":
        if not parse_strings:
            return value
        if strict and not isinstance(value, str):
            return INVALID
        if isinstance(value, dict | list):
            return json_stringify(value)
        return to_string(value)
    if kind == "number":
        if strict and not is_number(value):
            return INVALID
        number = to_number(value)
        return INVALID if isinstance(number, float) and math.isnan(number) else number
    if kind == "boolean":
        if strict and not isinstance(value, bool):
            return INVALID
        return _parse_boolean(value)
    if kind == "datetime":
        ms = luxon_ms(value, zone)
        return INVALID if ms is None else ms
    if kind == "object":
        if strict and not isinstance(value, dict | list):
            return INVALID
        if isinstance(value, dict):
            return value
        try:
            parsed = _parse_json_like(to_string(value))
        except ValueError:
            return INVALID
        return parsed if isinstance(parsed, dict) else INVALID
    if kind == "array":
        if strict and not isinstance(value, list):
            return INVALID
        if isinstance(value, list):
            return value
        text = to_string(value)
        for candidate in (text, text.replace("'", '"')):
            try:
                parsed = json.loads(candidate)
            except ValueError:
                continue
            return parsed if isinstance(parsed, list) else INVALID
        return INVALID
    return value


def _parse_boolean(value: Any) -> Any:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    if not (isinstance(value, str) and value.strip() == ""):
        number = to_number(value)
        if number == 0:
            return False
        if number == 1:
            return True
    return INVALID


def _parse_single(value: Any, value_type: str, strict: bool, version: int, zone: tzinfo) -> Any:
    if value_type == "any" or is_nullish(value):
        return value
    if value_type == "boolean" and not strict:
        if version >= 2:
            result = validate_field_type(value, value_type, strict=False, parse_strings=False, zone=zone)
            if result is not INVALID:
                return result
        return truthy(value)
    if value_type == "number" and isinstance(value, float) and math.isnan(value):
        return value
    return validate_field_type(value, value_type, strict=strict, parse_strings=True, zone=zone)


def _article(noun: str) -> str:
    return f"{'an' if noun[:1] in 'aeiou' else 'a'} {noun}"


def _type_error(strict: bool, expected: str, value: Any, position: str, suffix: str) -> FilterError:
    from_type = typeof(value).lower()
    shown = to_string(value)
    if strict:
        message = (
            f"Wrong type: '{shown}' is {_article(from_type)} but was expecting {_article(expected)} {suffix}"
        )
    else:
        message = (
            f"Conversion error: the {from_type} '{shown}' can't be converted to {_article(expected)} {suffix}"
        )
    conversion = {"string": ".toString()", "number": ".toNumber()", "boolean": ".toBoolean()"}.get(expected)
    if strict and conversion:
        description = (
            "\n<p>Try either:</p>\n<ol>\n  <li>Enabling 'Convert types where required'</li>\n"
            f"  <li>Converting the {position} field to {_article(expected)} by adding "
            f"<code>{conversion}</code></li>\n</ol>\n\t\t\t"
        )
    else:
        description = ENABLE_LESS_STRICT if strict else LOOSE_HINT
    return FilterError(message, description=description)


def _parse_values(
    condition: dict[str, Any], options: dict[str, Any], index: int, item_index: int, zone: tzinfo
) -> tuple[Any, Any]:
    operator = condition.get("operator") or {}
    op_type = operator.get("type", "string")
    right_type = operator.get("rightType") or op_type
    strict = options.get("typeValidation") == "strict"
    version = options.get("version") or 1
    left_raw = condition.get("leftValue", UNDEFINED)
    right_raw = condition.get("rightValue", UNDEFINED)
    left = _parse_single(left_raw, op_type, strict, version, zone)
    right = _parse_single(right_raw, right_type, strict, version, zone)
    left_ok = left is not INVALID
    right_ok = right is not INVALID or bool(operator.get("singleValue"))
    suffix = f"[condition {index}, item {item_index}]"
    if not left_ok and not right_ok and typeof(left_raw) == typeof(right_raw):
        return _raise(
            FilterError(
                f"Comparison type expects {_article(op_type)} "
                f"but both fields are {_article(typeof(left_raw))}",
                description=ENABLE_LESS_STRICT if strict else LOOSE_HINT,
            )
        )
    if not left_ok:
        return _raise(_type_error(strict, op_type, left_raw, "first", suffix))
    if not right_ok:
        return _raise(_type_error(strict, right_type, right_raw, "second", suffix))
    return left, (right if right is not INVALID else UNDEFINED)


def _raise(error: FilterError) -> tuple[Any, Any]:
    raise error


def _contains(array: list[Any], value: Any, ignore_case: bool) -> bool:
    if ignore_case and isinstance(value, str):
        lowered = value.lower()
        return any(isinstance(item, str) and item.lower() == lowered for item in array)
    if isinstance(value, float) and math.isnan(value):
        return any(isinstance(item, float) and math.isnan(item) for item in array)
    return any(strict_equal(item, value) for item in array)


def execute_condition(
    condition: dict[str, Any], options: dict[str, Any], *, index: int = 0, item_index: int = 0, zone: tzinfo
) -> bool:
    """n8n's executeFilterCondition for one resolved condition."""
    ignore_case = not options.get("caseSensitive")
    operator = condition.get("operator") or {}
    op_type = operator.get("type", "string")
    operation = operator.get("operation", "equals")
    left, right = _parse_values(condition, options, index, item_index, zone)
    exists = not is_nullish(left) and not (isinstance(left, float) and math.isnan(left))
    if operation == "exists":
        return exists
    if operation == "notExists":
        return not exists
    if op_type == "string":
        return _string_op(operation, left, right, ignore_case)
    if op_type == "number":
        return _ordered_op(operation, left, right, exists)
    if op_type == "dateTime":
        if operation in ("empty", "notEmpty"):
            return (not exists) if operation == "empty" else exists
        if is_nullish(left) or is_nullish(right):
            return False
        return _ordered_op(
            {"after": "gt", "before": "lt", "afterOrEquals": "gte", "beforeOrEquals": "lte"}.get(
                operation, operation
            ),
            left,
            right,
            exists,
        )
    if op_type == "boolean":
        return _boolean_op(operation, left, right, exists)
    if op_type == "array":
        return _array_op(operation, left, right, ignore_case)
    if op_type == "object":
        if operation == "empty":
            return not truthy(left) or (isinstance(left, dict | list) and len(left) == 0)
        if operation == "notEmpty":
            return truthy(left) and not (isinstance(left, dict | list) and len(left) == 0)
    return False


def _string_op(operation: str, left: Any, right: Any, ignore_case: bool) -> bool:
    if ignore_case and operation not in ("regex", "notRegex"):
        left = left.lower() if isinstance(left, str) else left
        right = right.lower() if isinstance(right, str) else right
    text = "" if is_nullish(left) else left
    other = "" if is_nullish(right) else right
    if operation in ("regex", "notRegex"):
        try:
            matched = from_parameter(to_string(other), ignore_case=ignore_case).search(to_string(text))
        except JSRegexError as exc:
            raise NodeError(str(exc)) from exc
        return (matched is not None) == (operation == "regex")
    text, other = to_string(text), to_string(other)
    checks = {
        "empty": lambda: len(text) == 0,
        "notEmpty": lambda: len(text) != 0,
        "equals": lambda: text == other,
        "notEquals": lambda: text != other,
        "contains": lambda: other in text,
        "notContains": lambda: other not in text,
        "startsWith": lambda: text.startswith(other),
        "notStartsWith": lambda: not text.startswith(other),
        "endsWith": lambda: text.endswith(other),
        "notEndsWith": lambda: not text.endswith(other),
    }
    check = checks.get(operation)
    return bool(check()) if check else False


def _ordered_op(operation: str, left: Any, right: Any, exists: bool) -> bool:
    if operation == "empty":
        return not exists
    if operation == "notEmpty":
        return exists
    if operation == "equals":
        return strict_equal(left, right)
    if operation == "notEquals":
        return not strict_equal(left, right)
    symbol = {"gt": ">", "lt": "<", "gte": ">=", "lte": "<="}.get(operation)
    return compare(left, right, symbol) if symbol else False


def _boolean_op(operation: str, left: Any, right: Any, exists: bool) -> bool:
    if operation == "empty":
        return not exists
    if operation == "notEmpty":
        return exists
    if operation == "true":
        return truthy(left)
    if operation == "false":
        return not truthy(left)
    if operation == "equals":
        return strict_equal(left, right)
    if operation == "notEquals":
        return not strict_equal(left, right)
    return False


def _array_op(operation: str, left: Any, right: Any, ignore_case: bool) -> bool:
    items = [] if is_nullish(left) else left
    length = len(items) if isinstance(items, list | str) else 0
    if operation == "contains":
        return _contains(items if isinstance(items, list) else [], right, ignore_case)
    if operation == "notContains":
        return not _contains(items if isinstance(items, list) else [], right, ignore_case)
    if operation == "empty":
        return length == 0
    if operation == "notEmpty":
        return length != 0
    symbol = {"lengthGt": ">", "lengthLt": "<", "lengthGte": ">=", "lengthLte": "<="}.get(operation)
    if symbol:
        return compare(length, right, symbol)
    if operation == "lengthEquals":
        return is_number(right) and length == right
    if operation == "lengthNotEquals":
        return not (is_number(right) and length == right)
    return False


def execute_filter(value: Any, *, item_index: int = 0, zone: tzinfo) -> bool:
    """Whether an item passes the resolved filter value (n8n's executeFilter)."""
    if not isinstance(value, dict) or not isinstance(value.get("conditions"), list):
        # n8n's isFilterValue fails: extractValue returns the raw value, which is truthy.
        return truthy(value)
    raw_options = value.get("options")
    options: dict[str, Any] = raw_options if isinstance(raw_options, dict) else {}
    combinator = value.get("combinator", "and")
    conditions = [c for c in value["conditions"] if isinstance(c, dict)]
    results = (
        execute_condition(c, options, index=i, item_index=item_index, zone=zone)
        for i, c in enumerate(conditions)
    )
    if combinator == "and":
        return all(results)
    if combinator == "or":
        return any(results)
    return False


__all__ = ["FilterError", "execute_condition", "execute_filter", "validate_field_type"]
