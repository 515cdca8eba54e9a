"""A credential's own test, where Hive can run one (`POST /api/credentials/{id}/test`).

n8n's generic HTTP credentials have no test of their own; Hive tests them the way a node would use
them: a GET of a URL the caller gives, with the credential applied (2xx: OK; 401/403: rejected).
OAuth2 credentials: with a URL, the same GET with the access token; without one, a token renewal
at their token endpoint (proving the client and refresh token are accepted; the new token is kept).
Every other type (n8n's service credentials with a `test` request in their description) has no
test here yet: `UntestableCredentialError` (422) says so; the node host can run n8n's own later.
"""

from __future__ import annotations

from typing import Any, Literal

import httpx
from pydantic import BaseModel

from hive_core.credentials import oauth2
from hive_core.credentials.resolver import flat_data
from hive_core.errors import ValidationError
from n8n_runtime.http._auth import auth_spec
from n8n_runtime.http.credentials import is_oauth2
from n8n_runtime.http.errors import Redactor
from n8n_runtime.nodes.base import NodeError

URL_TESTED_TYPES = (
    "httpBasicAuth",
    "httpDigestAuth",
    "httpHeaderAuth",
    "httpQueryAuth",
    "httpBearerAuth",
    "httpCustomAuth",
)


class UntestableCredentialError(ValidationError):
    """Hive has no test for this credential type (or the test needs a URL that was not given)."""


class CheckResult(BaseModel):
    """n8n's answer shape for a credential test."""

    status: Literal["OK", "Error"]
    message: str
    # New credential data when the test renewed an OAuth2 token (the caller stores it).
    renewed_data: dict[str, Any] | None = None


async def check_credential(
    http: httpx.AsyncClient, credential_type: str, name: str, data: dict[str, Any], url: str | None
) -> CheckResult:
    """Test the credential ``name`` of ``credential_type`` holding ``data``.

    Raises:
        UntestableCredentialError: no test for this type, or a URL is needed and missing.
    """
    if is_oauth2(credential_type):
        if url:
            return await _get(http, credential_type, data, url)
        if not oauth2.renewable(data):
            raise UntestableCredentialError(
                f"credential '{name}' ({credential_type}) has no refresh token or client credentials "
                "to test: give a `url` to call with its access token",
                credential_type=credential_type,
            )
        try:
            renewed = await oauth2.renew(http, credential_type, data, name)
        except NodeError as error:
            return CheckResult(status="Error", message=error.message)
        return CheckResult(status="OK", message="Token renewed", renewed_data=renewed)
    if credential_type not in URL_TESTED_TYPES:
        raise UntestableCredentialError(
            f"Hive cannot test '{credential_type}' credentials yet (only generic HTTP and OAuth2 "
            "types; n8n's own test of this type needs the node host)",
            credential_type=credential_type,
        )
    if not url:
        raise UntestableCredentialError(
            f"'{credential_type}' credentials are tested with a request: give a `url` to call",
            credential_type=credential_type,
        )
    return await _get(http, credential_type, data, url)


async def _get(http: httpx.AsyncClient, credential_type: str, data: dict[str, Any], url: str) -> CheckResult:
    try:
        spec = auth_spec(credential_type, flat_data(data))
    except NodeError as error:
        return CheckResult(status="Error", message=error.message)
    redact = Redactor(spec.secrets)
    auth = httpx.DigestAuth(*spec.digest) if spec.digest else None
    try:
        response = await http.get(
            url, headers={**spec.default_headers, **spec.headers}, params=spec.qs, auth=auth, timeout=30.0
        )
    except (httpx.HTTPError, ValueError) as error:
        return CheckResult(status="Error", message=redact(f"{type(error).__name__} calling {url}"))
    if response.status_code // 100 == 2:
        return CheckResult(status="OK", message="Connection tested successfully")
    if response.status_code in (401, 403):
        return CheckResult(
            status="Error", message=f"The service refused the credential ({response.status_code})"
        )
    return CheckResult(
        status="Error", message=f"The service answered {response.status_code} {response.reason_phrase}"
    )


__all__ = ["CheckResult", "UntestableCredentialError", "check_credential"]
