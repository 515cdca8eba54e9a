"""Turning JavaScript failures into Hive's ExpressionError, with n8n's wording kept aside."""

from __future__ import annotations

from typing import Any

from hive_core.errors import ExpressionError

__all__ = ["code_error", "expression_error", "js_error_text", "limit_error"]


def js_error_text(info: dict[str, Any]) -> str:
    """How n8n shows an evaluation error: ``TypeError: …`` for JS errors, the bare message
    for n8n's own expression errors."""
    message = str(info.get("message", ""))
    if info.get("n8n") or info.get("nonError"):
        return message
    name = str(info.get("name") or "Error")
    return f"{name}: {message}" if message else name


def expression_error(
    info: dict[str, Any], *, node: str, parameter: str, item_index: int | None, run_index: int
) -> ExpressionError:
    """An error thrown while evaluating a parameter."""
    text = js_error_text(info)
    where = f"node '{node}', parameter '{parameter}'" + (
        f", item {item_index}" if item_index is not None else ""
    )
    return ExpressionError(
        f"{text} [{where}]",
        node=node,
        parameter=parameter,
        item_index=item_index,
        run_index=run_index,
        n8n_message=text,
        description=info.get("description"),
        error_type=info.get("name"),
    )


def code_error(
    info: dict[str, Any], *, node: str, item_index: int | None, run_index: int, line: int | None = None
) -> ExpressionError:
    """An error thrown by Code/Function node code, worded like n8n's Code node
    (``This is an error [line 5, for item 0]``); the JS error type goes to ``description``."""
    if info.get("nonError"):
        base = f"Unknown error: {info.get('message', '')}"
    else:
        base = str(info.get("message", "")) or str(info.get("name") or "Error")
    line = line if line is not None else info.get("line")
    if line is not None and item_index is not None:
        n8n_message = f"{base} [line {line}, for item {item_index}]"
    elif line is not None:
        n8n_message = f"{base} [line {line}]"
    elif item_index is not None:
        n8n_message = f"{base} [item {item_index}]"
    else:
        n8n_message = base
    name = info.get("name")
    description = info.get("description") or (name if name and name != "Error" else None)
    return ExpressionError(
        f"{n8n_message} [node '{node}']",
        node=node,
        parameter="jsCode",
        item_index=item_index,
        run_index=run_index,
        line=line,
        n8n_message=n8n_message,
        description=description,
        error_type=name,
    )


def limit_error(
    what: str, *, node: str, parameter: str | None, item_index: int | None, run_index: int, limit: str
) -> ExpressionError:
    """A timeout or memory-limit hit (``what`` is "Expression" or "Code")."""
    where = f"{what} in node '{node}'" + (f" parameter '{parameter}'" if parameter else "")
    message = f"{where} exceeded {limit}"
    return ExpressionError(
        message,
        node=node,
        parameter=parameter,
        item_index=item_index,
        run_index=run_index,
        n8n_message=f"{what} exceeded {limit}",
    )
