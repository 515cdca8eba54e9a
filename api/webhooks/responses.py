"""Binary webhook answers: a Respond to Webhook (or lastNode) body ``{"binaryData": {...}}``.

n8n's webhook server streams the stored file when the body is ``{binaryData}`` with an id; the
bytes come from the binary store, never through the workflow's payloads.
"""

from __future__ import annotations

import base64
from typing import Any

from fastapi import Response
from fastapi.responses import FileResponse

from hive_core.binary_data import BinaryStore
from hive_core.errors import HiveError

__all__ = ["binary_response"]


def binary_response(store: BinaryStore, body: Any, status: int, headers: dict[str, str]) -> Response | None:
    """The file answer for a ``{binaryData}`` body, or None when the body is something else."""
    if not isinstance(body, dict) or set(body) != {"binaryData"} or not isinstance(body["binaryData"], dict):
        return None
    data: dict[str, Any] = body["binaryData"]
    headers = {k.lower(): v for k, v in headers.items()}
    media = headers.pop("content-type", None) or str(data.get("mimeType") or "application/octet-stream")
    if data.get("id"):
        try:
            path = store.path(str(data["id"]))
        except HiveError:
            return Response(status_code=500, content=b'{"message":"The binary data to respond with is gone"}')
        return FileResponse(path, status_code=status, headers=headers, media_type=media)
    content = base64.b64decode(str(data.get("data") or ""))
    return Response(content, status_code=status, headers=headers, media_type=media)
