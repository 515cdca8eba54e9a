"""JavaScript value semantics over JSON-like Python values, shared by the control and data nodes.

n8n's nodes are JavaScript: `typeof`, `String(x)`, `Number(x)`, `JSON.stringify`, `<`, `===` and
lodash `isEqual`/`lt` behave differently from their Python look-alikes (`True == 1`,
`str(1.0) == "1.0"`), so node code goes through these helpers to match n8n's outputs byte for byte.
`UNDEFINED` stands for JS `undefined` (a missing property), distinct from `None` (JSON `null`).
"""

from __future__ import annotations

import json
import math
import re
from typing import Any, Final


class _Undefined:
    """JS `undefined`: a singleton that is falsy and never equal to `None`."""

    _instance: _Undefined | None = None

    def __new__(cls) -> _Undefined:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __bool__(self) -> bool:
        return False

    def __repr__(self) -> str:
        return "undefined"


UNDEFINED: Final = _Undefined()


def is_undefined(value: Any) -> bool:
    """`value === undefined`."""
    return value is UNDEFINED


def is_nullish(value: Any) -> bool:
    """`value == null` (`null` or `undefined`)."""
    return value is None or value is UNDEFINED


def is_number(value: Any) -> bool:
    """`typeof value === "number"` (bools excluded)."""
    return isinstance(value, int | float) and not isinstance(value, bool)


def is_integer(value: Any) -> bool:
    """`Number.isInteger`."""
    return is_number(value) and math.isfinite(value) and float(value).is_integer()


def typeof(value: Any) -> str:
    """JS `typeof` for JSON-like values (dates and other objects are "object")."""
    if value is UNDEFINED:
        return "undefined"
    if isinstance(value, bool):
        return "boolean"
    if is_number(value):
        return "number"
    if isinstance(value, str):
        return "string"
    return "object"


def truthy(value: Any) -> bool:
    """JS truthiness."""
    if is_nullish(value):
        return False
    if isinstance(value, bool):
        return value
    if is_number(value):
        return not (value == 0 or math.isnan(value))
    if isinstance(value, str):
        return value != ""
    return True


def number_to_string(value: float) -> str:
    """`String(n)` for a JS number: `1.0` → `"1"`, `1e21` → `"1e+21"`, `1e-7` → `"1e-7"`."""
    if isinstance(value, int):
        if abs(value) < 10**21:
            return str(value)
        value = float(value)
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    if value.is_integer() and abs(value) < 1e21:
        return str(int(value))
    text = repr(value)
    if "e" not in text:
        # Python switches to exponent form at 1e16; JS only at 1e21 (handled above) and below 1e-6.
        return text
    mantissa, exponent = text.split("e")
    exp = int(exponent)
    if -7 < exp < 21:
        sign = "-" if mantissa.startswith("-") else ""
        body = mantissa.lstrip("-")
        point = body.find(".")
        digits = body.replace(".", "")
        int_len = (point if point >= 0 else len(body)) + exp
        if int_len <= 0:
            return f"{sign}0.{'0' * -int_len}{digits}"
        if int_len >= len(digits):
            return sign + digits + "0" * (int_len - len(digits))
        return f"{sign}{digits[:int_len]}.{digits[int_len:]}"
    return f"{mantissa}e{'+' if exp > 0 else '-'}{abs(exp)}"


def to_string(value: Any) -> str:
    """`String(value)`."""
    if value is UNDEFINED:
        return "undefined"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if is_number(value):
        return number_to_string(value)
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return ",".join("" if is_nullish(v) else to_string(v) for v in value)
    if hasattr(value, "isoformat") and not isinstance(value, dict):
        return str(value)
    return "[object Object]"


def json_stringify(value: Any) -> str:
    """`JSON.stringify(value)` (compact, JS number formatting, undefined properties dropped)."""
    if isinstance(value, dict):
        inner = ",".join(
            f"{json.dumps(str(k), ensure_ascii=False)}:{json_stringify(v)}"
            for k, v in value.items()
            if v is not UNDEFINED
        )
        return "{" + inner + "}"
    if isinstance(value, list):
        return "[" + ",".join("null" if v is UNDEFINED else json_stringify(v) for v in value) + "]"
    if is_number(value):
        return number_to_string(value) if math.isfinite(value) else "null"
    if isinstance(value, bool | str) or value is None:
        return json.dumps(value, ensure_ascii=False)
    return json.dumps(to_string(value), ensure_ascii=False)


