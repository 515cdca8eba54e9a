"""Where the HTTP Request node gets its credentials: Hive's credential store and `credentials:`.

An n8n node references a credential as `{credentialType: {id, name}}`; Hive keys its configured
credentials by name or id. Lookup is by id first, then by name (exports carry n8n's ids, people
write names). The configured type must equal the type the node asks for, with one allowance: a
static-token `oAuth2Api` credential serves any service OAuth2 type (`googleSheetsOAuth2Api`, ...),
since Hive sends a stored access token and never runs an OAuth flow.

Activities ask a `CredentialSource` for the resolver of one node (`for_node`): the source may do
I/O there (the database store of `hive_core.credentials`, chained before hive.yaml), and the
resolver the node uses is then synchronous. `run_with_credentials` also gives OAuth2 credentials
n8n's second chance: a 401 refreshes the token (`for_node(refresh=True)`) and runs the call again.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Protocol, TypeVar

from hive_core.config.models import CredentialConfig
from hive_core.errors import NotFoundError
from n8n_import.plan import CredentialRef
from n8n_runtime.http.errors import HttpStatusError

T = TypeVar("T")


class CredentialResolver(Protocol):
    """Finds the credential a node references."""

    def resolve(self, credential_type: str, ref_id: str | None, ref_name: str | None) -> CredentialConfig:
        """The credential of `credential_type` with id `ref_id` or name `ref_name`.

        Raises:
            NotFoundError: naming the credential, when none of that type is configured.
        """
        ...


class CredentialSource(Protocol):
    """Gives the resolver of one node's credential references (inside an activity)."""

    async def for_node(
        self, references: Mapping[str, CredentialRef], *, refresh: bool = False
    ) -> CredentialResolver:
        """A resolver for `references` (`{credentialType: ref}`); `refresh`: renew OAuth2 tokens first."""
        ...


def is_oauth2(credential_type: str) -> bool:
    """Whether `credential_type` is an OAuth2 credential (oAuth2Api or a service's `*OAuth2Api`)."""
    return credential_type == "oAuth2Api" or credential_type.endswith("OAuth2Api")


async def run_with_credentials(
    source: CredentialSource,
    references: Mapping[str, CredentialRef],
    call: Callable[[CredentialResolver], Awaitable[T]],
) -> T:
    """`call` with the node's resolver; on a 401 with an OAuth2 credential, refresh and call again.

    As n8n's `requestOAuth2` does: the token may have expired without the credential knowing.
    """
    resolver = await source.for_node(references)
    try:
        return await call(resolver)
    except HttpStatusError as error:
        if error.status != 401 or not any(is_oauth2(t) for t in references):
            raise
    return await call(await source.for_node(references, refresh=True))


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

    async def for_node(
        self, references: Mapping[str, CredentialRef], *, refresh: bool = False
    ) -> CredentialResolver:
        """See `CredentialSource.for_node` (hive.yaml tokens are static: nothing to refresh)."""
        return self

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


__all__ = [
    "ConfigCredentials",
    "CredentialResolver",
    "CredentialSource",
    "compatible",
    "is_oauth2",
    "run_with_credentials",
]
