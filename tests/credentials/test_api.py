"""`/api/credentials` and the node host's `/api/internal/credentials` routes, every role."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from hive_core.credentials import issue_node_host_key
from hive_core.db.models import AuditLog, UserRole
from tests.api_auth.conftest import ApiFactory, auth

from .conftest import SECRET

HEADER = {"name": "GitHub", "type": "httpHeaderAuth", "data": {"name": "Authorization", "value": SECRET}}

# (method, path, roles allowed, body): the body is valid, so an allowed role gets past validation.
ENDPOINTS: list[tuple[str, str, set[UserRole], Any]] = [
    ("POST", "/api/credentials", {UserRole.OPERATOR, UserRole.ADMIN}, {"name": "n", "type": "t", "data": {}}),
    ("GET", "/api/credentials", {UserRole.OPERATOR, UserRole.ADMIN}, None),
    ("GET", "/api/credentials/nope", {UserRole.OPERATOR, UserRole.ADMIN}, None),
    ("GET", "/api/credentials/nope?include_data=true", {UserRole.ADMIN}, None),
    ("PATCH", "/api/credentials/nope", {UserRole.OPERATOR, UserRole.ADMIN}, {}),
    ("DELETE", "/api/credentials/nope", {UserRole.OPERATOR, UserRole.ADMIN}, None),
    ("POST", "/api/credentials/nope/test", {UserRole.OPERATOR, UserRole.ADMIN}, {}),
    (
        "POST",
        "/api/internal/credentials/resolve",
        {UserRole.SERVICE, UserRole.ADMIN},
        {"type": "t", "id": "x"},
    ),
    ("PUT", "/api/internal/credentials/nope/data", {UserRole.SERVICE, UserRole.ADMIN}, {"data": {}}),
]


def test_the_table_covers_every_credentials_route() -> None:
    from api.routers import credentials

    routes = {
        (method, route.path)  # type: ignore[attr-defined]
        for router in (credentials.router, credentials.internal)
        for route in router.routes
        for method in route.methods  # type: ignore[attr-defined]
    }
    covered = {(m, p.split("?")[0].replace("nope", "{credential_id}")) for m, p, _, _ in ENDPOINTS}
    assert routes == covered


@pytest.mark.parametrize("role", list(UserRole))
async def test_each_role_reaches_exactly_its_routes(
    role: UserRole, make_api: ApiFactory, make_key: Callable[..., Any]
) -> None:
    key = await make_key(role)
    async with make_api() as http:
        for method, path, allowed, body in ENDPOINTS:
            response = await http.request(method, path, json=body, headers=auth(key))
            if role in allowed:
                assert response.status_code not in (401, 403), (method, path, response.text)
            else:
                assert response.status_code == 403, (method, path, response.text)
                assert response.json()["error"]["type"] == "PermissionDeniedError"


async def test_create_list_read_update_delete(
    make_api: ApiFactory,
    make_key: Callable[..., Any],
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    operator, admin = auth(await make_key(UserRole.OPERATOR)), auth(await make_key(UserRole.ADMIN))
    async with make_api() as http:
        created = await http.post("/api/credentials", json={**HEADER, "id": "gh1"}, headers=operator)
        assert created.status_code == 201, created.text
        view = created.json()
        assert view["id"] == "gh1" and view["type"] == "httpHeaderAuth" and view["data"] is None
        assert SECRET not in created.text

        # A second with the same id, or the same name and type: 409.
        again = await http.post(
            "/api/credentials", json={**HEADER, "id": "gh1", "name": "x"}, headers=operator
        )
        assert again.status_code == 409, again.text
        same_name = await http.post("/api/credentials", json=HEADER, headers=operator)
        assert same_name.status_code == 409 and same_name.json()["error"]["type"] == "ConflictError"
        bad = await http.post("/api/credentials", json={"name": "", "type": "x"}, headers=operator)
        assert bad.status_code == 422
        assert {p["field"] for p in bad.json()["error"]["errors"]} == {"name", "data"}
        bad_id = await http.post("/api/credentials", json={**HEADER, "id": "a/b"}, headers=operator)
        assert bad_id.status_code == 422

        other = await http.post(
            "/api/credentials",
            json={"name": "Basic", "type": "httpBasicAuth", "data": {"user": "u"}},
            headers=admin,
        )
        listed = await http.get("/api/credentials", headers=operator)
        assert {c["name"] for c in listed.json()} == {"GitHub", "Basic"}
        assert SECRET not in listed.text
        only = await http.get("/api/credentials", params={"type": "httpBasicAuth"}, headers=operator)
        assert [c["id"] for c in only.json()] == [other.json()["id"]]

        read = await http.get("/api/credentials/gh1", headers=operator)
        assert read.status_code == 200 and read.json()["data"] is None
        # Only an admin who asks sees the data.
        assert (await http.get("/api/credentials/gh1?include_data=true", headers=operator)).status_code == 403
        revealed = await http.get("/api/credentials/gh1", params={"include_data": "true"}, headers=admin)
        assert revealed.json()["data"] == HEADER["data"]
        assert (await http.get("/api/credentials/gh1", headers=admin)).json()["data"] is None
        assert (await http.get("/api/credentials/nope", headers=admin)).status_code == 404

        patched = await http.patch(
            "/api/credentials/gh1",
            json={"name": "GitHub 2", "data": {"name": "X", "value": "v2"}},
            headers=operator,
        )
        assert patched.status_code == 200 and patched.json()["name"] == "GitHub 2"
        assert "v2" not in patched.text
        revealed = await http.get("/api/credentials/gh1?include_data=true", headers=admin)
        assert revealed.json()["data"] == {"name": "X", "value": "v2"}
        taken = await http.patch("/api/credentials/gh1", json={"name": "Basic"}, headers=operator)
        assert taken.status_code == 200  # another type: the name is free for httpHeaderAuth
        assert (await http.patch("/api/credentials/nope", json={}, headers=operator)).status_code == 404

        assert (await http.delete("/api/credentials/gh1", headers=operator)).status_code == 204
        assert (await http.delete("/api/credentials/gh1", headers=operator)).status_code == 404
        assert (await http.get("/api/credentials/gh1", headers=operator)).status_code == 404

    async with sessions() as session:
        actions = [
            (row.action, row.resource_id)
            for row in await session.scalars(
                select(AuditLog).where(AuditLog.resource_type == "credential").order_by(AuditLog.at)
            )
        ]
        raw = (await session.execute(text("SELECT details FROM audit_log"))).all()
    assert ("create", "gh1") in actions and ("reveal", "gh1") in actions and ("delete", "gh1") in actions
    assert actions.count(("reveal", "gh1")) == 2
    assert SECRET not in repr(raw) and "v2" not in repr(raw)


async def test_node_host_resolves_and_stores_token_data(
    make_api: ApiFactory, make_key: Callable[..., Any]
) -> None:
    operator, service = auth(await make_key(UserRole.OPERATOR)), auth(await make_key(UserRole.SERVICE))
    async with make_api() as http:
        await http.post("/api/credentials", json={**HEADER, "id": "gh1"}, headers=operator)
        await http.post(
            "/api/credentials",
            json={"id": "g1", "name": "Google", "type": "oAuth2Api", "data": {"clientId": "c"}},
            headers=operator,
        )
        by_id = await http.post(
            "/api/internal/credentials/resolve", json={"type": "httpHeaderAuth", "id": "gh1"}, headers=service
        )
        assert by_id.status_code == 200, by_id.text
        assert by_id.json() == {
            "id": "gh1",
            "name": "GitHub",
            "type": "httpHeaderAuth",
            "data": HEADER["data"],
        }
        by_name = await http.post(
            "/api/internal/credentials/resolve",
            json={"type": "httpHeaderAuth", "id": "from-another-n8n", "name": "GitHub"},
            headers=service,
        )
        assert by_name.json()["id"] == "gh1"
        service_type = await http.post(
            "/api/internal/credentials/resolve",
            json={"type": "googleSheetsOAuth2Api", "id": None, "name": "Google"},
            headers=service,
        )
        assert service_type.json()["type"] == "oAuth2Api"

        missing = await http.post(
            "/api/internal/credentials/resolve",
            json={"type": "slackApi", "name": "Slack bot"},
            headers=service,
        )
        assert missing.status_code == 404
        error = missing.json()["error"]
        assert error["credential"] == "Slack bot" and error["credential_type"] == "slackApi"
        assert "'Slack bot'" in error["message"]
        neither = await http.post(
            "/api/internal/credentials/resolve", json={"type": "slackApi"}, headers=service
        )
        assert neither.status_code == 422 and "id or name" in neither.text
        wrong_type = await http.post(
            "/api/internal/credentials/resolve", json={"type": "httpBasicAuth", "id": "gh1"}, headers=service
        )
        assert wrong_type.status_code == 404 and "stored with type 'httpHeaderAuth'" in wrong_type.text

        token = {"clientId": "c", "oauthTokenData": {"access_token": "new", "refresh_token": "r"}}
        stored = await http.put("/api/internal/credentials/g1/data", json={"data": token}, headers=service)
        assert stored.status_code == 200 and "new" not in stored.text
        again = await http.post(
            "/api/internal/credentials/resolve", json={"type": "oAuth2Api", "id": "g1"}, headers=service
        )
        assert again.json()["data"] == token
        # Only the token sent: the other fields stay.
        renewed = {"oauthTokenData": {"access_token": "newer", "refresh_token": "r"}}
        await http.put("/api/internal/credentials/g1/data", json={"data": renewed}, headers=service)
        again = await http.post(
            "/api/internal/credentials/resolve", json={"type": "oAuth2Api", "id": "g1"}, headers=service
        )
        assert again.json()["data"] == {"clientId": "c", **renewed}
        assert (
            await http.put("/api/internal/credentials/nope/data", json={"data": {}}, headers=service)
        ).status_code == 404
        # The service role reaches nothing else.
        assert (await http.get("/api/workflows", headers=service)).status_code == 403


async def test_the_node_host_key_of_hive_up(
    make_api: ApiFactory, make_key: Callable[..., Any], sessions: async_sessionmaker[AsyncSession]
) -> None:
    first = await issue_node_host_key(sessions)
    second = await issue_node_host_key(sessions)
    operator = auth(await make_key(UserRole.OPERATOR))
    async with make_api() as http:
        await http.post("/api/credentials", json={**HEADER, "id": "gh1"}, headers=operator)
        body = {"type": "httpHeaderAuth", "id": "gh1"}
        # Restarting the stack leaves one live node-host key: the previous one stops working.
        assert (
            await http.post("/api/internal/credentials/resolve", json=body, headers=auth(first))
        ).status_code == 401
        answer = await http.post("/api/internal/credentials/resolve", json=body, headers=auth(second))
        assert answer.status_code == 200 and answer.json()["data"] == HEADER["data"]
        assert (await http.get("/api/credentials", headers=auth(second))).status_code == 403
