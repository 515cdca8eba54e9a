"""OAuth2 credentials renew their token at a local RFC 6749 token endpoint and keep the new data."""

from __future__ import annotations

import sqlite3
import time
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.client import Client

from hive_core.credentials import (
    StoreCredentials,
    create_credential,
    decrypt_data,
    get_credential,
    load_cipher,
)
from hive_core.credentials.oauth2 import expired, renew
from n8n_import import compile_export
from n8n_import.plan import CredentialRef
from n8n_runtime.http import ConfigCredentials
from n8n_runtime.nodes.base import NodeError
from tests.builders import chain, node
from workers.factory import build_central_worker
from workflows.n8n_models import ExecutionStatus, RunN8nInput
from workflows.n8n_run import N8nWorkflow

from .conftest import run_settings
from .servers import Server, token_server

CLIENT_ID, CLIENT_SECRET, REFRESH = "hive client", "client:secret", "refresh-1"


def _data(server: Server, token: str, **extra: Any) -> dict[str, Any]:
    return {
        "grantType": "authorizationCode",
        "accessTokenUrl": f"{server.url}/token",
        "clientId": CLIENT_ID,
        "clientSecret": CLIENT_SECRET,
        "authentication": "header",
        "oauthTokenData": {"access_token": token, "refresh_token": REFRESH, "token_type": "Bearer", **extra},
    }


async def test_renew_with_refresh_token_and_client_credentials() -> None:
    with token_server(CLIENT_ID, CLIENT_SECRET, REFRESH, expires_in=600) as server:
        async with httpx.AsyncClient() as http:
            # Client authenticated with HTTP Basic (n8n's default), then in the form.
            for authentication in ("header", "body"):
                data = {**_data(server, "old", scope="read"), "authentication": authentication}
                new = await renew(http, "oAuth2Api", data, "Ada")
                token = new["oauthTokenData"]
                assert token["access_token"] == server.current_token
                assert token["refresh_token"] == REFRESH and token["scope"] == "read"  # kept
                assert abs(token["expires_at"] - (time.time() + 600)) < 5
                assert not expired(new) and expired(new, now=time.time() + 599)

            clients = {
                "grantType": "clientCredentials",
                **{k: v for k, v in _data(server, "x").items() if k != "grantType"},
            }
            new = await renew(http, "oAuth2Api", clients, "Machine")
            assert new["oauthTokenData"]["access_token"] == server.current_token
            assert server.seen[-1]["grant_type"] == "client_credentials"

            revoked = {**_data(server, "old"), "oauthTokenData": {"refresh_token": "revoked"}}
            with pytest.raises(NodeError, match="credential 'Ada' failed: 400 invalid_grant"):
                await renew(http, "oAuth2Api", revoked, "Ada")
            with pytest.raises(NodeError, match="no Access Token URL"):
                await renew(http, "someServiceOAuth2Api", {"oauthTokenData": {"refresh_token": "r"}}, "S")


async def test_an_expired_token_is_renewed_before_the_request_and_stored(
    tmp_path: Path, migrated_url: str, sessions: async_sessionmaker[AsyncSession]
) -> None:
    settings = run_settings(tmp_path, migrated_url)
    cipher = load_cipher(settings)
    with token_server(CLIENT_ID, CLIENT_SECRET, REFRESH) as server:
        async with sessions() as session:
            data = _data(server, "stale", expires_at=int(time.time()) - 10)
            await create_credential(
                session,
                cipher,
                name="Sheets",
                credential_type="googleSheetsOAuth2Api",
                data=data,
                credential_id="g1",
            )
            fresh = _data(server, "fresh", expires_at=int(time.time()) + 3600)
            await create_credential(
                session, cipher, name="Fresh", credential_type="oAuth2Api", data=fresh, credential_id="f1"
            )
            await session.commit()
        async with httpx.AsyncClient() as http:
            source = StoreCredentials(sessions, lambda: cipher, ConfigCredentials({}), http)
            resolver = await source.for_node(
                {"googleSheetsOAuth2Api": CredentialRef(id="g1"), "oAuth2Api": CredentialRef(name="Fresh")}
            )
        used = resolver.resolve("googleSheetsOAuth2Api", "g1", None)
        assert '"access_token": "access-1"' in used.data["oauthTokenData"]
        assert '"fresh"' in resolver.resolve("oAuth2Api", None, "Fresh").data["oauthTokenData"]
        assert server.issued == 1  # only the expired one
    async with sessions() as session:
        stored = decrypt_data(cipher, await get_credential(session, "g1"))
    assert stored["oauthTokenData"]["access_token"] == "access-1"
    assert stored["oauthTokenData"]["refresh_token"] == REFRESH


