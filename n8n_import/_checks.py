"""Cheap static checks of node parameters: `{{ }}` balance and a few node-specific rules."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from n8n_import.model import N8nNode

# A check result: (field path, message).
Finding = tuple[str, str]


def _find_unescaped(text: str, token: str, start: int) -> int:
    # n8n's expression splitter treats a backslash before `{{` / `}}` as an escape.
    pos = text.find(token, start)
    while pos > 0 and text[pos - 1] == "\\":
        pos = text.find(token, pos + len(token))
    return pos


def unclosed_expression(text: str) -> int | None:
    """Offset of the first `{{` with no matching `}}` in an expression string, else None."""
    pos = 0
    while True:
        opening = _find_unescaped(text, "{{", pos)
        if opening < 0:
            return None
        closing = _find_unescaped(text, "}}", opening + 2)
        if closing < 0:
            return opening
        pos = closing + 2


def check_expressions(value: Any, path: str) -> Iterator[Finding]:
    """Walk a parameter tree; report `=`-prefixed strings whose `{{` never closes."""
    # Paths are kept as (parent, key) links and only formatted for a finding: most parameters
    # are fine, and formatting every path dominated the walk on large workflows.
    stack: list[tuple[Any, _Link]] = [(value, None)]
    while stack:
        current, link = stack.pop()
        if isinstance(current, str):
            if current.startswith("=") and "{{" in current:
                offset = unclosed_expression(current)
                if offset is not None:
                    yield (
                        _format(path, link),
                        f'malformed expression: "{{{{" at position {offset} is never closed by "}}}}"',
                    )
        elif isinstance(current, Mapping):
            # Reversed so findings come out in document order.
            stack.extend((v, (link, k)) for k, v in reversed(list(current.items())))
        elif isinstance(current, list):
            stack.extend((current[i], (link, i)) for i in range(len(current) - 1, -1, -1))


_Link = tuple[Any, str | int] | None


def _format(root: str, link: _Link) -> str:
    parts: list[str | int] = []
    while link is not None:
        link, key = link
        parts.append(key)
    return root + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in reversed(parts))


def _blank(value: Any) -> bool:
    if isinstance(value, Mapping) and value.get("__rl"):
        value = value.get("value")  # resource locator {"__rl": true, "value": ..., "mode": ...}
    return value is None or (isinstance(value, str) and value.strip() in ("", "="))


def _code(node: N8nNode) -> Iterator[Finding]:
    language = node.parameters.get("language", "javaScript")
    # Python runs natively in interpreter processes (n8n_runtime.code_python); a syntax error is
    # the node's run-time error, as in n8n.
    if node.typeVersion >= 2 and language not in ("javaScript", "python", "pythonNative"):
        yield (
            "parameters.language",
            f'language "{language}" is not supported (javaScript, python, pythonNative)',
        )


# Node's setInterval takes at most 2^31 - 1 ms (n8n checks it the same way).
_MAX_INTERVAL_MS = 2_147_483_647
_UNIT_MS = {"seconds": 1000, "minutes": 60_000, "hours": 3_600_000}


def _interval(node: N8nNode) -> Iterator[Finding]:
    """The Interval trigger's own checks (n8n makes them when activating the workflow)."""
    interval = node.parameters.get("interval", 1)
    unit = node.parameters.get("unit", "seconds")
    if isinstance(interval, str) and interval.startswith("="):
        yield "parameters.interval", "an expression as interval is not supported (the schedule is fixed)"
        return
    if not isinstance(interval, int | float) or isinstance(interval, bool):
        yield "parameters.interval", f"interval must be a number, got {interval!r}"
    elif unit not in _UNIT_MS:
        yield "parameters.unit", f'unit "{unit}" is not supported (seconds, minutes, hours)'
    elif interval <= 0:
        yield "parameters.interval", "The interval has to be set to at least 1 or higher!"
    elif interval * _UNIT_MS[unit] > _MAX_INTERVAL_MS:
        yield "parameters.interval", "The interval value is too large."


def _http_request(node: N8nNode) -> Iterator[Finding]:
    if _blank(node.parameters.get("url")):
        yield "parameters.url", "missing URL"


def _execute_workflow(node: N8nNode) -> Iterator[Finding]:
    source = node.parameters.get("source", "database")
    if source in ("localFile", "url"):
        yield "parameters.source", f'source "{source}" is not supported (use database or parameter)'
    elif source == "database" and _blank(node.parameters.get("workflowId")):
        yield "parameters.workflowId", "missing workflow ID"
    elif source == "parameter" and _blank(node.parameters.get("workflowJson")):
        yield "parameters.workflowJson", "missing workflow JSON"


# File-node operations Hive implements (n8n_runtime/nodes/files); others are compile errors.
_FILE_OPERATIONS = {
    "n8n-nodes-base.extractFromFile": (
        "csv",
        ("csv", "html", "rtf", "ods", "xls", "xlsx", "fromJson", "text", "binaryToPropery", "fromIcs", "pdf"),
    ),
    "n8n-nodes-base.convertToFile": (
        "csv", ("csv", "html", "rtf", "ods", "xls", "xlsx", "toJson", "toText", "toBinary", "iCal"),
    ),
}  # fmt: skip


def _file_operation(node: N8nNode) -> Iterator[Finding]:
    default, supported = _FILE_OPERATIONS[node.type]
    operation = node.parameters.get("operation", default)
    if isinstance(operation, str) and not operation.startswith("=") and operation not in supported:
        yield "parameters.operation", f'operation "{operation}" is not supported'


_NODE_CHECKS = {
    "n8n-nodes-base.extractFromFile": _file_operation,
    "n8n-nodes-base.convertToFile": _file_operation,
    "n8n-nodes-base.code": _code,
    "n8n-nodes-base.interval": _interval,
    "n8n-nodes-base.httpRequest": _http_request,
    "n8n-nodes-base.executeWorkflow": _execute_workflow,
}


def check_node(node: N8nNode) -> Iterator[Finding]:
    """All parameter findings for one node (expressions first, then node-specific rules)."""
    yield from check_expressions(node.parameters, "parameters")
    specific = _NODE_CHECKS.get(node.type)
    if specific is not None:
        yield from specific(node)


__all__ = ["Finding", "check_expressions", "check_node", "unclosed_expression"]
