"""Users with passwords: login sessions that expire, logout, disabling, audit."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from hive_core.db import utcnow
from hive_core.db.models import AuditLog, User, UserRole, UserSession

from .conftest import ApiFactory, auth, bearer, cluster_with

PASSWORD = "correct horse battery"


async def _create_user(http: Any, admin: str, email: str, role: str = "operator") -> dict[str, Any]:
    response = await http.post(
        "/api/users", json={"email": email, "password": PASSWORD, "role": role}, headers=auth(admin)
    )
    assert response.status_code == 201, response.text
    return dict(response.json())


async def test_login_me_logout(
    make_api: ApiFactory, make_key: Callable[..., Any], sessions: async_sessionmaker[AsyncSession]
) -> None:
    admin = await make_key(UserRole.ADMIN)
    async with make_api(cluster_with(session_timeout=120, api_rate_limit=10_000)) as http:
        user = await _create_user(http, admin, "Ada@Example.org")
        assert user["email"] == "ada@example.org" and user["role"] == "operator"
        duplicate = await http.post(
            "/api/users", json={"email": "ada@example.org", "password": PASSWORD}, headers=auth(admin)
        )
        assert duplicate.status_code == 409

        wrong = await http.post("/api/auth/login", json={"email": "ada@example.org", "password": "nope"})
        unknown = await http.post("/api/auth/login", json={"email": "bob@example.org", "password": PASSWORD})
        assert wrong.status_code == unknown.status_code == 401
        assert wrong.json()["error"]["message"] == unknown.json()["error"]["message"]

        login = await http.post("/api/auth/login", json={"email": "ADA@example.org", "password": PASSWORD})
        assert login.status_code == 200, login.text
        token = login.json()["token"]
        expires_at = datetime.fromisoformat(login.json()["expires_at"])
        # session_timeout from hive.yaml's security section.
        assert abs((expires_at - utcnow()).total_seconds() - 120) < 10

        me = (await http.get("/api/auth/me", headers=bearer(token))).json()
        assert me == {
            "kind": "session",
            "actor": "ada@example.org",
            "role": "operator",
            "user_id": user["id"],
            "credential_id": me["credential_id"],
            "permissions": me["permissions"],
        }
        # A session token in X-API-Key works too.
        assert (await http.get("/api/workflows", headers=auth(token))).status_code == 200
        assert (await http.get("/api/users", headers=bearer(token))).status_code == 403
        # Logging out with an API key is a conflict, not a silent no-op.
        assert (await http.post("/api/auth/logout", headers=auth(admin))).status_code == 409

        assert (await http.post("/api/auth/logout", headers=bearer(token))).status_code == 204
        assert (await http.get("/api/auth/me", headers=bearer(token))).status_code == 401

    async with sessions() as session:
        actions = set((await session.scalars(select(AuditLog.action))).all())
    assert {"create", "login", "logout"} <= actions


async def test_a_session_expires(
    make_api: ApiFactory, make_key: Callable[..., Any], sessions: async_sessionmaker[AsyncSession]
) -> None:
    admin = await make_key(UserRole.ADMIN)
    async with make_api() as http:
        await _create_user(http, admin, "eve@example.org", role="viewer")
        token = (
            await http.post("/api/auth/login", json={"email": "eve@example.org", "password": PASSWORD})
        ).json()["token"]
        assert (await http.get("/api/auth/me", headers=bearer(token))).status_code == 200
        # Instead of sleeping through session_timeout (at least 60 s), move the expiry into the past.
        async with sessions() as session, session.begin():
            await session.execute(update(UserSession).values(expires_at=utcnow() - timedelta(seconds=1)))
        assert (await http.get("/api/auth/me", headers=bearer(token))).status_code == 401


async def test_disabling_a_user_ends_sessions_and_keys(
    make_api: ApiFactory, make_key: Callable[..., Any], sessions: async_sessionmaker[AsyncSession]
) -> None:
    admin = await make_key(UserRole.ADMIN)
    async with make_api() as http:
        user = await _create_user(http, admin, "mallory@example.org")
        token = (
            await http.post("/api/auth/login", json={"email": "mallory@example.org", "password": PASSWORD})
        ).json()["token"]
        key = (
            await http.post(
                "/api/keys",
                json={"name": "mallory's", "role": "operator", "user_id": user["id"]},
                headers=auth(admin),
            )
        ).json()["key"]
        assert (await http.get("/api/auth/me", headers=auth(key))).json()["actor"] == "mallory@example.org"

        disabled = await http.post(f"/api/users/{user['id']}/disable", headers=auth(admin))
        assert disabled.status_code == 200 and disabled.json()["is_active"] is False
        assert (await http.get("/api/auth/me", headers=bearer(token))).status_code == 401
        assert (await http.get("/api/auth/me", headers=auth(key))).status_code == 401
        login = await http.post(
            "/api/auth/login", json={"email": "mallory@example.org", "password": PASSWORD}
        )
        assert login.status_code == 401

        assert (await http.post(f"/api/users/{user['id']}/enable", headers=auth(admin))).status_code == 200
        assert (await http.get("/api/auth/me", headers=auth(key))).status_code == 200
        # The old session stays ended: enabling does not resurrect sessions.
        assert (await http.get("/api/auth/me", headers=bearer(token))).status_code == 401
        listed = (await http.get("/api/users", headers=auth(admin))).json()
        assert [u["email"] for u in listed] == ["mallory@example.org"]
        assert (await http.post("/api/users/unknown/disable", headers=auth(admin))).status_code == 404

    async with sessions() as session:
        stored = await session.get(User, user["id"])
        assert stored is not None and stored.password_hash and PASSWORD not in stored.password_hash
        assert stored.password_hash.startswith("scrypt$")


async def test_login_attempts_are_limited_per_email(
    make_api: ApiFactory, make_key: Callable[..., Any]
) -> None:
    from api.routers.auth import LOGIN_ATTEMPTS_PER_MINUTE

    admin = await make_key(UserRole.ADMIN)
    async with make_api() as http:
        await _create_user(http, admin, "guess@example.org")
        wrong = {"email": "guess@example.org", "password": "wrong guess"}
        for _ in range(LOGIN_ATTEMPTS_PER_MINUTE):
            assert (await http.post("/api/auth/login", json=wrong)).status_code == 401
        limited = await http.post("/api/auth/login", json={**wrong, "password": PASSWORD})
        assert limited.status_code == 429 and int(limited.headers["Retry-After"]) >= 1
        # Other emails are not affected.
        assert (
            await http.post("/api/auth/login", json={**wrong, "email": "x@example.org"})
        ).status_code == 401
