"""`POST /api/workflows/import-from-n8n` against a real HTTP server speaking n8n's public API."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hive_core.db.models import UserRole
from tests.api_auth.conftest import auth
from tests.builders import node

from .conftest import ApiFactory, export
from .n8n_server import n8n_api

N8N_KEY = "n8n-api-key-123"


def _workflows() -> list[dict[str, Any]]:
    good = [
        export(f"Remote {i}", [node("Start", "manualTrigger", 1), node("Pass", "noOp", 1)], f"remote{i}")
        for i in range(3)
    ]
    broken = export(
        "Remote broken", [node("Start", "manualTrigger", 1), node("Weird", "doesNotExist", 1)], "rb"
    )
    return [good[0], broken, good[1], good[2]]


async def test_import_pages_through_n8n_and_reports_each_workflow(
    make_api: ApiFactory, make_key: Callable[..., Any]
) -> None:
    operator = await make_key(UserRole.OPERATOR)
    remote = _workflows()
    with n8n_api(remote, N8N_KEY) as (base_url, requests):
        async with make_api() as http:
            response = await http.post(
                "/api/workflows/import-from-n8n",
                json={"base_url": base_url + "/", "api_key": N8N_KEY},
                headers=auth(operator),
            )
            assert response.status_code == 200, response.text
            result = response.json()
            assert [(w["n8n_id"], w["status"], w["version"]) for w in result["imported"]] == [
                ("remote0", "created", 1),
                ("remote1", "created", 1),
                ("remote2", "created", 1),
            ]
            (failed,) = result["failed"]
            assert failed["n8n_id"] == "rb" and failed["name"] == "Remote broken"
            assert [d["node"] for d in failed["diagnostics"]] == ["Weird"]
            listed = (await http.get("/api/workflows", headers=auth(operator))).json()
            assert sorted(w["id"] for w in listed["items"]) == ["remote0", "remote1", "remote2"]
            assert all(not w["active"] for w in listed["items"])

            # Pages of 100 by default; the server's cursor is followed (checked with a small page below).
            assert all(r["key"] == N8N_KEY and r["path"] == "/api/v1/workflows" for r in requests)

            # Importing again: unchanged ones stay at their version, changed ones get a new version.
            remote[0]["nodes"][1]["name"] = "Renamed"
            remote[0]["connections"] = {
                "Start": {"main": [[{"node": "Renamed", "type": "main", "index": 0}]]}
            }
            again = (
                await http.post(
                    "/api/workflows/import-from-n8n",
                    json={"base_url": base_url, "api_key": N8N_KEY},
                    headers=auth(operator),
                )
            ).json()
            statuses = {w["n8n_id"]: (w["status"], w["version"]) for w in again["imported"]}
            assert statuses == {
                "remote0": ("updated", 2),
                "remote1": ("unchanged", 1),
                "remote2": ("unchanged", 1),
            }


async def test_cursor_pagination(make_api: ApiFactory, make_key: Callable[..., Any]) -> None:
    from hive_core.n8n_remote import fetch_n8n_workflows

    remote = [w for w in _workflows() if w["id"] != "rb"]
    with n8n_api(remote, N8N_KEY) as (base_url, requests):
        fetched = await fetch_n8n_workflows(base_url, N8N_KEY, page_size=2)
    assert [w["id"] for w in fetched] == ["remote0", "remote1", "remote2"]
    assert [r["query"].get("cursor") for r in requests] == [None, "2"]


async def test_wrong_key_and_unreachable_n8n(make_api: ApiFactory, make_key: Callable[..., Any]) -> None:
    operator = await make_key(UserRole.OPERATOR)
    with n8n_api(_workflows(), N8N_KEY) as (base_url, _):
        async with make_api() as http:
            wrong = await http.post(
                "/api/workflows/import-from-n8n",
                json={"base_url": base_url, "api_key": "nope"},
                headers=auth(operator),
            )
            assert wrong.status_code == 422
            assert "refused the API key" in wrong.json()["error"]["message"]
            not_n8n = await http.post(
                "/api/workflows/import-from-n8n",
                json={"base_url": base_url + "/elsewhere", "api_key": N8N_KEY},
                headers=auth(operator),
            )
            assert not_n8n.status_code == 422
    async with make_api() as http:
        gone = await http.post(
            "/api/workflows/import-from-n8n",
            json={"base_url": base_url, "api_key": N8N_KEY},
            headers=auth(operator),
        )
        assert gone.status_code == 503
        assert "cannot reach n8n" in gone.json()["error"]["message"]


async def test_import_with_activate(make_api: ApiFactory, make_key: Callable[..., Any]) -> None:
    operator = await make_key(UserRole.OPERATOR)
    with n8n_api(_workflows()[:1], N8N_KEY) as (base_url, _):
        async with make_api() as http:
            result = (
                await http.post(
                    "/api/workflows/import-from-n8n",
                    json={"base_url": base_url, "api_key": N8N_KEY, "activate": True},
                    headers=auth(operator),
                )
            ).json()
            assert [w["id"] for w in result["imported"]] == ["remote0"]
            assert (await http.get("/api/workflows/remote0", headers=auth(operator))).json()["active"] is True
