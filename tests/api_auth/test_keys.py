"""API keys: shown once, stored hashed, both header styles, expiry, revocation, audit, bootstrap."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from hive_core.auth import ensure_bootstrap_key, hash_token, parse_token
from hive_core.auth.bootstrap import BOOTSTRAP_KEY_NAME
from hive_core.db import utcnow
from hive_core.db.models import ApiKey, AuditLog, UserRole

from .conftest import ApiFactory, auth, bearer


async def test_create_list_use_and_revoke_a_key(
    make_api: ApiFactory, make_key: Callable[..., Any], sessions: async_sessionmaker[AsyncSession]
) -> None:
    admin = await make_key(UserRole.ADMIN)
    async with make_api() as http:
        created = await http.post(
            "/api/keys", json={"name": "ci", "role": "operator", "expires_in_days": 1}, headers=auth(admin)
        )
        assert created.status_code == 201, created.text
        body = created.json()
        secret = body["key"]
        parsed = parse_token(secret)
        assert parsed is not None and parsed.prefix == body["prefix"]
        assert body["role"] == "operator" and body["expires_at"] is not None

        # Only the hash is stored; the list never shows a secret.
        async with sessions() as session:
            row = await session.get(ApiKey, body["id"])
            assert row is not None and row.key_hash == hash_token(secret) and secret not in row.key_hash
        listed = (await http.get("/api/keys", headers=auth(admin))).json()
        assert {k["id"] for k in listed} >= {body["id"]}
        assert all("key" not in k for k in listed) and secret not in str(listed)

        # Either header works.
        for headers in (auth(secret), bearer(secret)):
            me = await http.get("/api/auth/me", headers=headers)
            assert me.status_code == 200
            assert me.json()["role"] == "operator" and me.json()["actor"] == "key:ci"
            assert "workflows:write" in me.json()["permissions"]

        used = {k["id"]: k for k in (await http.get("/api/keys", headers=auth(admin))).json()}
        assert used[body["id"]]["last_used_at"] is not None

        assert (await http.delete(f"/api/keys/{body['id']}", headers=auth(admin))).status_code == 204
        revoked = await http.get("/api/auth/me", headers=auth(secret))
        assert revoked.status_code == 401
        listed = {k["id"]: k for k in (await http.get("/api/keys", headers=auth(admin))).json()}
        assert listed[body["id"]]["revoked_at"] is not None
        assert (await http.delete("/api/keys/unknown", headers=auth(admin))).status_code == 404

    async with sessions() as session:
        actions = (
            await session.execute(
                select(AuditLog.action, AuditLog.resource_id).where(AuditLog.resource_type == "api_key")
            )
        ).all()
    assert ("create", body["id"]) in actions and ("revoke", body["id"]) in actions


async def test_an_expired_key_is_refused(
    make_api: ApiFactory, make_key: Callable[..., Any], sessions: async_sessionmaker[AsyncSession]
) -> None:
    key = await make_key(UserRole.VIEWER, expires_at=utcnow() + timedelta(days=1))
    async with make_api() as http:
        assert (await http.get("/api/workflows", headers=auth(key))).status_code == 200
        prefix = parse_token(key).prefix  # type: ignore[union-attr]
        async with sessions() as session, session.begin():
            await session.execute(
                update(ApiKey)
                .where(ApiKey.prefix == prefix)
                .values(expires_at=utcnow() - timedelta(seconds=1))
            )
        response = await http.get("/api/workflows", headers=auth(key))
        assert response.status_code == 401
        assert "expired" in response.json()["error"]["message"]


async def test_a_key_with_a_wrong_secret_is_refused(
    make_api: ApiFactory, make_key: Callable[..., Any]
) -> None:
    key = await make_key(UserRole.ADMIN)
    forged = key[:-4] + ("AAAA" if not key.endswith("AAAA") else "BBBB")
    async with make_api() as http:
        assert (await http.get("/api/auth/me", headers=auth(forged))).status_code == 401
        assert (await http.get("/api/auth/me", headers={"Authorization": f"Basic {key}"})).status_code == 401


async def test_bootstrap_key_only_on_an_empty_database(
    make_api: ApiFactory, sessions: async_sessionmaker[AsyncSession]
) -> None:
    first = await ensure_bootstrap_key(sessions)
    assert first is not None
    assert await ensure_bootstrap_key(sessions) is None
    async with make_api() as http:
        me = await http.get("/api/auth/me", headers=auth(first))
        assert me.json()["role"] == "admin" and me.json()["actor"] == f"key:{BOOTSTRAP_KEY_NAME}"


async def test_no_bootstrap_key_once_a_user_exists(
    migrated_url: str, sessions: async_sessionmaker[AsyncSession]
) -> None:
    from hive_core.auth.bootstrap import bootstrap_admin_key
    from hive_core.auth.users import create_user

    async with sessions() as session, session.begin():
        await create_user(session, email="first@example.org", password=None, role=UserRole.ADMIN)
    assert await bootstrap_admin_key(migrated_url) is None
