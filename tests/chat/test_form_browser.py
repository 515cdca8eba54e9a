"""The two-page form filled in a real headless Chromium (plain form posts, redirects)."""

from __future__ import annotations

import pytest

from tests.chat.conftest import StackFactory
from tests.chat.test_chat_browser import CHROMIUM
from tests.chat.test_form_http import _two_page_form

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="no chromium installed (apt-get install chromium)")


async def test_two_page_form_in_chromium(chat_stack: StackFactory) -> None:
    from playwright.async_api import async_playwright

    async with chat_stack([_two_page_form()]) as stack, async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            page = await browser.new_page()
            await page.goto(f"{stack.url}/form/signup")
            assert await page.text_content("h1") == "Sign up"
            # The browser enforces the required field: nothing is posted without a name.
            await page.click("button[type=submit]")
            assert page.url.endswith("/form/signup")
            await page.fill("#field-0", "Ada")
            await page.fill("#field-1", "36")
            await page.select_option("#field-4", "Pro")
            await page.check("input[name=field-5][value=AI]")
            await page.fill("#field-6", "1815-12-10")
            await page.click("button[type=submit]")
            await page.wait_for_url("**/form-waiting/**")
            assert await page.text_content("h1") == "Page two of Ada"
            await page.fill("#field-0", "Lovely")
            await page.check("input[name=field-1][value='5']")
            await page.click("button[type=submit]")
            await page.wait_for_selector(".completion-title")
            assert await page.text_content(".completion-title") == "Thanks Ada"
            assert await page.text_content(".completion-message") == "You rated 5"
        finally:
            await browser.close()
