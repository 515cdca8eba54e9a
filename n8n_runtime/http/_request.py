"""Node parameters of one input item → a `RequestSpec` (HttpRequestV3's request building)."""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import parse_qsl

from n8n_runtime.http._auth import AuthSpec
from n8n_runtime.http._body import FilePart, add_parameter, js_string, parse_json_parameter, set_path
from n8n_runtime.http._options import RequestOptions, read_options, request_options
from n8n_runtime.nodes.base import NodeError, ParameterAccess

# Resolves an input item's binary property to the file to send (item index, property name).
FileReader = Callable[[int, str], FilePart]

METHODS = ("DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT")
# Methods for which n8n turns body fields into a form (others keep them as a JSON body).
_FORM_METHODS = ("PATCH", "POST", "PUT", "GET")


@dataclass
class RequestSpec:
    """One request, before encoding. `body` is a dict (json/form), a list of (name, value)
    pairs (multipart) or text (raw)."""

    method: str
    url: str
    options: RequestOptions
    qs: dict[str, Any] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    body_kind: str | None = None
    body: Any = None
    digest: tuple[str, str] | None = None
    auth_headers: frozenset[str] = frozenset()
    # Body content type "raw": n8n then never asks axios to parse the response as JSON.
    raw_body: bool = False

    def view(self) -> dict[str, Any]:
        """n8n's `$request` for pagination expressions, without credential headers."""
        headers = {k: v for k, v in self.headers.items() if k.lower() not in self.auth_headers}
        view = {"method": self.method, "uri": self.url, "qs": self.qs, "headers": headers, "body": self.body}
        return copy.deepcopy(view)

    def with_overrides(self, overrides: dict[str, Any]) -> RequestSpec:
        """This request with pagination's `{url, qs, headers, body}` merged in."""
        spec = replace(
            self, qs=copy.deepcopy(self.qs), headers=dict(self.headers), body=copy.deepcopy(self.body)
        )
        if overrides.get("url"):
            spec.url = str(overrides["url"])
        spec.qs.update(overrides.get("qs") or {})
        spec.headers.update({str(k): js_string(v) for k, v in (overrides.get("headers") or {}).items()})
        extra = overrides.get("body") or {}
        if extra:
            spec.body_kind, spec.body = merge_body(spec.body_kind, spec.body, extra)
        return spec


def build_request(
    params: ParameterAccess, item_index: int, version: float, files: FileReader | None = None
) -> RequestSpec:
    """The request for input item `item_index` (auth not applied yet); `files` reads binary data."""
    url = params.get("url", item_index, "")
    if not isinstance(url, str):
        kind = (
            "null"
            if url is None
            else {bool: "boolean", int: "number", float: "number"}.get(type(url), "object")
        )
        raise NodeError(f"URL parameter must be a string, got {kind}", item_index=item_index)
    url = url.strip()
    if not url:
        raise NodeError("URL parameter cannot be empty", item_index=item_index)
    if not url.startswith(("http://", "https://")):
        raise NodeError(f'Invalid URL: {url}. URL must start with "http" or "https".', item_index=item_index)
    if params.get("provideSslCertificates", item_index, False):
        raise NodeError("SSL client certificates are not supported yet", item_index=item_index)
    method = str(params.get("method", item_index, "GET") or "GET").upper()
    if method not in METHODS:
        raise NodeError(f"Unsupported HTTP method '{method}'", item_index=item_index)
    send_query = bool(params.get("sendQuery", item_index, False))
    options = read_options(params, item_index)
    spec = RequestSpec(method=method, url=url, options=request_options(options, version, send_query))
    if send_query:
        spec.qs = _query(params, item_index, version)
    if params.get("sendBody", item_index, False):
        _body(spec, params, item_index, version, files)
    if params.get("sendHeaders", item_index, False):
        headers = _headers(params, item_index, version)
        if spec.options.lowercase_headers:
            headers = {k.lower(): v for k, v in headers.items()}
        spec.headers.update(headers)
    if spec.raw_body:
        spec.headers["content-type"] = str(params.get("rawContentType", item_index, "") or "")
    return spec


def apply_auth(spec: RequestSpec, auth: AuthSpec) -> None:
    """Add a credential to the request (n8n applies it after the user's headers and query)."""
    for name, value in auth.headers.items():
        _set_header(spec.headers, name, value)
    for name, value in auth.default_headers.items():
        if not any(k.lower() == name.lower() for k in spec.headers):
            spec.headers[name] = value
    spec.qs.update(auth.qs)
    if auth.body:
        spec.body_kind, spec.body = merge_body(spec.body_kind, spec.body, auth.body)
    spec.digest = auth.digest
    spec.auth_headers = frozenset(k.lower() for k in auth.headers)


def merge_body(kind: str | None, body: Any, extra: dict[str, Any]) -> tuple[str | None, Any]:
    """`{...body, ...extra}` for each body shape."""
    if kind == "multipart" and isinstance(body, list):
        kept = [(n, v) for n, v in body if n not in extra]
        return kind, kept + [(str(n), v) for n, v in extra.items()]
    if isinstance(body, dict):
        return kind, {**body, **extra}
    return (kind if kind in ("form", "json") else "json"), dict(extra)


