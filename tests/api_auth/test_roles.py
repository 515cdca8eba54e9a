"""Every endpoint of the auth, keys, users and workflows routers, for every role: allowed or denied."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from api.auth import WWW_AUTHENTICATE
from hive_core.auth import ROLE_PERMISSIONS, Permission
from hive_core.db.models import UserRole

from .conftest import ApiFactory, auth

ANY = None  # any authenticated principal

# (method, path, permission needed, JSON body)
ENDPOINTS: list[tuple[str, str, Permission | None, Any]] = [
    ("GET", "/api/auth/me", ANY, None),
    ("POST", "/api/auth/logout", ANY, None),
    ("POST", "/api/keys", Permission.KEYS_MANAGE, {}),
    ("GET", "/api/keys", Permission.KEYS_MANAGE, None),
    ("DELETE", "/api/keys/nope", Permission.KEYS_MANAGE, None),
    ("POST", "/api/users", Permission.USERS_MANAGE, {}),
    ("GET", "/api/users", Permission.USERS_MANAGE, None),
    ("POST", "/api/users/nope/disable", Permission.USERS_MANAGE, None),
    ("POST", "/api/users/nope/enable", Permission.USERS_MANAGE, None),
    ("GET", "/api/workflows", Permission.WORKFLOWS_READ, None),
    ("GET", "/api/workflows/nope", Permission.WORKFLOWS_READ, None),
    ("GET", "/api/workflows/nope/versions", Permission.WORKFLOWS_READ, None),
    ("GET", "/api/workflows/nope/versions/1", Permission.WORKFLOWS_READ, None),
    ("POST", "/api/workflows", Permission.WORKFLOWS_WRITE, {"nodes": "not a list"}),
    ("PUT", "/api/workflows/nope", Permission.WORKFLOWS_WRITE, {}),
    ("DELETE", "/api/workflows/nope", Permission.WORKFLOWS_WRITE, None),
    ("POST", "/api/workflows/nope/activate", Permission.WORKFLOWS_WRITE, None),
    ("POST", "/api/workflows/nope/deactivate", Permission.WORKFLOWS_WRITE, None),
    ("POST", "/api/workflows/import-from-n8n", Permission.WORKFLOWS_WRITE, {}),
]


def test_the_table_covers_every_route_of_these_routers() -> None:
    from api.routers import auth as auth_router
    from api.routers import keys, users, workflows

    routes = {
        (method, route.path)  # type: ignore[attr-defined]
        for router in (auth_router.router, keys.router, users.router, workflows.router)
        for route in router.routes
        for method in route.methods  # type: ignore[attr-defined]
    }
    covered = {(m, p.replace("nope", "{id}")) for m, p, _, _ in ENDPOINTS}
    normalized = {
        (m, p.replace("{key_id}", "{id}").replace("{user_id}", "{id}").replace("{workflow_id}", "{id}"))
        for m, p in routes
    }
    normalized = {(m, p.replace("{version}", "1")) for m, p in normalized}
    assert normalized - covered - {("POST", "/api/auth/login")} == set()


def test_the_role_table_nests() -> None:
    viewer, approver, operator, admin = (
        ROLE_PERMISSIONS[role]
        for role in (UserRole.VIEWER, UserRole.APPROVER, UserRole.OPERATOR, UserRole.ADMIN)
    )
    assert viewer < operator < admin
    assert viewer < approver < admin
    assert Permission.APPROVALS_DECIDE in approver and Permission.APPROVALS_DECIDE not in operator
    assert Permission.WORKFLOWS_WRITE not in approver


@pytest.mark.parametrize("role", list(UserRole))
async def test_each_role_is_allowed_exactly_its_permissions(
    role: UserRole, make_api: ApiFactory, make_key: Callable[..., Any]
) -> None:
    key = await make_key(role)
    async with make_api() as http:
        for method, path, permission, body in ENDPOINTS:
            response = await http.request(method, path, json=body, headers=auth(key))
            allowed = permission is None or permission in ROLE_PERMISSIONS[role]
            if allowed:
                assert response.status_code not in (401, 403), (method, path, response.text)
            else:
                assert response.status_code == 403, (method, path, response.text)
                error = response.json()["error"]
                assert error["type"] == "PermissionDeniedError"
                assert permission is not None and error["permission"] == permission.value


async def test_every_endpoint_needs_credentials(make_api: ApiFactory) -> None:
    async with make_api() as http:
        for method, path, _, body in ENDPOINTS:
            for headers in ({}, auth("hive_0123456789ab_wrong"), {"Authorization": "Bearer nonsense"}):
                response = await http.request(method, path, json=body, headers=headers)
                assert response.status_code == 401, (method, path, headers)
                assert response.headers["WWW-Authenticate"] == WWW_AUTHENTICATE
                assert response.json()["error"]["type"] == "AuthenticationError"
