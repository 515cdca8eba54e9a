"""The console over plain HTTP against a real stack: login cookie, redirects, 404, roles, escaping."""

from __future__ import annotations

import time

import httpx
import pytest
from cryptography.fernet import Fernet

from hive_core.db.models import UserRole
from tests.console.conftest import EMAIL, PASSWORD, StackFactory
from tests.console.workflows import FILE_TEXT, ITEMS, XSS_ITEM, XSS_NODE, all_workflows
from tests.helpers import assert_eventually

PAGES = [
    "/ui",
    "/ui/",
    "/ui/executions",
    "/ui/workflows",
    "/ui/agents",
    "/ui/alerts",
    "/ui/executions/some-id",
]


async def _login(http: httpx.AsyncClient, **form: str) -> httpx.Response:
    """Log in; the cookie is Secure (browsers keep it on loopback, httpx only over https), so it
    is carried over by hand."""
    answer = await http.post("/ui/login", data=form)
    sealed = answer.cookies.get("hive_console")
    if sealed:
        http.cookies.clear()
        http.cookies.set("hive_console", sealed)
    return answer


async def _finished(stack, execution_id: str) -> None:  # type: ignore[no-untyped-def]
    async def check() -> None:
        async with stack.api() as api:
            body = (await api.get(f"/api/executions/{execution_id}")).json()
        assert body["status"] in ("success", "error"), body["status"]

    await assert_eventually(check, timeout_s=30)


async def test_logged_out_pages_redirect_and_login_sets_a_sealed_http_only_cookie(
    console_stack: StackFactory,
) -> None:
    async with console_stack(all_workflows) as stack, httpx.AsyncClient(base_url=stack.url) as http:
        for page in PAGES:
            answer = await http.get(page)
            assert answer.status_code == 303, page
            assert answer.headers["location"].startswith("/ui/login?next="), page
        assert (await http.get("/ui/login")).status_code == 200

        refused = await _login(http, api_key="hive_not_a_key")
        assert refused.status_code == 401 and "invalid" in refused.text
        answer = await _login(http, api_key=stack.keys[UserRole.VIEWER], next="/ui/agents")
        assert answer.status_code == 303 and answer.headers["location"] == "/ui/agents"
        cookie = answer.headers["set-cookie"]
        for flag in ("HttpOnly", "SameSite=strict", "Max-Age=3600", "Path=/ui", "Secure"):
            assert flag.lower() in cookie.lower(), cookie
        assert stack.keys[UserRole.VIEWER] not in cookie  # sealed, not the key itself
        # An open redirect is refused: `next` must be a console path.
        other = await _login(http, api_key=stack.keys[UserRole.VIEWER], next="https://evil.example/")
        assert other.headers["location"] == "/ui/executions"

        for page in PAGES[2:6]:
            assert (await http.get(page)).status_code == 200, page
        missing = await http.get("/ui/executions/no-such-run")
        assert missing.status_code == 404 and "does not exist" in missing.text
        assert missing.headers["content-type"].startswith("text/html")

        # The session timeout is the server's too: a cookie sealed longer ago than it is refused.
        fernet = Fernet((stack.data_dir / "console-session.key").read_bytes())
        key = stack.keys[UserRole.VIEWER].encode()
        http.cookies.set("hive_console", fernet.encrypt_at_time(key, int(time.time()) - 3601).decode())
        assert (await http.get("/ui/agents")).status_code == 303
        http.cookies.set("hive_console", fernet.encrypt_at_time(key, int(time.time()) - 60).decode())
        assert (await http.get("/ui/agents")).status_code == 200

        out = await http.post("/ui/logout")
        assert out.status_code == 303 and "max-age=0" in out.headers["set-cookie"].lower()
        http.cookies.clear()  # what the browser does with the expired cookie
        assert (await http.get("/ui/executions")).status_code == 303


async def test_password_login_and_logout_end_the_session(console_stack: StackFactory) -> None:
    async with console_stack(all_workflows) as stack, httpx.AsyncClient(base_url=stack.url) as http:
        assert (await _login(http, email=EMAIL, password="wrong")).status_code == 401
        assert (await _login(http, email=EMAIL, password=PASSWORD)).status_code == 303
        page = await http.get("/ui/executions")
        assert page.status_code == 200 and EMAIL in page.text
        cookie = http.cookies.get("hive_console")
        await http.post("/ui/logout")
        # The login page shows its form even to a cookie whose session is gone (no redirect loop).
        assert (await http.get("/ui/login")).status_code == 200
        # The old cookie, replayed, no longer works: the session was revoked server-side.
        http.cookies.set("hive_console", cookie)
        assert (await http.get("/ui/executions")).status_code == 303


