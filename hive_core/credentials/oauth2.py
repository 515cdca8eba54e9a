"""Renewing OAuth2 access tokens of stored credentials (n8n's oAuth2Api and `*OAuth2Api` types).

n8n keeps the token endpoint's answer in the credential's `oauthTokenData` ({access_token,
refresh_token, expires_in, token_type, ...}). A token is renewed when the node's request got a
401 (as n8n does) or, before the request, when Hive knows it has expired: Hive adds `expires_at`
(epoch seconds, from `expires_in`) to the token data it stores, unless the server sent one.

Renewal is n8n's: grant `refresh_token` at the credential's `accessTokenUrl` (for grant type
`clientCredentials`, a new `client_credentials` token), the client authenticated per the
credential's `authentication` (`header`: HTTP Basic, n8n's default; `body`: client_id/secret in
the form; no secret, a PKCE public client: client_id in the form), as @n8n/client-oauth2 does.
The new data is merged over the old (a server may not resend the refresh token).
"""

from __future__ import annotations

import base64
import json
import time
from typing import Any

import httpx

from n8n_runtime.nodes.base import NodeError

# Renew a little before the stated expiry: the request still has to reach the service.
EXPIRY_MARGIN_S = 30.0
# Service credential types whose token URL is fixed by n8n (hidden in its editor, so exports may
# omit it).
KNOWN_TOKEN_URLS = {"google": "https://oauth2.googleapis.com/token"}


def token_data(data: dict[str, Any]) -> dict[str, Any]:
    """The credential's `oauthTokenData` as an object (n8n stores an object; hive.yaml a JSON string)."""
    raw = data.get("oauthTokenData")
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except ValueError:
            return {}
    return raw if isinstance(raw, dict) else {}


def expired(data: dict[str, Any], now: float | None = None) -> bool:
    """Whether the stored token is known to have expired (no `expires_at`: not known)."""
    expires_at = token_data(data).get("expires_at")
    if not isinstance(expires_at, int | float):
        return False
    return (time.time() if now is None else now) >= expires_at - EXPIRY_MARGIN_S


def renewable(data: dict[str, Any]) -> bool:
    """Whether Hive can get a new token for this credential data."""
    if data.get("grantType") == "clientCredentials":
        return bool(data.get("clientId"))
    return bool(token_data(data).get("refresh_token"))


async def renew(
    http: httpx.AsyncClient, credential_type: str, data: dict[str, Any], name: str
) -> dict[str, Any]:
    """New credential data with a fresh token from the credential's token endpoint.

    Raises:
        NodeError: no token URL, or the endpoint refused (its error is in the description).
    """
    url = str(data.get("accessTokenUrl") or _known_url(credential_type) or "")
    if not url:
        raise NodeError(
            f"Cannot refresh the OAuth2 token of credential '{name}' ({credential_type}): it has no "
            "Access Token URL",
            description="Set `accessTokenUrl` in the credential's data.",
        )
    old = token_data(data)
    form: dict[str, str] = {}
    if data.get("grantType") == "clientCredentials":
        form["grant_type"] = "client_credentials"
        if data.get("scope"):
            form["scope"] = str(data["scope"]).replace(",", " ")
    else:
        form = {"grant_type": "refresh_token", "refresh_token": str(old.get("refresh_token", ""))}
    headers = {"Accept": "application/json"}
    client_id, secret = str(data.get("clientId") or ""), str(data.get("clientSecret") or "")
    if not secret:
        # A public client (PKCE): only its id, in the form.
        form["client_id"] = client_id
    elif data.get("authentication") == "body":
        form.update(client_id=client_id, client_secret=secret)
    else:
        # As n8n's client-oauth2 `auth()`: "id:secret" as given, not form-encoded first.
        headers["Authorization"] = "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    try:
        response = await http.post(url, data=form, headers=headers, timeout=30.0)
    except httpx.HTTPError as error:
        raise NodeError(
            f"Cannot refresh the OAuth2 token of credential '{name}': {type(error).__name__} calling {url}"
        ) from None
    try:
        answer = response.json()
    except ValueError:
        answer = None
    if response.status_code // 100 != 2 or not isinstance(answer, dict) or not answer.get("access_token"):
        reason = answer.get("error") if isinstance(answer, dict) else None
        raise NodeError(
            f"Refreshing the OAuth2 token of credential '{name}' failed: {response.status_code}"
            + (f" {reason}" if reason else ""),
            description="Reconnect the credential (its refresh token may have been revoked).",
        )
    new = {**old, **answer}
    if "expires_at" not in answer:
        new.pop("expires_at", None)
        if isinstance(answer.get("expires_in"), int | float):
            new["expires_at"] = int(time.time() + float(answer["expires_in"]))
    return {**data, "oauthTokenData": new}


def _known_url(credential_type: str) -> str | None:
    return next((url for prefix, url in KNOWN_TOKEN_URLS.items() if credential_type.startswith(prefix)), None)


__all__ = ["expired", "renew", "renewable", "token_data"]