def accept_header(spec: RequestSpec, response_format: str) -> None:
    """n8n's default Accept header for the chosen response format."""
    if any(k.lower() == "accept" for k in spec.headers):
        return
    if response_format == "json":
        spec.headers["accept"] = "application/json,text/*;q=0.99"
    elif response_format == "text":
        spec.headers["accept"] = (
            "application/json,text/html,application/xhtml+xml,application/xml,text/*;q=0.9, */*;q=0.1"
        )
    else:
        spec.headers["accept"] = (
            "application/json,text/html,application/xhtml+xml,application/xml,text/*;q=0.9, "
            "image/*;q=0.8, */*;q=0.7"
        )


def _query(params: ParameterAccess, item_index: int, version: float) -> dict[str, Any]:
    if params.get("specifyQuery", item_index, "keypair") == "json":
        parsed = parse_json_parameter(
            params.get("jsonQuery", item_index, ""), "JSON Query Parameters", item_index
        )
        return dict(parsed) if isinstance(parsed, dict) else {}
    qs: dict[str, Any] = {}
    for entry in _entries(params.get("queryParameters.parameters", item_index, [])):
        add_parameter(qs, js_string(entry.get("name", "")), entry.get("value", ""), version)
    return qs


def _headers(params: ParameterAccess, item_index: int, version: float) -> dict[str, str]:
    if params.get("specifyHeaders", item_index, "keypair") == "json":
        parsed = parse_json_parameter(params.get("jsonHeaders", item_index, ""), "JSON Headers", item_index)
        values: dict[str, Any] = dict(parsed) if isinstance(parsed, dict) else {}
    else:
        values = {}
        for entry in _entries(params.get("headerParameters.parameters", item_index, [])):
            if entry.get("name"):
                add_parameter(values, js_string(entry["name"]), entry.get("value", ""), version)
    return {
        k: ", ".join(map(js_string, v)) if isinstance(v, list) else js_string(v) for k, v in values.items()
    }


def _body(
    spec: RequestSpec, params: ParameterAccess, item_index: int, version: float, files: FileReader | None
) -> None:
    content_type = str(params.get("contentType", item_index, "json") or "json")
    spec.raw_body = content_type == "raw"
    default_specify = "keypair" if content_type in ("json", "form-urlencoded") else ""
    specify = params.get("specifyBody", item_index, default_specify)
    fields = _entries(params.get("bodyParameters.parameters", item_index, []))
    body: Any = None
    if specify == "keypair" or content_type == "multipart-form-data":
        body = _fields(fields, content_type, version, item_index, files)
    elif specify == "json":
        raw = params.get("jsonBody", item_index, "")
        body = raw if isinstance(raw, dict | list) else parse_json_parameter(raw, "JSON Body", item_index)
    elif specify == "string":
        body = dict(parse_qsl(js_string(params.get("body", item_index, "")), keep_blank_values=True))
    kind: str | None = None if body is None else "json"
    if spec.method in _FORM_METHODS:
        if content_type == "multipart-form-data":
            kind = "multipart"
            if isinstance(body, dict):
                body = list(body.items())
        elif content_type == "form-urlencoded":
            kind = "form"
        elif content_type == "binaryData":
            if files is None:
                raise NodeError("No binary data is available to this node", item_index=item_index)
            prop = js_string(params.get("inputDataFieldName", item_index, "data") or "data")
            kind, body = "binary", files(item_index, prop)
        elif content_type == "raw":
            kind, body = "raw", params.get("body", item_index, "")
    if kind == "multipart" and body is None:
        body = []
    spec.body_kind, spec.body = kind, body


def _fields(
    fields: list[dict[str, Any]],
    content_type: str,
    version: float,
    item_index: int,
    files: FileReader | None,
) -> Any:
    def value(entry: dict[str, Any]) -> Any:
        if entry.get("parameterType") != "formBinaryData":
            return entry.get("value", "")
        if files is None:
            raise NodeError("No binary data is available to this node", item_index=item_index)
        return files(item_index, js_string(entry.get("inputDataFieldName") or "data"))

    if content_type == "multipart-form-data":
        pairs = [(js_string(f.get("name", "")), value(f)) for f in fields]
        if version >= 4.2 or any(isinstance(v, FilePart) for _, v in pairs):
            return pairs
    body: dict[str, Any] = {}
    for entry in fields:
        name = js_string(entry.get("name", ""))
        if content_type == "json" and version >= 4:
            set_path(body, name, entry.get("value", ""))
        else:
            add_parameter(body, name, entry.get("value", ""), version)
    return body


def _entries(value: Any) -> list[dict[str, Any]]:
    return [e for e in value if isinstance(e, dict)] if isinstance(value, list) else []


def _set_header(headers: dict[str, str], name: str, value: str) -> None:
    for existing in [k for k in headers if k.lower() == name.lower()]:
        del headers[existing]
    headers[name] = value


__all__ = ["METHODS", "RequestSpec", "accept_header", "apply_auth", "build_request", "merge_body"]
