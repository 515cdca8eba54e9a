"""The console in a real headless Chromium against a real stack (uvicorn API, Temporal dev
server, workers): log in, watch a run live, read a node's output, approve a gate, see a failure
in red, and be sent to the login once logged out. Screenshots go to `.artifacts/console/`.

Drives Debian's `chromium` through Playwright (no browser download). Skipped, saying why, only
when no Chromium is installed (`.ci/run` installs it).
"""

from __future__ import annotations

import shutil
from typing import Any

import pytest

from hive_core.db.models import UserRole
from tests.console.conftest import EMAIL, PASSWORD, ConsoleStack, StackFactory
from tests.console.workflows import FILE_TEXT, ITEMS, XSS_ITEM, XSS_NODE, all_workflows

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="no chromium installed (apt-get install chromium)")

PAGES = ["/ui/executions", "/ui/workflows", "/ui/agents", "/ui/alerts", "/ui/executions/any-id"]


def _node(name: str) -> str:
    return f'#canvas .node[data-name="{name}"]'


async def _status(page: Any, name: str) -> str:
    return str(await page.get_attribute(_node(name), "data-status"))


async def _wait_status(page: Any, name: str, status: str, timeout: int = 20_000) -> None:
    await page.wait_for_function(
        "([name, status]) => { const g = [...document.querySelectorAll('#canvas .node')]"
        ".find(n => n.dataset.name === name); return g && g.dataset.status === status; }",
        arg=[name, status],
        timeout=timeout,
    )


async def _login(page: Any, stack: ConsoleStack, next_path: str = "/ui/executions") -> None:
    await page.goto(f"{stack.url}{next_path}")
    assert "/ui/login" in page.url  # sent to the login first
    await page.fill('#login-password input[name="email"]', EMAIL)
    await page.fill('#login-password input[name="password"]', PASSWORD)
    await page.click('#login-password button[type="submit"]')
    await page.wait_for_url(f"{stack.url}{next_path}")