async def test_a_401_renews_the_token_and_the_node_succeeds(
    client: Client,
    task_queue: str,
    tmp_path: Path,
    migrated_url: str,
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    settings = run_settings(tmp_path, migrated_url, task_queue)
    cipher = load_cipher(settings)
    with token_server(CLIENT_ID, CLIENT_SECRET, REFRESH) as server:
        async with sessions() as session:
            # No expiry known (as in n8n's own exports): only the service's 401 says it expired.
            data = _data(server, "expired-at-the-service")
            await create_credential(
                session, cipher, name="Svc", credential_type="oAuth2Api", data=data, credential_id="o1"
            )
            await session.commit()
        call = node(
            "Me",
            "httpRequest",
            4.2,
            200,
            url=f"{server.url}/me",
            authentication="genericCredentialType",
            genericAuthType="oAuth2Api",
            options={},
        )
        call["credentials"] = {"oAuth2Api": {"id": "o1", "name": "Svc"}}
        workflow = chain("oauth", [node("Start", "manualTrigger", 1), call])
        async with build_central_worker(client, settings, sessions=sessions):
            snapshot = await client.execute_workflow(
                N8nWorkflow.run,
                RunN8nInput(plan=compile_export(workflow)[0]),
                id=f"test-{uuid.uuid4().hex[:10]}",
                task_queue=task_queue,
            )
    assert snapshot.status is ExecutionStatus.SUCCESS, (snapshot.error, server.seen)
    assert snapshot.run_data["Me"][0]["data"]["main"][0][0]["json"] == {"me": "ada"}
    assert [s.get("ok", s.get("grant_type")) for s in server.seen] == [False, "refresh_token", True]
    async with sessions() as session:
        stored = decrypt_data(cipher, await get_credential(session, "o1"))
    assert stored["oauthTokenData"]["access_token"] == "access-1"


@pytest.mark.parametrize("database_factory", ["sqlite"], indirect=True)
async def test_a_token_renewed_meanwhile_by_another_worker_is_used(
    tmp_path: Path, migrated_url: str, sessions: async_sessionmaker[AsyncSession]
) -> None:
    settings = run_settings(tmp_path, migrated_url)
    cipher = load_cipher(settings)
    database = make_url(migrated_url).database
    assert database is not None

    def other_worker_renews() -> None:
        # Another worker already used the (rotating) refresh token and stored its new token.
        theirs = {
            **_data(server, "theirs"),
            "oauthTokenData": {"access_token": "theirs", "refresh_token": "r2"},
        }
        with sqlite3.connect(database) as connection:
            connection.execute(
                "UPDATE credentials SET data_encrypted = ? WHERE id = 'o1'", (cipher.encrypt(theirs),)
            )

    with token_server(CLIENT_ID, CLIENT_SECRET, "r2", on_request=other_worker_renews) as server:
        async with sessions() as session:
            await create_credential(
                session,
                cipher,
                name="Svc",
                credential_type="oAuth2Api",
                data=_data(server, "old"),
                credential_id="o1",
            )
            await session.commit()
        async with httpx.AsyncClient() as http:
            source = StoreCredentials(sessions, lambda: cipher, ConfigCredentials({}), http)
            resolver = await source.for_node({"oAuth2Api": CredentialRef(id="o1")}, refresh=True)
    assert '"access_token": "theirs"' in resolver.resolve("oAuth2Api", "o1", None).data["oauthTokenData"]
    assert server.seen == [{"path": "/token", "grant_type": "refresh_token"}]  # refused: REFRESH was used
