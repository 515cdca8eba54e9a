"""Wait (v1, v1.1): the pure half. It resolves the parameters and says how long to wait.

The waiting itself is a Temporal timer (or a signal for "on webhook call") taken by the
interpreter workflow, so a wait of days costs nothing and survives restarts. The node's output
is its input, as in n8n.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from n8n_runtime.nodes.base import NodeError, NodeOutput, NodeRun

RESUME_KEY = "hive_resume"
_UNIT_MS = {"seconds": 1000, "minutes": 60_000, "hours": 3_600_000, "days": 86_400_000}


def _parse_time(value: Any) -> int:
    if isinstance(value, int | float):
        return int(value)
    text = str(value).strip()
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise NodeError(f"Invalid date/time for 'dateTime': {text!r}") from None
    if parsed.tzinfo is None:
        raise NodeError(f"The date/time {text!r} has no time zone; add one, e.g. {text}Z")
    return int(parsed.timestamp() * 1000)


def wait_limit(run: NodeRun) -> dict[str, Any] | None:
    """`limitWaitTime`: give up waiting for the webhook after a delay or at a time."""
    if not run.params.get("limitWaitTime", 0, False):
        return None
    if run.params.get("limitType", 0, "afterTimeInterval") == "atSpecifiedTime":
        return {"kind": "until", "at_ms": _parse_time(run.params.get("maxDateAndTime", 0))}
    amount = float(run.params.get("resumeAmount", 0, 1))
    unit = run.params.get("resumeUnit", 0, "hours")
    return {"kind": "delay", "ms": int(amount * _UNIT_MS.get(unit, _UNIT_MS["hours"]))}


def wait_form_page(run: NodeRun) -> dict[str, Any]:
    """The page of a Wait node resuming on a form submission."""
    fields = run.params.get("formFields.values", 0, []) or []
    options = run.params.get("options", 0, {}) or {}
    return {
        "fields": [dict(f) for f in fields if isinstance(f, dict)],
        "title": str(run.params.get("formTitle", 0, "") or ""),
        "description": str(run.params.get("formDescription", 0, "") or ""),
        "buttonLabel": str(options.get("buttonLabel") or "Submit"),
        "customCss": str(options.get("customCss") or ""),
    }


def run_wait(run: NodeRun) -> NodeOutput:
    """Pass the items through and record when to resume in ``run.state``."""
    resume = run.params.get("resume", 0, "timeInterval")
    if resume == "timeInterval":
        amount = run.params.get("amount", 0, 1)
        unit = run.params.get("unit", 0, "hours")
        if unit not in _UNIT_MS:
            raise NodeError(f"Unknown unit {unit!r} for 'unit'; use one of {', '.join(_UNIT_MS)}")
        try:
            wait_ms = float(amount) * _UNIT_MS[unit]
        except (TypeError, ValueError):
            raise NodeError(f"'amount' must be a number, got {amount!r}") from None
        instruction: dict[str, Any] = {"kind": "delay", "ms": max(0, int(wait_ms))}
    elif resume == "specificTime":
        instruction = {"kind": "until", "at_ms": _parse_time(run.params.get("dateTime", 0))}
    elif resume == "webhook":
        instruction = {"kind": "webhook", "limit": wait_limit(run)}
    elif resume == "form":
        # "On Form Submitted": a form page like the Form node's (served at /form-waiting/<id>).
        instruction = {"kind": "form", "page": wait_form_page(run), "limit": wait_limit(run)}
    else:
        raise NodeError(
            f"Wait mode {resume!r} is not supported yet "
            "(supported: timeInterval, specificTime, webhook, form)"
        )
    run.state[RESUME_KEY] = instruction
    return [list(run.items)]
