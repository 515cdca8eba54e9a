"""Where the HTTP Request node gets its credentials: Hive's configured `credentials:` (hive.yaml).

An n8n node references a credential as `{credentialType: {id, name}}`; Hive keys its configured
credentials by name or id. Lookup is by id first, then by name (exports carry n8n's ids, people
write names). The configured type must equal the type the node asks for, with one allowance: a
static-token `oAuth2Api` credential serves any service OAuth2 type (`googleSheetsOAuth2Api`, ...),
since Hive sends a stored access token and never runs an OAuth flow.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

from hive_core.config.models import CredentialConfig
from hive_core.errors import NotFoundError


class CredentialResolver(Protocol):
    """Finds the credential a node references."""

    def resolve(self, credential_type: str, ref_id: str | None, ref_name: str | None) -> CredentialConfig:
        """The credential of `credential_type` with id `ref_id` or name `ref_name`.

        Raises:
            NotFoundError: naming the credential, when none of that type is configured.
        """
        ...


def compatible(requested: str, configured: str) -> bool:
    """Whether a credential configured as `configured` may serve a node asking for `requested`."""
    if requested == configured:
        return True
    return requested.endswith("OAuth2Api") and configured == "oAuth2Api"


class ConfigCredentials:
    """`CredentialResolver` over `ClusterConfig.credentials` (keyed by name or id)."""

    def __init__(self, credentials: Mapping[str, CredentialConfig]) -> None:
        """Args:
        credentials: Hive's configured credentials, usually `cluster.credentials`.
        """
        self._credentials = dict(credentials)

    def resolve(self, credential_type: str, ref_id: str | None, ref_name: str | None) -> CredentialConfig:
        """See `CredentialResolver.resolve`."""
        label = _label(ref_id, ref_name)
        for key in (ref_id, ref_name):
            found = self._credentials.get(key) if key else None
            if found is None:
                continue
            if compatible(credential_type, found.type):
                return found
            raise NotFoundError(
                f"Credential {label} is configured with type '{found.type}', but the node needs "
                f"a '{credential_type}' credential",
                credential=ref_name or ref_id,
                credential_type=credential_type,
            )
        raise NotFoundError(
            f"Credential {label} of type '{credential_type}' is not configured: add it under "
            f"`credentials:` in hive.yaml (key: its name or id, type: {credential_type})",
            credential=ref_name or ref_id,
            credential_type=credential_type,
        )


def _label(ref_id: str | None, ref_name: str | None) -> str:
    if ref_name and ref_id:
        return f"'{ref_name}' (id {ref_id})"
    return f"'{ref_name or ref_id}'"


__all__ = ["ConfigCredentials", "CredentialResolver", "compatible"]
