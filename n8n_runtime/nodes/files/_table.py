"""Items ↔ rows the way SheetJS does it (``json_to_sheet`` / ``sheet_to_json``) for n8n's file nodes."""

from __future__ import annotations

import math
from typing import Any

Cell = str | int | float | bool | None

__all__ = ["Cell", "cell_text", "flatten_object", "items_to_table", "js_number", "rows_to_json"]


def flatten_object(data: Any) -> dict[str, Any]:
    """n8n's ``flattenObject``: nested objects and arrays become ``a.b`` / ``list.0`` keys."""
    result: dict[str, Any] = {}
    entries = data.items() if isinstance(data, dict) else enumerate(data or [])
    for key, value in entries:
        if isinstance(value, dict | list):
            for sub, inner in flatten_object(value).items():
                result[f"{key}.{sub}"] = inner
        else:
            result[str(key)] = value
    return result


def items_to_table(rows: list[dict[str, Any]], header_row: bool = True) -> list[list[Cell]]:
    """SheetJS ``json_to_sheet``: a header of every key in first-seen order, then one row per object."""
    header: list[str] = []
    seen: set[str] = set()
    for row in rows:
        for key in row:
            if key not in seen:
                seen.add(key)
                header.append(key)
    table: list[list[Cell]] = [list(header)] if header_row else []
    for row in rows:
        table.append([_cell(row.get(key)) if key in row else None for key in header])
    return table


def _cell(value: Any) -> Cell:
    if value is None or isinstance(value, str | bool | int | float):
        return value
    return str(value)


def js_number(value: float) -> str:
    """A number as JavaScript prints it (``2`` not ``2.0``)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    if value.is_integer() and abs(value) < 1e21:
        return str(int(value))
    text = repr(value)
    if "e" in text:
        mantissa, exponent = text.split("e")
        sign = "-" if exponent.startswith("-") else "+"
        return f"{mantissa}e{sign}{exponent.lstrip('+-').lstrip('0') or '0'}"
    return text


def cell_text(value: Cell) -> str:
    """A cell as SheetJS's General format writes it (TRUE/FALSE for booleans)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float):
        return js_number(value)
    return value


def _header_names(row: list[Cell]) -> list[str]:
    names: list[str] = []
    counts: dict[str, int] = {}
    for value in row:
        name = cell_text(value) if value not in (None, "") else "__EMPTY"
        if name in counts:
            counts[name] += 1
            unique = f"{name}_{counts[name]}"
            while unique in counts:
                counts[name] += 1
                unique = f"{name}_{counts[name]}"
            counts[unique] = 0
            name = unique
        else:
            counts[name] = 0
        names.append(name)
    return names


def rows_to_json(
    rows: list[list[Cell]],
    *,
    header_row: bool = True,
    include_empty: bool = False,
) -> list[Any]:
    """SheetJS ``sheet_to_json``: objects keyed by the first row, or arrays (``header: 1``)."""
    width = max((len(r) for r in rows), default=0)
    if not header_row:
        out: list[Any] = []
        for row in rows:
            values = [("" if include_empty else None) if v in (None, "") else v for v in row]
            values += [("" if include_empty else None)] * (width - len(values))
            out.append(values)
        return out
    if not rows:
        return []
    header = _header_names(rows[0] + [None] * (width - len(rows[0])))
    result: list[Any] = []
    for row in rows[1:]:
        record: dict[str, Any] = {}
        filled = False
        for index, key in enumerate(header):
            value = row[index] if index < len(row) else None
            if value in (None, ""):
                if include_empty:
                    record[key] = ""
                continue
            record[key] = value
            filled = True
        if filled:
            result.append(record)
    return result
