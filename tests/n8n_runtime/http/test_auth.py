"""Credentials: every generic auth type, predefined types, lookup by id/name, missing ones."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest

from hive_core.config.models import CredentialConfig
from hive_core.errors import NotFoundError
from n8n_runtime.http import ConfigCredentials, HttpTransportError
from n8n_runtime.nodes.base import NodeError
from tests.n8n_runtime.http.conftest import MakeNode
from tests.n8n_runtime.http.server import free_port


def _generic(base_url: str, auth_type: str, **extra: Any) -> dict[str, Any]:
    return {
        "url": f"{base_url}/echo",
        "authentication": "genericCredentialType",
        "genericAuthType": auth_type,
        **extra,
    }


async def _echo(make_node: MakeNode, base_url: str, auth_type: str, data: dict[str, str]) -> dict[str, Any]:
    node = make_node(
        _generic(base_url, auth_type),
        credentials={auth_type: {"id": "c1", "name": "My credential"}},
        configured={"My credential": CredentialConfig(type=auth_type, data=data)},
    )
    [echo] = await node.jsons()
    return echo


async def test_basic_auth(make_node: MakeNode, base_url: str) -> None:
    echo = await _echo(make_node, base_url, "httpBasicAuth", {"user": "ada", "password": "s3cret"})
    token = base64.b64encode(b"ada:s3cret").decode()
    assert echo["headers"]["authorization"] == f"Basic {token}"


async def test_digest_auth(make_node: MakeNode, base_url: str) -> None:
    node = make_node(
        _generic(base_url, "httpDigestAuth", url=f"{base_url}/digest"),
        credentials={"httpDigestAuth": {"id": "d", "name": "Digest"}},
        configured={"d": CredentialConfig(type="httpDigestAuth", data={"user": "ada", "password": "pw"})},
    )
    assert await node.jsons() == [{"authenticated": True}]


async def test_header_auth(make_node: MakeNode, base_url: str) -> None:
    echo = await _echo(make_node, base_url, "httpHeaderAuth", {"name": "X-Api-Key", "value": "k-123"})
    assert echo["headers"]["x-api-key"] == "k-123"


async def test_query_auth(make_node: MakeNode, base_url: str) -> None:
    echo = await _echo(make_node, base_url, "httpQueryAuth", {"name": "api_key", "value": "q-1"})
    assert echo["query"] == [["api_key", "q-1"]]


async def test_bearer_auth(make_node: MakeNode, base_url: str) -> None:
    echo = await _echo(make_node, base_url, "httpBearerAuth", {"token": "t-9"})
    assert echo["headers"]["authorization"] == "Bearer t-9"


async def test_custom_auth_adds_headers_query_and_body(make_node: MakeNode, base_url: str) -> None:
    custom = {"headers": {"X-Key": "h"}, "qs": {"sig": "q"}, "body": {"token": "b"}}
    echo = await _echo(make_node, base_url, "httpCustomAuth", {"json": json.dumps(custom)})
    assert echo["headers"]["x-key"] == "h"
    assert echo["query"] == [["sig", "q"]]
    assert echo["body"]["json"] == {"token": "b"}
    with pytest.raises(NodeError, match="Invalid Custom Auth JSON"):
        await _echo(make_node, base_url, "httpCustomAuth", {"json": "{nope"})


async def test_oauth2_with_a_static_access_token(make_node: MakeNode, base_url: str) -> None:
    echo = await _echo(make_node, base_url, "oAuth2Api", {"accessToken": "at-1"})
    assert echo["headers"]["authorization"] == "Bearer at-1"


async def test_predefined_credential_types(make_node: MakeNode, base_url: str) -> None:
    parameters = {
        "url": f"{base_url}/echo",
        "authentication": "predefinedCredentialType",
        "nodeCredentialType": "openAiApi",
    }
    node = make_node(
        parameters,
        credentials={"openAiApi": {"id": "oa", "name": "OpenAI"}},
        configured={
            "oa": CredentialConfig(type="openAiApi", data={"apiKey": "sk-1", "organizationId": "org"})
        },
    )
    [echo] = await node.jsons()
    assert echo["headers"]["authorization"] == "Bearer sk-1"
    assert echo["headers"]["openai-organization"] == "org"
    # A service OAuth2 type is served by a static-token oAuth2Api credential.
    sheets = make_node(
        {**parameters, "nodeCredentialType": "googleSheetsOAuth2Api"},
        credentials={"googleSheetsOAuth2Api": {"id": "g", "name": "Sheets"}},
        configured={"Sheets": CredentialConfig(type="oAuth2Api", data={"access_token": "ya29"})},
    )
    [echo] = await sheets.jsons()
    assert echo["headers"]["authorization"] == "Bearer ya29"
    unsupported = make_node(
        {**parameters, "nodeCredentialType": "twilioApi"},
        credentials={"twilioApi": {"id": "t", "name": "Twilio"}},
        configured={"t": CredentialConfig(type="twilioApi", data={})},
    )
    with pytest.raises(NodeError, match="Credential type 'twilioApi' is not supported"):
        await unsupported()


async def test_missing_credential_names_it(make_node: MakeNode, base_url: str) -> None:
    node = make_node(
        _generic(base_url, "httpBearerAuth"),
        credentials={"httpBearerAuth": {"id": "0fqz", "name": "Dummy HTTP credential"}},
    )
    with pytest.raises(NotFoundError, match="Credential 'Dummy HTTP credential' \\(id 0fqz\\)") as caught:
        await node()
    assert "node 'HTTP'" in caught.value.message
    unreferenced = make_node(_generic(base_url, "httpBearerAuth"))
    with pytest.raises(NotFoundError, match="has no 'httpBearerAuth' credential selected"):
        await unreferenced()


async def test_secrets_are_redacted_from_errors(make_node: MakeNode, base_url: str) -> None:
    # The server echoes the Authorization header into its error body.
    node = make_node(
        _generic(base_url, "httpBearerAuth", url=f"{base_url}/status/401"),
        credentials={"httpBearerAuth": {"id": "b", "name": "Bearer"}},
        configured={"b": CredentialConfig(type="httpBearerAuth", data={"token": "top-secret-token"})},
    )
    with pytest.raises(NodeError) as caught:
        await node()
    text = f"{caught.value.message} {caught.value.description}"
    assert "top-secret-token" not in text and "**hidden**" in text


async def test_query_auth_secret_is_redacted_from_transport_errors(make_node: MakeNode) -> None:
    node = make_node(
        {**_generic("", "httpQueryAuth"), "url": f"http://127.0.0.1:{free_port()}/x"},
        credentials={"httpQueryAuth": {"id": "q", "name": "Query"}},
        configured={
            "q": CredentialConfig(type="httpQueryAuth", data={"name": "key", "value": "qs-secret-1"})
        },
    )
    with pytest.raises(HttpTransportError) as caught:
        await node()
    assert "qs-secret-1" not in caught.value.description
    assert "key=**hidden**" in caught.value.description


def test_config_credentials_lookup() -> None:
    resolver = ConfigCredentials(
        {
            "id-1": CredentialConfig(type="httpHeaderAuth", data={"name": "a", "value": "1"}),
            "By name": CredentialConfig(type="httpHeaderAuth", data={"name": "b", "value": "2"}),
            "Wrong": CredentialConfig(type="httpBasicAuth", data={}),
        }
    )
    assert resolver.resolve("httpHeaderAuth", "id-1", "By name").data["name"] == "a"  # id first
    assert resolver.resolve("httpHeaderAuth", "unknown", "By name").data["name"] == "b"
    with pytest.raises(NotFoundError, match="configured with type 'httpBasicAuth'"):
        resolver.resolve("httpHeaderAuth", None, "Wrong")
    with pytest.raises(NotFoundError, match="'Nope' of type 'httpHeaderAuth' is not configured"):
        resolver.resolve("httpHeaderAuth", None, "Nope")
