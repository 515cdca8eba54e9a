"""n8n Form (v1): the pure half of a form page or of the form's ending.

A page evaluates its fields and options and asks the interpreter to wait for the submission,
like Wait "on webhook call" (`RESUME_KEY`, kind `form`); the submission (built by the API from
the page's fields, shaped as n8n's) becomes the node's output. The ending records what the
browser is shown (`FORM_COMPLETION_KEY`) and passes its input on.
"""

from __future__ import annotations

from typing import Any

from n8n_runtime.forms import FormInputError, parse_fields
from n8n_runtime.nodes.base import NodeError, NodeOutput, NodeRun
from n8n_runtime.nodes.control.wait_node import RESUME_KEY, wait_limit

FORM_COMPLETION_KEY = "hive_form_completion"
_RESPOND_WITH = ("text", "redirect", "showText")


def _completion(run: NodeRun) -> dict[str, Any]:
    respond_with = run.params.get("respondWith", 0, "text")
    if respond_with not in _RESPOND_WITH:
        raise NodeError(
            f"Form ending '{respond_with}' is not supported (supported: {', '.join(_RESPOND_WITH)})"
        )
    options = run.params.get("options", 0, {}) or {}
    return {
        "respondWith": respond_with,
        "title": str(run.params.get("completionTitle", 0, "") or ""),
        "message": str(run.params.get("completionMessage", 0, "") or ""),
        "redirectUrl": str(run.params.get("redirectUrl", 0, "") or ""),
        "responseText": str(run.params.get("responseText", 0, "") or ""),
        "pageTitle": str(options.get("formTitle") or ""),
        "customCss": str(options.get("customCss") or ""),
    }


def _page(run: NodeRun) -> dict[str, Any]:
    try:
        if run.params.get("defineForm", 0, "fields") == "json":
            fields = parse_fields(run.params.get("jsonOutput", 0, "[]"))
        else:
            fields = parse_fields(run.params.get("formFields.values", 0, []) or [])
    except FormInputError as exc:
        raise NodeError(str(exc)) from None
    options = run.params.get("options", 0, {}) or {}
    return {
        "fields": fields,
        "title": str(options.get("formTitle") or ""),
        "description": str(options.get("formDescription") or ""),
        "buttonLabel": str(options.get("buttonLabel") or "Submit"),
        "customCss": str(options.get("customCss") or ""),
    }


def run_form(run: NodeRun) -> NodeOutput:
    """Record the page to show (and wait for it) or the form's ending."""
    if run.params.get("operation", 0, "page") == "completion":
        run.state[FORM_COMPLETION_KEY] = _completion(run)
    else:
        run.state[RESUME_KEY] = {"kind": "form", "page": _page(run), "limit": wait_limit(run)}
    return [list(run.items)]


__all__ = ["FORM_COMPLETION_KEY", "run_form"]
