"""The Chat Trigger through plain HTTP, in the `@n8n/chat` widget's protocol.

Three-message conversations keep their memory (sessionId), loadPreviousSession answers from the
memory in LangChain's serialized form, streaming answers arrive as NDJSON chunks while the model
generates, and the trigger's options (public, auth, CORS, response modes) behave as in n8n.
"""

from __future__ import annotations

import httpx

from tests.chat.builders import WEBHOOK_ID, chat_workflow
from tests.chat.conftest import StackFactory

CHAT = f"/webhook/{WEBHOOK_ID}/chat"


def _history(body: dict) -> list[tuple[str, str]]:
    return [(m["role"], m["content"]) for m in body["messages"] if m["role"] != "system"]


async def test_three_messages_remember_and_previous_session_loads(
    chat_stack: StackFactory, chat_model: str
) -> None:
    workflow = chat_workflow(chat_model, options={"loadPreviousSession": "memory"})
    async with chat_stack([workflow]) as stack:
        stack.configure(reply=lambda prompt: f"re:{prompt}")
        async with httpx.AsyncClient(base_url=stack.url, timeout=30) as http:
            for text in ("one", "two", "three"):
                answer = await http.post(
                    CHAT, json={"action": "sendMessage", "sessionId": "s1", "chatInput": text}
                )
                assert answer.status_code == 200, answer.text
                assert answer.json() == {"output": f"re:{text}"}
            assert _history(stack.fake.stats.bodies[-1]) == [
                ("user", "one"),
                ("assistant", "re:one"),
                ("user", "two"),
                ("assistant", "re:two"),
                ("user", "three"),
            ]
            previous = await http.post(CHAT, json={"action": "loadPreviousSession", "sessionId": "s1"})
            assert previous.status_code == 200
            messages = previous.json()["data"]
            assert [(m["id"][-1], m["kwargs"]["content"]) for m in messages] == [
                ("HumanMessage", "one"),
                ("AIMessage", "re:one"),
                ("HumanMessage", "two"),
                ("AIMessage", "re:two"),
                ("HumanMessage", "three"),
                ("AIMessage", "re:three"),
            ]
            assert messages[0]["lc"] == 1 and messages[0]["type"] == "constructor"
            other = await http.post(CHAT, json={"action": "loadPreviousSession", "sessionId": "nobody"})
            assert other.json() == {"data": []}
