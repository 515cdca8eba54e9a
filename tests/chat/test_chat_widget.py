"""n8n's own `@n8n/chat` widget, unchanged, embedded in another site, talking to Hive.

The widget comes from npm at test time (`npm pack`, no dependencies: its bundle is
self-contained) into a temporary directory, never into the repository. A page on another
origin embeds it with Hive's chat URL; a real headless Chromium holds a streamed three-message
conversation (CORS from `allowedOrigins`), then a reload loads the session back from memory.
Skipped, saying why, when Chromium, npm or the registry are missing.
"""

from __future__ import annotations

import functools
import http.server
import shutil
import subprocess
import tarfile
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from hive_core.stack.ports import free_port
from tests.chat.builders import WEBHOOK_ID, chat_workflow
from tests.chat.conftest import StackFactory
from tests.chat.test_chat_browser import CHROMIUM

WIDGET = "@n8n/chat@1.36.4"
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="no chromium installed (apt-get install chromium)")

_PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><link href="/dist/style.css" rel="stylesheet"></head>
<body><div id="n8n-chat"></div>
<script type="module">
import { createChat } from '/dist/chat.bundle.es.js';
createChat({
  webhookUrl: '%s',
  mode: 'fullscreen',
  loadPreviousSession: true,
  enableStreaming: true,
  showWelcomeScreen: false,
  initialMessages: ['Welcome from the widget'],
});
</script></body></html>
"""


@pytest.fixture(scope="module")
def widget_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    npm = shutil.which("npm")
    if npm is None:
        pytest.skip("npm is not installed: cannot fetch the @n8n/chat widget")
    target = tmp_path_factory.mktemp("n8n-chat")
    try:
        packed = subprocess.run(
            [npm, "pack", WIDGET, "--pack-destination", str(target)],
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
    except (subprocess.SubprocessError, OSError) as exc:
        pytest.skip(f"cannot fetch {WIDGET} from npm: {exc}")
    with tarfile.open(target / packed.stdout.strip().splitlines()[-1]) as archive:
        archive.extractall(target, filter="data")
    return target / "package"


@pytest.fixture
def site(widget_dir: Path) -> Iterator[tuple[str, Path]]:
    """A static site on its own port (another origin than Hive's API) serving the widget."""
    port = free_port()
    handler = functools.partial(_Quiet, directory=str(widget_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}", widget_dir
    finally:
        server.shutdown()
        thread.join(timeout=5)


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base's name
        pass


def _reply(prompt: str) -> str:
    return f"Answer to {prompt}: " + " ".join(f"w{i}" for i in range(12))


async def test_n8n_chat_widget_against_hive(
    chat_stack: StackFactory, chat_model: str, site: tuple[str, Path]
) -> None:
    from playwright.async_api import async_playwright

    origin, root = site
    workflow = chat_workflow(
        chat_model,
        version=1.2,
        mode="webhook",
        options={"responseMode": "streaming", "loadPreviousSession": "memory", "allowedOrigins": origin},
    )
    async with chat_stack([workflow]) as stack, async_playwright() as playwright:
        stack.configure(reply=_reply, tokens_per_second=20)
        (root / "index.html").write_text(_PAGE % f"{stack.url}/webhook/{WEBHOOK_ID}/chat")
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            page = await browser.new_page()
            await page.goto(f"{origin}/index.html")
            textarea = page.locator(".chat-inputs textarea")
            await textarea.wait_for()
            for index, text in enumerate(("one", "two", "three"), start=1):
                await textarea.fill(text)
                # The widget takes the next message once this answer's stream has ended.
                async with page.expect_response(
                    lambda r: r.url.endswith("/chat") and r.request.method == "POST"
                ) as sent:
                    await textarea.press("Enter")
                await (await sent.value).finished()
                bot = page.locator(".chat-message-from-bot").nth(index)
                await page.wait_for_function(
                    "([i, want]) => (document.querySelectorAll('.chat-message-from-bot')[i]"
                    "?.textContent || '').includes(want)",
                    arg=[index, _reply(text)],
                    timeout=20_000,
                )
                assert _reply(text) in (await bot.text_content() or "")
            history = [(m["role"], m["content"]) for m in stack.fake.stats.bodies[-1]["messages"]]
            assert [h for h in history if h[0] != "system"][:2] == [
                ("user", "one"),
                ("assistant", _reply("one")),
            ]
            # Reload: the widget asks loadPreviousSession for its stored sessionId.
            await page.reload()
            await page.locator(".chat-message-from-user").nth(2).wait_for(timeout=20_000)
            users = [t.strip() for t in await page.locator(".chat-message-from-user").all_text_contents()]
            assert users == ["one", "two", "three"]
        finally:
            await browser.close()
