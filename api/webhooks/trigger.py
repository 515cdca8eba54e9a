"""The item a Webhook node emits for an HTTP request (n8n's shape), and its auth check."""

from __future__ import annotations

import base64
import json
import secrets
from typing import Any
from urllib.parse import parse_qs

from fastapi import Request

from api.webhooks.matching import WebhookTarget
from api.webhooks.uploads import is_raw_upload, multipart_fields, raw_upload
from hive_core.binary_data import ExecutionBinary
from hive_core.errors import HiveError
from n8n_runtime.http import CredentialResolver


class WebhookAuthError(HiveError):
    """401 when credentials are missing, 403 when they are wrong (n8n's wording)."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


def parse_body(content_type_header: str, raw: bytes) -> Any:
    """The body as n8n's parser gives it to nodes: JSON, form fields, else text."""
    content_type = content_type_header.split(";")[0].strip().lower()
    if not raw:
        return {}
    if content_type.endswith("json"):
        try:
            return json.loads(raw)
        except json.JSONDecodeError:
            return raw.decode(errors="replace")
    if content_type == "application/x-www-form-urlencoded":
        return {k: v[0] if len(v) == 1 else v for k, v in parse_qs(raw.decode()).items()}
    return raw.decode(errors="replace")


def query_dict(request: Request) -> dict[str, Any]:
    """The query string as n8n's: a repeated key becomes a list."""
    query: dict[str, Any] = {}
    for key, value in request.query_params.multi_items():
        if key not in query:
            query[key] = value
        elif isinstance(query[key], list):
            query[key].append(value)
        else:
            query[key] = [query[key], value]
    return query


async def trigger_item(
    request: Request,
    *,
    params: dict[str, str],
    version: float,
    execution_mode: str,
    binary: ExecutionBinary | None = None,
    options: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """`{json: {headers, params, query, body, webhookUrl, executionMode}, binary?}` as n8n's Webhook
    emits (`webhookUrl` and `executionMode` from Webhook v2 on); uploads go to `binary`'s store."""
    options = options or {}
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    files: dict[str, Any] = {}
    body: Any
    if content_type == "multipart/form-data":
        body, files = await multipart_fields(request, binary, options)
    elif binary is not None and binary.store is not None and is_raw_upload(content_type, version, options):
        body, files = {}, await raw_upload(request, binary, content_type, options)
    else:
        body = parse_body(request.headers.get("content-type", ""), await request.body())
    query = query_dict(request)
    json_data: dict[str, Any] = {
        "headers": {k.lower(): v for k, v in request.headers.items()},
        "params": params,
        "query": query,
        "body": body,
    }
    if version >= 2:
        json_data["webhookUrl"] = str(request.url).split("?")[0]
        json_data["executionMode"] = execution_mode
    return {"json": json_data, "binary": files} if files else {"json": json_data}


def check_auth(request: Request, target: WebhookTarget, credentials: CredentialResolver) -> None:
    """n8n's webhook authentication options: none, basicAuth, headerAuth."""
    method = target.node.parameters.get("authentication", "none")
    if method == "none":
        return
    kind = {"basicAuth": "httpBasicAuth", "headerAuth": "httpHeaderAuth"}.get(method)
    if kind is None:
        raise WebhookAuthError(f"Webhook authentication {method!r} is not supported", 500)
    ref = target.node.credentials.get(kind)
    data = credentials.resolve(kind, ref.id if ref else None, ref.name if ref else None).data
    if kind == "httpBasicAuth":
        header = request.headers.get("authorization", "")
        if not header.lower().startswith("basic "):
            raise WebhookAuthError("Authorization is required!", 401)
        try:
            user, _, password = base64.b64decode(header[6:]).decode().partition(":")
        except (ValueError, UnicodeDecodeError):
            raise WebhookAuthError("Authorization data is wrong!", 403) from None
        ok = secrets.compare_digest(user, data.get("user", "")) and secrets.compare_digest(
            password, data.get("password", "")
        )
    else:
        given = request.headers.get(data.get("name", "").lower())
        if given is None:
            raise WebhookAuthError("Authorization is required!", 401)
        ok = secrets.compare_digest(given, data.get("value", ""))
    if not ok:
        raise WebhookAuthError("Authorization data is wrong!", 403)
