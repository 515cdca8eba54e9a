"""`StoreCredentials`: the `CredentialSource` of activities, the store first, then hive.yaml.

Used inside activities only (workflow code never sees a secret): `for_node` looks the node's
references up in the database, decrypts what it finds, renews OAuth2 tokens that are known to be
expired (or, with `refresh=True`, after a 401) and stores the new token data (if the renewal is
refused because another worker renewed it meanwhile, that worker's token is used); references the store
does not hold fall through to hive.yaml's `credentials:`. A reference found in neither is a
`NotFoundError` naming the credential and its type, which the node reports as its error.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping
from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from hive_core.config.models import CredentialConfig
from hive_core.credentials import oauth2
from hive_core.credentials.crypto import CredentialCipher
from hive_core.credentials.store import decrypt_data, find_credential, label, update_credential
from hive_core.db.models import Credential
from hive_core.errors import NotFoundError
from n8n_import.plan import CredentialRef
from n8n_runtime.http.credentials import ConfigCredentials, CredentialResolver, is_oauth2
from n8n_runtime.nodes.base import NodeError

log = logging.getLogger(__name__)


def flat_data(data: Mapping[str, Any]) -> dict[str, str]:
    """n8n's credential data as the HTTP node's string fields (objects and numbers as JSON)."""
    return {key: value if isinstance(value, str) else json.dumps(value) for key, value in data.items()}


class StoreCredentials:
    """Credentials from the database store, falling back to hive.yaml's."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        cipher: Callable[[], CredentialCipher],
        fallback: ConfigCredentials,
        http: httpx.AsyncClient | None = None,
    ) -> None:
        """Args:
        sessions: Hive's database.
        cipher: gives the store's cipher (called only when a stored credential is read, so a
            worker that never meets one creates no key file).
        fallback: hive.yaml's credentials.
        http: the client of OAuth2 token requests (None: tokens are used as stored).
        """
        self._sessions = sessions
        self._cipher = cipher
        self._fallback = fallback
        self._http = http

    async def for_node(
        self, references: Mapping[str, CredentialRef], *, refresh: bool = False
    ) -> CredentialResolver:
        """See `CredentialSource.for_node`."""
        found: dict[str, CredentialConfig] = {}
        # A stored credential of another type: said so, unless hive.yaml serves the reference.
        clashes: dict[str, NotFoundError] = {}
        if not references:
            return _Chained(found, clashes, self._fallback)
        async with self._sessions() as session:
            for credential_type, ref in references.items():
                try:
                    row = await find_credential(session, credential_type, ref.id, ref.name)
                except NotFoundError as error:
                    if "stored_type" in error.details:
                        clashes[credential_type] = error
                    continue
                cipher = self._cipher()
                data = decrypt_data(cipher, row)
                stale = refresh or oauth2.expired(data)
                if self._http is not None and is_oauth2(row.type) and oauth2.renewable(data) and stale:
                    data = await self._renew(session, cipher, row, data)
                found[credential_type] = CredentialConfig(type=row.type, data=flat_data(data))
        return _Chained(found, clashes, self._fallback)

    async def _renew(
        self, session: AsyncSession, cipher: CredentialCipher, row: Credential, data: dict[str, Any]
    ) -> dict[str, Any]:
        assert self._http is not None
        try:
            new = await oauth2.renew(self._http, row.type, data, row.name)
        except NodeError:
            # Another activity may have renewed it meanwhile (a rotated refresh token is then
            # refused): its token data, if it changed, is the one to use.
            await session.refresh(row)
            current = decrypt_data(cipher, row)
            if oauth2.token_data(current) != oauth2.token_data(data):
                return current
            raise
        await update_credential(session, cipher, row.id, data=new)
        await session.commit()
        log.info("renewed the OAuth2 token of credential %s", label(row.id, row.name))
        return new


class _Chained:
    """The store's credentials of one node, then hive.yaml's."""

    def __init__(
        self,
        found: dict[str, CredentialConfig],
        clashes: dict[str, NotFoundError],
        fallback: ConfigCredentials,
    ) -> None:
        self._found = found
        self._clashes = clashes
        self._fallback = fallback

    def resolve(self, credential_type: str, ref_id: str | None, ref_name: str | None) -> CredentialConfig:
        stored = self._found.get(credential_type)
        if stored is not None:
            return stored
        try:
            return self._fallback.resolve(credential_type, ref_id, ref_name)
        except NotFoundError as error:
            clash = self._clashes.get(credential_type)
            if clash is not None:
                raise clash from None
            if "is configured with type" in error.message:
                raise
            raise NotFoundError(
                f"Credential {label(ref_id, ref_name)} of type '{credential_type}' is neither in "
                "Hive's credential store (`hive credentials import`, POST /api/credentials) nor "
                "under `credentials:` in hive.yaml",
                **error.details,
            ) from None


__all__ = ["StoreCredentials", "flat_data"]
