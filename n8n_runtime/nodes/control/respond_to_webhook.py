"""Respond to Webhook (v1–1.5): builds the HTTP response; the interpreter hands it to the API.

The node passes its input through (n8n) and records the response in ``run.state``; the
workflow exposes it through an update the webhook route waits on.
"""

from __future__ import annotations

import json
from typing import Any

from n8n_runtime.nodes.base import NodeError, NodeOutput, NodeRun

RESPONSE_KEY = "hive_webhook_response"


def _headers(run: NodeRun) -> dict[str, str]:
    entries = run.params.get("options.responseHeaders.entries", 0, []) or []
    return {str(e.get("name", "")).lower(): str(e.get("value", "")) for e in entries if e.get("name")}


def _json_body(run: NodeRun) -> Any:
    body = run.params.get("responseBody", 0, "")
    if isinstance(body, str):
        try:
            return json.loads(body) if body.strip() else {}
        except json.JSONDecodeError as exc:
            raise NodeError(f"Invalid JSON in 'Response Body' field: {exc.msg}") from None
    return body


def _binary_body(run: NodeRun, headers: dict[str, str]) -> dict[str, Any]:
    """n8n's ``{binaryData}`` body: the API streams the stored file (the bytes stay in the store)."""
    first = run.items[0] if run.items else {}
    if first.get("binary") is None:
        raise NodeError("No binary data exists on the first item!")
    if run.params.get("responseDataSource", 0, "automatically") == "set":
        prop = str(run.params.get("inputFieldName", 0, "data"))
    else:
        keys = list(first["binary"])
        if not keys:
            raise NodeError("No binary data exists on the first item!")
        prop = keys[0]
    from n8n_runtime.nodes.files._binary import assert_binary

    data = assert_binary(run, 0, prop)
    headers.setdefault("content-type", str(data.get("mimeType") or "application/octet-stream"))
    return {"binaryData": data}


def run_respond_to_webhook(run: NodeRun) -> NodeOutput:
    """Pass the items through; record ``{status_code, headers, body}`` to send."""
    respond_with = run.params.get("respondWith", 0, "firstIncomingItem")
    headers = _headers(run)
    status = int(run.params.get("options.responseCode", 0, 200))
    items = run.items
    body: Any
    if respond_with == "allIncomingItems":
        body = [item.get("json", {}) for item in items]
    elif respond_with == "firstIncomingItem":
        body = items[0].get("json", {}) if items else {}
    elif respond_with == "json":
        body = _json_body(run)
    elif respond_with == "text":
        body = str(run.params.get("responseBody", 0, ""))
        headers.setdefault("content-type", "text/html; charset=utf-8")
    elif respond_with == "binary":
        body = _binary_body(run, headers)
    elif respond_with == "noData":
        body = None
    elif respond_with == "redirect":
        headers["location"] = str(run.params.get("redirectURL", 0, ""))
        status = int(run.params.get("options.responseCode", 0, 307))
        body = None
    else:
        raise NodeError(f"Respond With {respond_with!r} is not supported yet")
    key = run.params.get("options.responseKey", 0, "")
    if key and respond_with in ("allIncomingItems", "firstIncomingItem"):
        body = {key: body}
    run.state[RESPONSE_KEY] = {"status_code": status, "headers": headers, "body": body}
    return [list(items)]
