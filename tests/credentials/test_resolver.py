"""`StoreCredentials`: a node's references resolved in the store first, then hive.yaml."""

from __future__ import annotations

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from hive_core.config import CredentialConfig
from hive_core.credentials import CredentialCipher, StoreCredentials, create_credential
from hive_core.errors import NotFoundError
from n8n_import.plan import CredentialRef
from n8n_runtime.http import ConfigCredentials

from .conftest import SECRET


@pytest.mark.parametrize("database_factory", ["sqlite"], indirect=True)
async def test_store_then_hive_yaml(
    sessions: async_sessionmaker[AsyncSession], cipher: CredentialCipher
) -> None:
    async with sessions() as session:
        await create_credential(
            session,
            cipher,
            name="Shared",
            credential_type="httpHeaderAuth",
            data={"name": "X", "value": SECRET, "nested": {"a": 1}, "flag": True},
            credential_id="h1",
        )
        await session.commit()
    yaml = ConfigCredentials(
        {
            "Shared": CredentialConfig(type="httpHeaderAuth", data={"name": "X", "value": "from yaml"}),
            "Yaml only": CredentialConfig(type="httpQueryAuth", data={"name": "k", "value": "q"}),
        }
    )
    calls: list[str] = []

    def cipher_factory() -> CredentialCipher:
        calls.append("cipher")
        return cipher

    source = StoreCredentials(sessions, cipher_factory, yaml)
    assert calls == []  # no key is read before a stored credential is

    resolver = await source.for_node(
        {
            "httpHeaderAuth": CredentialRef(id="h1", name="Shared"),
            "httpQueryAuth": CredentialRef(name="Yaml only"),
            "httpBasicAuth": CredentialRef(id="h1"),
            "slackApi": CredentialRef(id="s9", name="Slack"),
        }
    )
    stored = resolver.resolve("httpHeaderAuth", "h1", "Shared")
    assert stored.type == "httpHeaderAuth"
    # The HTTP node reads string fields: objects and booleans arrive as JSON text.
    assert stored.data == {"name": "X", "value": SECRET, "nested": '{"a": 1}', "flag": "true"}
    assert resolver.resolve("httpQueryAuth", None, "Yaml only").data["value"] == "q"
    with pytest.raises(
        NotFoundError, match="stored with type 'httpHeaderAuth', but the node needs a 'httpBasicAuth'"
    ):
        resolver.resolve("httpBasicAuth", "h1", None)
    with pytest.raises(
        NotFoundError, match="'Slack' \\(id s9\\) of type 'slackApi' is neither in Hive's credential store"
    ):
        resolver.resolve("slackApi", "s9", "Slack")
    assert calls == ["cipher"]
