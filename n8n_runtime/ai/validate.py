"""A small JSON-schema validator for structured LLM output.

Covers what output-parser schemas use: type (with unions), properties, required,
additionalProperties: false, items, enum, const, minItems/maxItems, minimum/maximum, anyOf/oneOf.
Returns readable problems with the path at fault ("output.cities[1]: expected string, got number").
"""

from __future__ import annotations

from typing import Any

_TYPES: dict[str, Any] = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    "integer": lambda v: (
        (isinstance(v, int) and not isinstance(v, bool)) or (isinstance(v, float) and v.is_integer())
    ),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
}


def _type_name(value: Any) -> str:
    for name in ("null", "boolean", "object", "array", "string", "number"):
        if _TYPES[name](value):
            return name
    return type(value).__name__


def schema_problems(value: Any, schema: dict[str, Any], path: str = "output") -> list[str]:
    """Every way `value` breaks `schema`, as "<path>: <problem>" lines (empty: valid)."""
    if not isinstance(schema, dict) or not schema:
        return []
    for keyword in ("anyOf", "oneOf"):
        options = schema.get(keyword)
        if isinstance(options, list) and options:
            if not any(not schema_problems(value, option, path) for option in options):
                return [f"{path}: matches none of the allowed shapes"]
    expected = schema.get("type")
    if expected is not None:
        names = expected if isinstance(expected, list) else [expected]
        if not any(_TYPES.get(name, lambda _v: True)(value) for name in names):
            return [f"{path}: expected {' or '.join(names)}, got {_type_name(value)}"]
    problems: list[str] = []
    if "enum" in schema and value not in schema["enum"]:
        problems.append(f"{path}: {value!r} is not one of {schema['enum']!r}")
    if "const" in schema and value != schema["const"]:
        problems.append(f"{path}: must be {schema['const']!r}")
    if isinstance(value, dict):
        problems += _object_problems(value, schema, path)
    elif isinstance(value, list):
        item_schema = schema.get("items")
        if isinstance(item_schema, dict):
            for index, item in enumerate(value):
                problems += schema_problems(item, item_schema, f"{path}[{index}]")
        if isinstance(schema.get("minItems"), int) and len(value) < schema["minItems"]:
            problems.append(f"{path}: needs at least {schema['minItems']} items")
        if isinstance(schema.get("maxItems"), int) and len(value) > schema["maxItems"]:
            problems.append(f"{path}: allows at most {schema['maxItems']} items")
    elif _TYPES["number"](value):
        if isinstance(schema.get("minimum"), int | float) and value < schema["minimum"]:
            problems.append(f"{path}: below the minimum {schema['minimum']}")
        if isinstance(schema.get("maximum"), int | float) and value > schema["maximum"]:
            problems.append(f"{path}: above the maximum {schema['maximum']}")
    return problems


def _object_problems(value: dict[str, Any], schema: dict[str, Any], path: str) -> list[str]:
    problems: list[str] = []
    properties = schema.get("properties") or {}
    for name in schema.get("required") or []:
        if name not in value:
            problems.append(f"{path}: missing required field {name!r}")
    for name, child in value.items():
        if name in properties:
            problems += schema_problems(child, properties[name], f"{path}.{name}")
        elif schema.get("additionalProperties") is False:
            problems.append(f"{path}: unexpected field {name!r}")
    return problems


__all__ = ["schema_problems"]
