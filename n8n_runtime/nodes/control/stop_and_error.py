"""Stop and Error: fail the node (and so the run) with a message or an error object."""

from __future__ import annotations

import json
from typing import Any

from n8n_runtime.jsvalues import json_stringify
from n8n_runtime.nodes.base import NodeError, NodeOutput, NodeRun
from n8n_runtime.nodes.control._common import param


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def run_stop_and_error(run: NodeRun) -> NodeOutput:
    """n8n's StopAndError `execute` (createErrorFromParameters)."""
    error_type = param(run, "errorType", 0, "errorMessage")
    if error_type == "errorMessage":
        raise NodeError(str(param(run, "errorMessage", 0, "")))
    raw = param(run, "errorObject", 0, "")
    if isinstance(raw, dict):
        error_object: dict[str, Any] = raw
    else:
        try:
            parsed = json.loads(str(raw))
        except ValueError as exc:
            raise NodeError(f"Unexpected token in JSON: {raw}") from exc
        error_object = parsed if isinstance(parsed, dict) else {}
    message = (
        _text(error_object.get("message"))
        or _text(error_object.get("description"))
        or _text(error_object.get("error"))
        or f"Error: {json_stringify(error_object)}"
    )
    raise NodeError(message, description=_text(error_object.get("description")))


__all__ = ["run_stop_and_error"]
