"""Every console route refuses a caller without a valid login cookie, except the login page and
the static files (CSS and JS, no data). Walks ``app.routes`` like tests/test_auth_coverage.py,
so a console route added later without ``ConsolePrincipal`` fails here."""

from __future__ import annotations

import httpx
from fastapi import FastAPI

from tests.test_auth_coverage import (  # noqa: F401 (app, http: fixtures)
    CONSOLE_PREFIX,
    RouteInfo,
    _concrete,
    app,
    http,
    routes_of,
)

OPEN = {"/ui/login", "/ui/static"}
COOKIES: list[dict[str, str]] = [{}, {"hive_console": "not-a-sealed-token"}]


def _console_routes(built: FastAPI) -> list[RouteInfo]:
    return [r for r in routes_of(built) if r.path.startswith(CONSOLE_PREFIX) and r.path not in OPEN]


def test_the_walk_sees_the_console(app: FastAPI) -> None:  # noqa: F811
    paths = {r.path for r in _console_routes(app)}
    assert {"/ui/executions", "/ui/executions/{execution_id}", "/ui/executions/{execution_id}/items"} <= paths
    assert len(paths) >= 12, paths


async def test_every_console_route_sends_anonymous_callers_to_the_login(
    app: FastAPI,  # noqa: F811
    http: httpx.AsyncClient,  # noqa: F811
) -> None:
    for route in _console_routes(app):
        for method in sorted(route.methods):
            for cookies in COOKIES:
                http.cookies.clear()
                for name, value in cookies.items():
                    http.cookies.set(name, value)
                where = f"{method} {route.path} with {cookies or 'no cookie'}"
                page = await http.request(method, _concrete(route.path))
                assert page.status_code == 303, f"{where}: {page.status_code} {page.text[:200]}"
                assert page.headers["location"].startswith("/ui/login?next="), where
                script = await http.request(method, _concrete(route.path), headers={"X-Hive-Console": "1"})
                assert script.status_code == 401, f"{where} (script): {script.status_code}"
                assert script.json()["error"]["login"].startswith("/ui/login"), where


async def test_static_files_hold_no_data(http: httpx.AsyncClient) -> None:  # noqa: F811
    script = await http.get("/ui/static/execution.js")
    assert script.status_code == 200 and "textContent" in script.text