async def test_markup_is_escaped_and_items_are_paged_per_node(console_stack: StackFactory) -> None:
    async with console_stack(all_workflows) as stack, httpx.AsyncClient(base_url=stack.url) as http:
        execution_id = await stack.start("Markup")
        await _finished(stack, execution_id)
        await _login(http, api_key=stack.keys[UserRole.VIEWER])
        page = (await http.get(f"/ui/executions/{execution_id}")).text
        assert XSS_NODE not in page and "&lt;script&gt;window.pwned=1&lt;/script&gt;" in page
        assert "window.pwned=2" not in page  # item values are never in the page at all
        assert (
            "script-src 'self'"
            in (await http.get(f"/ui/executions/{execution_id}")).headers["content-security-policy"]
        )
        items = await http.get(f"/ui/executions/{execution_id}/items", params={"node": XSS_NODE})
        assert items.json()["items"][0]["json"]["html"] == XSS_ITEM

        live = await stack.start("Live run")
        stack.gate.released.set()
        await _finished(stack, live)
        first = (await http.get(f"/ui/executions/{live}/items", params={"node": "Many", "limit": 50})).json()
        assert first["total"] == ITEMS and len(first["items"]) == 50 and first["items"][0]["json"]["n"] == 0
        third = await http.get(f"/ui/executions/{live}/items", params={"node": "Many", "offset": 100})
        assert [i["json"]["n"] for i in third.json()["items"]] == list(range(100, ITEMS))
        inputs = await http.get(f"/ui/executions/{live}/items", params={"node": "Many", "side": "input"})
        assert inputs.json()["ports"][0]["label"] == "Call"
        assert inputs.json()["items"][0]["json"] == {"answer": 42}

        # A binary item downloads through the console (the API's download route, cookie auth).
        made = await stack.start("Files")
        await _finished(stack, made)
        item = (await http.get(f"/ui/executions/{made}/items", params={"node": "Make file"})).json()["items"][
            0
        ]
        binary = item["binary"]["data"]
        download = await http.get(f"/ui/executions/{made}/binary/{binary['id']}")
        assert download.status_code == 200 and download.text == FILE_TEXT
        assert "hello.txt" in download.headers["content-disposition"]
        # Not through another execution's id.
        assert (await http.get(f"/ui/executions/{live}/binary/{binary['id']}")).status_code == 404


async def test_roles_decide_what_the_console_shows_and_does(console_stack: StackFactory) -> None:
    async with console_stack(all_workflows) as stack, httpx.AsyncClient(base_url=stack.url) as http:
        execution_id = await stack.start("Failing")
        await _finished(stack, execution_id)
        # A key whose role may not read executions sees none of it.
        await _login(http, api_key=stack.keys[UserRole.SERVICE])
        denied = await http.get(f"/ui/executions/{execution_id}")
        assert denied.status_code == 403 and "Boom" not in denied.text
        denied_items = await http.get(f"/ui/executions/{execution_id}/items", params={"node": "Boom"})
        assert denied_items.status_code == 403 and "disk" not in denied_items.text
        # A viewer reads it but cannot act on it, not even with the console's header.
        await _login(http, api_key=stack.keys[UserRole.VIEWER])
        page = await http.get(f"/ui/executions/{execution_id}")
        assert page.status_code == 200 and "disk &lt;b&gt;full&lt;/b&gt;" in page.text
        assert 'id="retry"' not in page.text
        retry = await http.post(f"/ui/executions/{execution_id}/retry", headers={"X-Hive-Console": "1"})
        assert retry.status_code == 403
        # An operator may, but only from the console's own script (CSRF guard).
        await _login(http, api_key=stack.keys[UserRole.OPERATOR])
        run = f"/ui/workflows/{stack.workflow_ids['Markup']}/run"
        assert (await http.post(run, json={"input": {"a": 1}})).status_code == 403
        started = await http.post(run, json={"input": {"a": 1}}, headers={"X-Hive-Console": "1"})
        assert started.status_code == 201 and started.json()["workflow_id"] == stack.workflow_ids["Markup"]
        await _login(http, api_key=stack.keys[UserRole.OPERATOR])
        assert (await http.post(f"/ui/executions/{execution_id}/retry")).status_code == 403
        retried = await http.post(f"/ui/executions/{execution_id}/retry", headers={"X-Hive-Console": "1"})
        assert retried.status_code == 201, retried.text
        assert retried.json()["retry_of"] == execution_id
        # Cancel a run in flight (held at its HTTP call), then it is no longer open.
        held = await stack.start("Live run")
        canceled = await http.post(f"/ui/executions/{held}/cancel", headers={"X-Hive-Console": "1"})
        assert canceled.status_code == 202, canceled.text

        async def closed() -> None:
            async with stack.api() as api:
                # A run cancelled during an HTTP call ends `error` today (the node records the
                # cancelled activity as its failure); one cancelled at a Wait node ends `canceled`.
                assert (await api.get(f"/api/executions/{held}")).json()["status"] in ("canceled", "error")

        await assert_eventually(closed, timeout_s=20)
        again = await http.post(f"/ui/executions/{held}/cancel", headers={"X-Hive-Console": "1"})
        assert again.status_code == 409 and "closed" in again.json()["error"]["message"]


@pytest.mark.parametrize("state", ["open", "resolved", "all"])
async def test_list_pages_show_the_routers_data(console_stack: StackFactory, state: str) -> None:
    async with console_stack(all_workflows) as stack, httpx.AsyncClient(base_url=stack.url) as http:
        await _login(http, api_key=stack.keys[UserRole.OPERATOR])
        execution_id = await stack.start("Gated")
        listed = await http.get("/ui/executions", params={"workflow_id": stack.workflow_ids["Gated"]})
        assert execution_id in listed.text and "Live run" not in listed.text.split("<tbody>")[1]
        none = await http.get("/ui/executions", params={"started_after": "2999-01-01T00:00"})
        assert "No executions match" in none.text
        bad = await http.get("/ui/executions", params={"started_after": "soon"})
        assert bad.status_code == 422 and "started_after" in bad.text
        workflows = (await http.get("/ui/workflows")).text
        assert "Live run" in workflows and 'class="run-form"' in workflows
        agents = (await http.get("/ui/agents")).text
        assert stack.agent_id in agents and stack.model in agents
        assert (await http.get("/ui/alerts", params={"state": state})).status_code == 200
