"""Credential data → what it adds to a request (headers, query, body, basic/digest auth).

Field names are n8n's: httpBasicAuth/httpDigestAuth {user, password}, httpHeaderAuth and
httpQueryAuth {name, value}, httpBearerAuth {token}, httpCustomAuth {json: '{"headers": {...},
"qs": {...}, "body": {...}}'}, oAuth2Api {accessToken | access_token | oauthTokenData (JSON with
access_token)}. As predefined types: the generic ones, any `*OAuth2Api` (static token, Bearer),
and openAiApi, anthropicApi, githubApi, slackApi, notionApi, ollamaApi.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from n8n_runtime.nodes.base import NodeError

GENERIC_TYPES = (
    "httpBasicAuth",
    "httpDigestAuth",
    "httpHeaderAuth",
    "httpQueryAuth",
    "httpBearerAuth",
    "httpCustomAuth",
    "oAuth2Api",
)
PREDEFINED_TYPES = (
    *GENERIC_TYPES,
    "openAiApi",
    "anthropicApi",
    "githubApi",
    "slackApi",
    "notionApi",
    "ollamaApi",
)

# Credential fields that name things rather than hold secrets (redacting "q" would garble errors).
_NOT_SECRET = frozenset(
    {"name", "user", "headerName", "header", "url", "baseUrl", "server", "organizationId"}
)


@dataclass(frozen=True)
class AuthSpec:
    """What one credential adds to a request; `secrets` are the values to redact in errors."""

    headers: dict[str, str] = field(default_factory=dict)
    # Headers set only when the request has none of that name (Notion-Version).
    default_headers: dict[str, str] = field(default_factory=dict)
    qs: dict[str, Any] = field(default_factory=dict)
    body: dict[str, Any] = field(default_factory=dict)
    digest: tuple[str, str] | None = None
    secrets: tuple[str, ...] = ()


def supports(credential_type: str) -> bool:
    """Whether Hive can authenticate with `credential_type` as a predefined credential."""
    return credential_type in PREDEFINED_TYPES or credential_type.endswith("OAuth2Api")


def auth_spec(credential_type: str, data: Mapping[str, str]) -> AuthSpec:
    """The request additions of a credential of `credential_type` with fields `data`."""
    build = _BUILDERS.get(credential_type)
    if build is None and credential_type.endswith("OAuth2Api"):
        build = _oauth2
    if build is None:
        raise NodeError(
            f"Credential type '{credential_type}' is not supported by Hive's HTTP Request node yet",
            description="Use Generic Credential Type (header, query, bearer, basic or custom auth) "
            f"instead. Supported predefined types: {', '.join(PREDEFINED_TYPES)} and *OAuth2Api.",
        )
    spec = build(data)
    derived = list(spec.headers.values()) + [str(v) for v in spec.qs.values()]
    stored = [value for key, value in data.items() if key not in _NOT_SECRET]
    return AuthSpec(
        headers=spec.headers,
        default_headers=spec.default_headers,
        qs=spec.qs,
        body=spec.body,
        digest=spec.digest,
        secrets=tuple(v for v in (*stored, *derived, *spec.secrets) if v),
    )


def _basic(data: Mapping[str, str]) -> AuthSpec:
    token = base64.b64encode(f"{data.get('user', '')}:{data.get('password', '')}".encode()).decode()
    return AuthSpec(headers={"Authorization": f"Basic {token}"}, secrets=(token,))


def _digest(data: Mapping[str, str]) -> AuthSpec:
    return AuthSpec(digest=(data.get("user", ""), data.get("password", "")))


def _header(data: Mapping[str, str]) -> AuthSpec:
    return AuthSpec(headers={_name(data, "httpHeaderAuth"): data.get("value", "")})


def _query(data: Mapping[str, str]) -> AuthSpec:
    return AuthSpec(qs={_name(data, "httpQueryAuth"): data.get("value", "")})


def _bearer(data: Mapping[str, str]) -> AuthSpec:
    return AuthSpec(headers={"Authorization": f"Bearer {data.get('token', '')}"})


def _custom(data: Mapping[str, str]) -> AuthSpec:
    try:
        parsed = json.loads(data.get("json") or "{}")
    except ValueError:
        parsed = None
    if not isinstance(parsed, dict):
        raise NodeError("Invalid Custom Auth JSON")
    parts: dict[str, dict[str, Any]] = {
        k: parsed[k] if isinstance(parsed.get(k), dict) else {} for k in ("headers", "qs", "body")
    }
    headers = {str(k): _text(v) for k, v in parts["headers"].items()}
    secrets = [*headers.values(), *(_text(v) for v in parts["qs"].values())]
    secrets += [_text(v) for v in parts["body"].values() if isinstance(v, str | int | float)]
    return AuthSpec(headers=headers, qs=dict(parts["qs"]), body=dict(parts["body"]), secrets=tuple(secrets))


def _oauth2(data: Mapping[str, str]) -> AuthSpec:
    token = data.get("accessToken") or data.get("access_token") or ""
    if not token and data.get("oauthTokenData"):
        try:
            token_data = json.loads(data["oauthTokenData"])
        except ValueError:
            token_data = None
        if isinstance(token_data, dict):
            token = str(token_data.get("access_token") or "")
    if not token:
        raise NodeError(
            "The OAuth2 credential has no access token",
            description="Hive does not run OAuth flows: set `accessToken` in the credential's data.",
        )
    return AuthSpec(headers={"Authorization": f"Bearer {token}"})


def _openai(data: Mapping[str, str]) -> AuthSpec:
    headers = {"Authorization": f"Bearer {data.get('apiKey', '')}"}
    if data.get("organizationId"):
        headers["OpenAI-Organization"] = data["organizationId"]
    return AuthSpec(headers=headers)


def _anthropic(data: Mapping[str, str]) -> AuthSpec:
    headers = {"x-api-key": data.get("apiKey", "")}
    if _truthy(data.get("header")) and data.get("headerName"):
        headers[data["headerName"]] = data.get("headerValue", "")
    return AuthSpec(headers=headers)


def _ollama(data: Mapping[str, str]) -> AuthSpec:
    key = data.get("apiKey")
    return AuthSpec(headers={"Authorization": f"Bearer {key}"} if key else {})


_BUILDERS: dict[str, Callable[[Mapping[str, str]], AuthSpec]] = {
    "httpBasicAuth": _basic,
    "httpDigestAuth": _digest,
    "httpHeaderAuth": _header,
    "httpQueryAuth": _query,
    "httpBearerAuth": _bearer,
    "httpCustomAuth": _custom,
    "oAuth2Api": _oauth2,
    "openAiApi": _openai,
    "anthropicApi": _anthropic,
    "githubApi": lambda d: AuthSpec(headers={"Authorization": f"token {d.get('accessToken', '')}"}),
    "slackApi": lambda d: AuthSpec(headers={"Authorization": f"Bearer {d.get('accessToken', '')}"}),
    "notionApi": lambda d: AuthSpec(
        headers={"Authorization": f"Bearer {d.get('apiKey', '')}"},
        default_headers={"Notion-Version": "2022-02-22"},
    ),
    "ollamaApi": _ollama,
}


def _name(data: Mapping[str, str], credential_type: str) -> str:
    name = data.get("name", "")
    if not name:
        raise NodeError(f"The {credential_type} credential has no 'name' (the header or parameter name)")
    return name


def _text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value)


def _truthy(value: str | None) -> bool:
    return (value or "").strip().lower() in ("true", "1", "yes")


__all__ = ["GENERIC_TYPES", "PREDEFINED_TYPES", "AuthSpec", "auth_spec", "supports"]
