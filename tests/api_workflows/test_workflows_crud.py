"""Workflows API: upload (JSON and multipart), list/filter/paginate, get, versions, delete, 422, 409."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from hive_core.db.models import AuditLog, UserRole
from tests.api_auth.conftest import auth
from tests.builders import node

from .conftest import ApiFactory, export


def _greeter(name: str, greeting: str = "hi", workflow_id: str | None = None) -> dict[str, Any]:
    assignment = {"name": "greeting", "value": greeting, "type": "string"}
    return export(
        name,
        [
            node("Start", "manualTrigger", 1),
            node("Greet", "set", 3.4, assignments={"assignments": [assignment]}),
        ],
        workflow_id,
    )


async def test_crud_and_versions(
    make_api: ApiFactory, make_key: Callable[..., Any], sessions: async_sessionmaker[AsyncSession]
) -> None:
    operator, viewer = await make_key(UserRole.OPERATOR), await make_key(UserRole.VIEWER)
    async with make_api() as http:
        created = await http.post(
            "/api/workflows", json=_greeter("Alpha", workflow_id="alpha1"), headers=auth(operator)
        )
        assert created.status_code == 201, created.text
        body = created.json()
        assert body["id"] == "alpha1"  # n8n's id is kept
        assert body["version"] == 1 and body["active"] is False
        assert set(body["plan"]["nodes"]) == {"Start", "Greet"} and body["plan"]["workflow_id"] == "alpha1"
        assert body["n8n_data"]["name"] == "Alpha"

        for name in ("Beta", "Gamma", "alphabet soup"):
            assert (
                await http.post("/api/workflows", json=_greeter(name), headers=auth(operator))
            ).status_code == 201

        # The same n8n id again is a conflict: updates go through PUT.
        again = await http.post(
            "/api/workflows", json=_greeter("Alpha", workflow_id="alpha1"), headers=auth(operator)
        )
        assert again.status_code == 409

        page = (await http.get("/api/workflows", params={"limit": 2}, headers=auth(viewer))).json()
        assert page["total"] == 4 and page["limit"] == 2 and page["offset"] == 0
        assert [w["name"] for w in page["items"]] == ["Alpha", "Beta"]
        rest = (
            await http.get("/api/workflows", params={"limit": 2, "offset": 2}, headers=auth(viewer))
        ).json()
        assert [w["name"] for w in rest["items"]] == ["Gamma", "alphabet soup"]
        named = (await http.get("/api/workflows", params={"name": "ALPHA"}, headers=auth(viewer))).json()
        assert named["total"] == 2 and {w["name"] for w in named["items"]} == {"Alpha", "alphabet soup"}
        wildcard = (await http.get("/api/workflows", params={"name": "%"}, headers=auth(viewer))).json()
        assert wildcard["total"] == 0  # LIKE wildcards are matched literally
        inactive = (await http.get("/api/workflows", params={"active": "false"}, headers=auth(viewer))).json()
        assert inactive["total"] == 4
        assert (await http.get("/api/workflows", params={"active": "true"}, headers=auth(viewer))).json()[
            "total"
        ] == 0

        fetched = (await http.get("/api/workflows/alpha1", headers=auth(viewer))).json()
        assert fetched["plan"] == body["plan"] and fetched["diagnostics"] == []

        updated = await http.put(
            "/api/workflows/alpha1", json=_greeter("Alpha", greeting="hello"), headers=auth(operator)
        )
        assert updated.status_code == 200, updated.text
        assert updated.json()["version"] == 2
        assert (
            updated.json()["plan"]["nodes"]["Greet"]["parameters"]["assignments"]["assignments"][0]["value"]
            == "hello"
        )
        versions = (await http.get("/api/workflows/alpha1/versions", headers=auth(viewer))).json()
        assert [v["version"] for v in versions] == [1, 2]
        first = (await http.get("/api/workflows/alpha1/versions/1", headers=auth(viewer))).json()
        assert first["n8n_data"] == body["n8n_data"] and first["plan"] == body["plan"]
        current = (await http.get("/api/workflows/alpha1/versions/2", headers=auth(viewer))).json()
        assert current["plan"] == updated.json()["plan"]
        assert (await http.get("/api/workflows/alpha1/versions/7", headers=auth(viewer))).status_code == 404

        assert (await http.delete("/api/workflows/alpha1", headers=auth(operator))).status_code == 204
        assert (await http.get("/api/workflows/alpha1", headers=auth(viewer))).status_code == 404
        assert (await http.get("/api/workflows/alpha1/versions", headers=auth(viewer))).status_code == 404
        assert (await http.delete("/api/workflows/alpha1", headers=auth(operator))).status_code == 404

    async with sessions() as session:
        audit = (
            await session.execute(
                select(AuditLog.action, AuditLog.actor)
                .where(AuditLog.resource_id == "alpha1")
                .order_by(AuditLog.at)
            )
        ).all()
    assert [a for a, _ in audit] == ["create", "update", "delete"]
    assert {actor for _, actor in audit} == {"key:operator-test"}


async def test_multipart_upload(make_api: ApiFactory, make_key: Callable[..., Any]) -> None:
    operator = await make_key(UserRole.OPERATOR)
    data = json.dumps(_greeter("Uploaded")).encode()
    async with make_api() as http:
        response = await http.post(
            "/api/workflows", files={"file": ("flow.json", data, "application/json")}, headers=auth(operator)
        )
        assert response.status_code == 201, response.text
        assert response.json()["name"] == "Uploaded"
        wrong_field = await http.post(
            "/api/workflows",
            files={"upload": ("flow.json", data, "application/json")},
            headers=auth(operator),
        )
        assert wrong_field.status_code == 422
        assert wrong_field.json()["error"]["field"] == "file"


async def test_compile_errors_are_422_with_node_diagnostics(
    make_api: ApiFactory, make_key: Callable[..., Any]
) -> None:
    operator = await make_key(UserRole.OPERATOR)
    broken = export(
        "Broken",
        [
            node("Start", "manualTrigger", 1),
            node("Mystery", "doesNotExist", 1),
            {**node("Old Set", "set", 99), "name": "Old Set"},
        ],
    )
    async with make_api() as http:
        response = await http.post("/api/workflows", json=broken, headers=auth(operator))
        assert response.status_code == 422
        error = response.json()["error"]
        assert error["type"] == "CompileError"
        by_node = {d["node"]: d for d in error["diagnostics"]}
        assert {"Mystery", "Old Set"} <= set(by_node)
        assert by_node["Mystery"]["severity"] == "error" and by_node["Mystery"]["field"] == "type"

        malformed = await http.post(
            "/api/workflows",
            content=b'{"nodes": [',
            headers={**auth(operator), "Content-Type": "application/json"},
        )
        assert malformed.status_code == 422
        assert "malformed JSON" in malformed.json()["error"]["message"]

        two = await http.post("/api/workflows", json=[_greeter("A"), _greeter("B")], headers=auth(operator))
        assert two.status_code == 422 and "one workflow" in two.json()["error"]["message"]

        # A failed update leaves the stored version untouched.
        ok = (await http.post("/api/workflows", json=_greeter("Keep"), headers=auth(operator))).json()
        failed = await http.put(f"/api/workflows/{ok['id']}", json=broken, headers=auth(operator))
        assert failed.status_code == 422
        kept = (await http.get(f"/api/workflows/{ok['id']}", headers=auth(operator))).json()
        assert kept["version"] == 1 and kept["n8n_data"] == ok["n8n_data"]
