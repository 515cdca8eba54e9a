"""The hosted chat page in a real headless Chromium: three messages, streamed, remembered.

Drives Debian's `chromium` through Playwright (no browser download). Skipped, saying why, only
when no Chromium is installed (`.ci/run` installs it).
"""

from __future__ import annotations

import shutil

import pytest

from tests.chat.builders import WEBHOOK_ID, chat_workflow
from tests.chat.conftest import StackFactory

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="no chromium installed (apt-get install chromium)")

# Records every text the newest bot message showed, so the test sees it grow while streaming.
_OBSERVE = """
window.seen = [];
new MutationObserver(() => {
  const bots = document.querySelectorAll('.chat-message-from-bot');
  const last = bots[bots.length - 1];
  if (last) window.seen.push([bots.length, last.textContent]);
}).observe(document.querySelector('.chat-messages-list'),
  {childList: true, subtree: true, characterData: true});
"""


def _reply(prompt: str) -> str:
    return f"Answer to {prompt}: " + " ".join(f"w{i}" for i in range(16))


def _history(body: dict) -> list[tuple[str, str]]:
    return [(m["role"], m["content"]) for m in body["messages"] if m["role"] != "system"]


async def test_three_streamed_messages_in_chromium_keep_memory(
    chat_stack: StackFactory, chat_model: str
) -> None:
    from playwright.async_api import async_playwright

    workflow = chat_workflow(
        chat_model,
        version=1.2,
        initialMessages="Welcome to Hive chat",
        options={"responseMode": "streaming", "loadPreviousSession": "memory"},
    )
    async with chat_stack([workflow]) as stack, async_playwright() as playwright:
        stack.configure(reply=_reply, tokens_per_second=10)
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            page = await browser.new_page()
            await page.goto(f"{stack.url}/webhook/{WEBHOOK_ID}/chat")
            await page.wait_for_selector("body[data-ready=true]")
            assert await page.text_content(".chat-message-from-bot") == "Welcome to Hive chat"
            await page.evaluate(_OBSERVE)
            for index, text in enumerate(("one", "two", "three"), start=1):
                await page.fill(".chat-input textarea", text)
                await page.click(".chat-input button")
                bots = index + 1  # the welcome message, then one answer per message
                await page.wait_for_function(
                    f"document.querySelectorAll('.chat-message-from-bot').length === {bots} && "
                    "!document.querySelector('.chat-message-streaming') && "
                    "!document.querySelector('.chat-input button').disabled",
                    timeout=20_000,
                )
                answer = await page.locator(".chat-message-from-bot").nth(index).text_content()
                assert answer == _reply(text)
                shown = [t for n, t in await page.evaluate("window.seen") if n == bots and t]
                # The answer grew on screen: partial texts before the whole one.
                assert any(0 < len(t) < len(answer) for t in shown), shown
            assert _history(stack.fake.stats.bodies[-1]) == [
                ("user", "one"),
                ("assistant", _reply("one")),
                ("user", "two"),
                ("assistant", _reply("two")),
                ("user", "three"),
            ]
            session_id = await page.evaluate("document.body.dataset.sessionId")
            # A reload keeps the session (localStorage) and loads it back from the memory.
            await page.reload()
            await page.wait_for_selector("body[data-ready=true]")
            assert await page.evaluate("document.body.dataset.sessionId") == session_id
            users = await page.locator(".chat-message-from-user").all_text_contents()
            bots_text = await page.locator(".chat-message-from-bot").all_text_contents()
            assert users == ["one", "two", "three"]
            assert bots_text == ["Welcome to Hive chat", _reply("one"), _reply("two"), _reply("three")]
        finally:
            await browser.close()


async def test_respond_to_chat_messages_and_a_reply_in_chromium(chat_stack: StackFactory) -> None:
    """ "Using Response Nodes": the page opens the run's /chat socket, shows each Respond to Chat
    message and sends the reply over it."""
    from playwright.async_api import async_playwright

    from tests.chat.test_respond_to_chat import _workflow

    async with chat_stack([_workflow()]) as stack, async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            page = await browser.new_page()
            await page.goto(f"{stack.url}/webhook/{WEBHOOK_ID}/chat")
            await page.wait_for_selector("body[data-ready=true]")
            bots = await page.locator(".chat-message-from-bot").count()  # the initial messages
            for text, answers in (("hi", ["Hello hi! Your name?"]), ("Ada", ["Thanks Ada"])):
                await page.fill(".chat-input textarea", text)
                await page.click(".chat-input button")
                bots += len(answers)
                await page.wait_for_function(
                    f"document.querySelectorAll('.chat-message-from-bot').length === {bots}", timeout=20_000
                )
                shown = await page.locator(".chat-message-from-bot").all_text_contents()
                assert shown[-len(answers) :] == answers
        finally:
            await browser.close()