_NUMERIC = re.compile(r"[+-]?(?:\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?|Infinity)")
_RADIX = (
    (re.compile(r"0[xX][0-9a-fA-F]+"), 16),
    (re.compile(r"0[bB][01]+"), 2),
    (re.compile(r"0[oO][0-7]+"), 8),
)


def to_number(value: Any) -> float:
    """`Number(value)`; NaN when not numeric."""
    if value is UNDEFINED:
        return math.nan
    if value is None:
        return 0
    if isinstance(value, bool):
        return 1 if value else 0
    if is_number(value):
        return value  # type: ignore[no-any-return]
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return 0
        for pattern, base in _RADIX:
            if pattern.fullmatch(text):
                return int(text, base)
        if _NUMERIC.fullmatch(text):
            number = float(text)
            return int(number) if number.is_integer() and abs(number) < 2**53 else number
        return math.nan
    if isinstance(value, list):
        return to_number(to_string(value)) if len(value) <= 1 else math.nan
    return math.nan


def is_nan_number(value: Any) -> bool:
    """`Number.isNaN(Number(value))`."""
    number = to_number(value)
    return isinstance(number, float) and math.isnan(number)


def _utf16(text: str) -> bytes:
    # JS compares strings by UTF-16 code units, which differs from code points above the BMP.
    return text.encode("utf-16-be")


_OPS: Final = {
    "<": lambda x, y: x < y,
    "<=": lambda x, y: x <= y,
    ">": lambda x, y: x > y,
    ">=": lambda x, y: x >= y,
}


def _relational(x: Any, y: Any, op: str) -> bool:
    """Abstract relational comparison of two primitives: strings by code units, else as numbers."""
    if isinstance(x, str) and isinstance(y, str):
        return bool(_OPS[op](_utf16(x), _utf16(y)))
    nx, ny = to_number(x), to_number(y)
    if math.isnan(nx) or math.isnan(ny):
        return False
    return bool(_OPS[op](nx, ny))


def _to_primitive(value: Any) -> Any:
    """ToPrimitive with the number hint (objects become their string form, dates their time)."""
    if isinstance(value, list | dict):
        return to_string(value)
    if hasattr(value, "timestamp") and callable(value.timestamp):
        return value.timestamp() * 1000
    return value


def compare(a: Any, b: Any, op: str) -> bool:
    """JS relational operators `<`, `<=`, `>`, `>=` with JS coercion."""
    return _relational(_to_primitive(a), _to_primitive(b), op)


def js_lt(a: Any, b: Any) -> bool:
    """lodash `lt`: string comparison when both are strings, otherwise `Number()` of each.

    Unlike JS `<` (see :func:`compare`), arrays are not compared as their string forms.
    """
    return _relational(a, b, "<")


def js_gt(a: Any, b: Any) -> bool:
    """lodash `gt`, with the same coercions as :func:`js_lt`."""
    return js_lt(b, a)


def strict_equal(a: Any, b: Any) -> bool:
    """`a === b` (objects compare by identity)."""
    if is_undefined(a) or is_undefined(b):
        return is_undefined(a) and is_undefined(b)
    if is_number(a) and is_number(b):
        return bool(a == b)
    if type(a) is not type(b):
        return False
    if isinstance(a, list | dict):
        return a is b
    return bool(a == b)


def is_equal(a: Any, b: Any) -> bool:
    """lodash `isEqual`: deep, key order ignored, `1 == 1.0` but `true != 1`."""
    if is_number(a) and is_number(b):
        if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
            return True
        return bool(a == b)
    if isinstance(a, dict) and isinstance(b, dict):
        keys = {k for k, v in a.items() if v is not UNDEFINED}
        if keys != {k for k, v in b.items() if v is not UNDEFINED}:
            return False
        return all(is_equal(a[k], b[k]) for k in keys)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(is_equal(x, y) for x, y in zip(a, b, strict=True))
    return strict_equal(a, b)


__all__ = [
    "UNDEFINED",
    "compare",
    "is_equal",
    "is_integer",
    "is_nan_number",
    "is_nullish",
    "is_number",
    "is_undefined",
    "js_gt",
    "js_lt",
    "json_stringify",
    "number_to_string",
    "strict_equal",
    "to_number",
    "to_string",
    "truthy",
    "typeof",
]
