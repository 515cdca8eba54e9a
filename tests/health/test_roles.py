"""The agents and alerts endpoints for every role, allowed or denied (SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from api.auth import WWW_AUTHENTICATE
from hive_core.auth import ROLE_PERMISSIONS, Permission
from hive_core.db.models import AuditLog, UserRole
from tests.api_auth.conftest import ApiFactory, auth

AGENT = {"id": "oak", "endpoint": "http://oak:11434", "model": "mistral"}

# (method, path, permission needed, JSON body). Bodies are valid where the permission allows a
# change, so an allowed call really runs the route (201, 204, 404 — never 401/403).
ENDPOINTS: list[tuple[str, str, Permission, Any]] = [
    ("GET", "/api/agents", Permission.AGENTS_READ, None),
    ("GET", "/api/agents/nope", Permission.AGENTS_READ, None),
    ("POST", "/api/agents", Permission.AGENTS_WRITE, AGENT),
    ("DELETE", "/api/agents/oak", Permission.AGENTS_WRITE, None),
    ("GET", "/api/alerts", Permission.ALERTS_READ, None),
    ("POST", "/api/alerts/nope/acknowledge", Permission.ALERTS_WRITE, None),
]


def test_the_table_covers_every_route_of_these_routers() -> None:
    from api.routers import agents, alerts

    routes = {
        (method, route.path)  # type: ignore[attr-defined]
        for router in (agents.router, alerts.router)
        for route in router.routes
        for method in route.methods  # type: ignore[attr-defined]
    }
    covered = {(m, p.replace("nope", "{id}").replace("oak", "{id}")) for m, p, _, _ in ENDPOINTS}
    normalized = {(m, p.replace("{agent_id}", "{id}").replace("{alert_id}", "{id}")) for m, p in routes}
    assert normalized == covered


@pytest.mark.parametrize("role", list(UserRole))
async def test_each_role_is_allowed_exactly_its_permissions(
    role: UserRole, make_api: ApiFactory, make_key: Callable[..., Any]
) -> None:
    key = await make_key(role)
    async with make_api() as http:
        for method, path, permission, body in ENDPOINTS:
            response = await http.request(method, path, json=body, headers=auth(key))
            if permission in ROLE_PERMISSIONS[role]:
                assert response.status_code in (200, 201, 204, 404), (method, path, response.text)
            else:
                assert response.status_code == 403, (method, path, response.text)
                error = response.json()["error"]
                assert (error["type"], error["permission"]) == ("PermissionDeniedError", permission.value)


async def test_every_endpoint_needs_credentials(make_api: ApiFactory) -> None:
    async with make_api() as http:
        for method, path, _, body in ENDPOINTS:
            for headers in ({}, auth("hive_0123456789ab_wrong")):
                response = await http.request(method, path, json=body, headers=headers)
                assert response.status_code == 401, (method, path, headers)
                assert response.headers["WWW-Authenticate"] == WWW_AUTHENTICATE


async def test_agent_changes_are_audited_under_the_caller(
    make_api: ApiFactory, make_key: Callable[..., Any], sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    operator, viewer = await make_key(UserRole.OPERATOR), await make_key(UserRole.VIEWER)
    async with make_api() as http:
        assert (await http.post("/api/agents", json=AGENT, headers=auth(operator))).status_code == 201
        listed = await http.get("/api/agents", headers=auth(viewer))
        assert [view["agent"]["id"] for view in listed.json()] == ["oak"]
        assert (await http.delete("/api/agents/oak", headers=auth(operator))).status_code == 204
    async with sessionmaker() as session:
        rows = await session.scalars(select(AuditLog).where(AuditLog.resource_type == "agent"))
        assert sorted((row.actor, row.action, row.resource_id) for row in rows) == [
            ("key:operator-test", "create", "oak"),
            ("key:operator-test", "delete", "oak"),
        ]