async def test_console_in_chromium(console_stack: StackFactory) -> None:
    from playwright.async_api import async_playwright

    async with console_stack(all_workflows) as stack, async_playwright() as playwright:
        shots = stack.artifacts
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            # CSP bypassed: Playwright's string predicates need eval, and with the CSP off an
            # unescaped <script> in a node name or item WOULD run, so the escaping test is stricter.
            page = await browser.new_page(viewport={"width": 1280, "height": 800}, bypass_csp=True)
            errors: list[str] = []
            page.on("pageerror", lambda exc: errors.append(str(exc)))

            # Log in (an approver: reads runs and decides gates) and land on the run list.
            live_id = await stack.start("Live run")
            await _login(page, stack)
            await page.wait_for_selector(f'a[href="/ui/executions/{live_id}"]')
            await page.screenshot(path=shots / "1-executions.png", full_page=True)

            # A running execution: Call is held by the gate, then finishes — no reload.
            await page.goto(f"{stack.url}/ui/executions/{live_id}")
            await _wait_status(page, "Call", "running")
            assert await page.text_content(f"{_node('Call')} .status") == "running"
            assert await _status(page, "Many") == "waiting"
            await page.evaluate("window.sameDocument = true")
            await page.screenshot(path=shots / "2-running.png")
            stack.gate.released.set()
            await _wait_status(page, "Call", "succeeded")
            await _wait_status(page, "Many", "succeeded")
            await page.wait_for_function("document.getElementById('run-status').textContent === 'success'")
            assert await page.evaluate("window.sameDocument") is True
            assert await page.text_content(f"{_node('Call')} .status") == "succeeded"
            count = page.locator('#canvas .edge[data-from="Call"] .count')
            assert await count.text_content() == "1 item"
            await page.screenshot(path=shots / "3-succeeded.png")

            # Click a node (then page through it) and read its output, as a table and as JSON.
            await page.click(_node("Many"))
            await page.wait_for_selector("#panel:not([hidden]) #panel-table table")
            assert await page.text_content("#panel-count") == f"items 1–50 of {ITEMS}"
            assert await page.text_content("#panel-table tbody tr:first-child td:nth-child(3)") == "item 0"
            await page.click("#page-next")
            await page.wait_for_function(
                "document.getElementById('panel-count').textContent.startsWith('items 51')"
            )
            await page.click("#view-json")
            assert '"label": "item 50"' in (await page.text_content("#panel-json") or "")
            await page.screenshot(path=shots / "4-node-output.png")
            await page.click("#panel-close")
            # Keyboard: focus a node and press Enter.
            await page.focus(_node("Call"))
            await page.keyboard.press("Enter")
            await page.wait_for_function("document.getElementById('panel-title').textContent === 'Call'")
            await page.click("#tab-input")
            await page.wait_for_function(
                "(document.getElementById('panel-count').textContent || '').includes('of 1')"
            )
            await page.click("#panel-close")

            # Approve a pending approval from the page.
            gated_id = await stack.start("Gated")
            await page.goto(f"{stack.url}/ui/executions/{gated_id}")
            await _wait_status(page, "Send", "approval")
            assert await page.text_content(f"{_node('Send')} .status") == "waiting for approval"
            await page.wait_for_selector("#approvals:not([hidden]) .gate button.approve")
            await page.screenshot(path=shots / "5-approval.png")
            await page.fill("#approvals .gate .comment", "looks right")
            await page.click("#approvals .gate button.approve")
            await _wait_status(page, "After", "succeeded")
            assert await _status(page, "Send") == "succeeded"
            assert "Approved" in (await page.text_content("#action-result") or "")

            # A failed run: the node in red, with its error text.
            failed_id = await stack.start("Failing")
            await page.goto(f"{stack.url}/ui/executions/{failed_id}")
            await _wait_status(page, "Boom", "failed")
            stroke = await page.eval_on_selector(f"{_node('Boom')} rect", "r => getComputedStyle(r).stroke")
            assert stroke == "rgb(198, 40, 40)", stroke
            assert "disk <b>full</b>" in (await page.text_content("#error-list") or "")
            await page.screenshot(path=shots / "6-failed.png")

            # Markup in a node name and an item is shown as text, never run.
            markup_id = await stack.start("Markup")
            await page.goto(f"{stack.url}/ui/executions/{markup_id}")
            await _wait_status(page, XSS_NODE, "succeeded")
            await page.click("#canvas .node >> nth=1")
            await page.wait_for_selector("#panel-table table")
            assert await page.text_content("#panel-table tbody td:nth-child(2)") == XSS_ITEM
            assert await page.evaluate("window.pwned === undefined")
            assert await page.text_content("#panel-title") == XSS_NODE

            # The AI node: agent and model of its LLM call; a sticky note on the canvas.
            ai_id = await stack.start("AI")
            await page.goto(f"{stack.url}/ui/executions/{ai_id}")
            await _wait_status(page, "Chain", "succeeded")
            ai_line = f"document.querySelector('{_node('Chain')} .ai').textContent || ''"
            await page.wait_for_function(f"({ai_line}).includes('{stack.agent_id}')")
            assert stack.model in (await page.text_content(f"{_node('Chain')} .ai") or "")
            assert await _status(page, "Model") == "succeeded"  # a sub-node shows its root's state
            await page.click(_node("Chain"))
            await page.wait_for_function(
                f"(document.getElementById('panel-ai').textContent || '').includes('model {stack.model}')"
            )
            assert "tok/s" in (await page.text_content("#panel-ai") or "")
            assert "Read me <b>first</b>" in (await page.text_content("#canvas .sticky") or "")
            await page.screenshot(path=shots / "7-ai-node.png")

            # A binary item: a download link in the table that fetches the file.
            files_id = await stack.start("Files")
            await page.goto(f"{stack.url}/ui/executions/{files_id}")
            await _wait_status(page, "Make file", "succeeded")
            await page.click(_node("Make file"))
            link = page.locator("#panel-table a.download")
            await link.wait_for()
            href = await link.get_attribute("href")
            fetched = await page.evaluate("(href) => fetch(href).then(r => r.text())", href)
            assert fetched == FILE_TEXT
            await page.click("#panel-close")
            for name in ("workflows", "agents", "alerts"):
                await page.goto(f"{stack.url}/ui/{name}")
                await page.screenshot(path=shots / f"list-{name}.png", full_page=True)

            # Phone width: the same page, readable.
            await page.set_viewport_size({"width": 390, "height": 844})
            await page.goto(f"{stack.url}/ui/executions/{failed_id}")
            await page.screenshot(path=shots / "8-phone.png", full_page=True)

            # Logged out, every /ui/ page goes to the login.
            await page.click("#logout")
            await page.wait_for_url(f"{stack.url}/ui/login")
            for path in PAGES:
                await page.goto(f"{stack.url}{path}")
                assert page.url.startswith(f"{stack.url}/ui/login?next="), path
            await page.screenshot(path=shots / "9-login.png")
            assert errors == []
        finally:
            await browser.close()


async def test_a_viewer_key_logs_in_and_sees_no_actions(console_stack: StackFactory) -> None:
    from playwright.async_api import async_playwright

    async with console_stack(all_workflows) as stack, async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            page = await browser.new_page(bypass_csp=True)
            gated_id = await stack.start("Gated")
            await page.goto(f"{stack.url}/ui/executions/{gated_id}")
            await page.fill('#login-key input[name="api_key"]', stack.keys[UserRole.VIEWER])
            await page.click('#login-key button[type="submit"]')
            await _wait_status(page, "Send", "approval")
            await page.wait_for_selector("#approvals:not([hidden])")
            assert await page.locator("#approvals button.approve").count() == 0
            assert await page.locator("#cancel").count() == 0
            cookies = await page.context.cookies()
            (cookie,) = [c for c in cookies if c["name"] == "hive_console"]
            assert cookie["httpOnly"] and cookie["secure"] and cookie["sameSite"] == "Strict"
            assert await page.evaluate("document.cookie") == ""
        finally:
            await browser.close()
