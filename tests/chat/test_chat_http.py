"""The Chat Trigger through plain HTTP, in the `@n8n/chat` widget's protocol.

Three-message conversations keep their memory (sessionId), loadPreviousSession answers from the
memory in LangChain's serialized form, streaming answers arrive as NDJSON chunks while the model
generates, and the trigger's options (public, auth, CORS, response modes) behave as in n8n.
"""

from __future__ import annotations

import base64
import json
import time
import uuid

import asyncpg
import httpx
import pytest

from hive_core.config.models import CredentialConfig
from hive_core.errors import CompileError
from n8n_import import compile_export
from tests.ai.builders import base, lc
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


def _slow_reply(prompt: str) -> str:
    return f"Answer to {prompt}: " + " ".join(f"w{i}" for i in range(16))


async def _stream(http: httpx.AsyncClient, text: str, session: str) -> list[tuple[float, dict]]:
    """The NDJSON chunks of one streamed answer, each with its arrival time (s after sending)."""
    started = time.monotonic()
    chunks: list[tuple[float, dict]] = []
    body = {"action": "sendMessage", "sessionId": session, "chatInput": text}
    async with http.stream("POST", CHAT, json=body, headers={"Accept": "text/plain"}) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("application/json")
        async for line in response.aiter_lines():
            if line.strip():
                chunks.append((time.monotonic() - started, json.loads(line)))
    return chunks


async def test_streamed_conversation_arrives_while_the_model_generates(
    chat_stack: StackFactory, chat_model: str
) -> None:
    workflow = chat_workflow(chat_model, version=1.2, options={"responseMode": "streaming"})
    async with chat_stack([workflow]) as stack:
        # ~20 tokens at 10/s: two seconds of generation, heartbeats carry text about every second.
        stack.configure(reply=_slow_reply, tokens_per_second=10)
        async with httpx.AsyncClient(base_url=stack.url, timeout=30) as http:
            for text in ("one", "two", "three"):
                chunks = await _stream(http, text, "stream-1")
                kinds = [c["type"] for _, c in chunks]
                assert kinds[0] == "begin" and kinds[-1] == "end" and set(kinds) == {"begin", "item", "end"}
                items = [(at, c) for at, c in chunks if c["type"] == "item"]
                assert "".join(c["content"] for _, c in items) == _slow_reply(text)
                # Text arrived while the model was still generating, not all at the end.
                assert len(items) >= 2 and items[0][0] < chunks[-1][0] - 0.5
                meta = chunks[0][1]["metadata"]
                assert meta["nodeName"] == "AI Agent" and meta["nodeId"] == "agent-node-id"
                assert meta["runIndex"] == 0 and meta["itemIndex"] == 0
        assert _history(stack.fake.stats.bodies[-1]) == [
            ("user", "one"),
            ("assistant", _slow_reply("one")),
            ("user", "two"),
            ("assistant", _slow_reply("two")),
            ("user", "three"),
        ]


async def test_hosted_page_public_flag_and_test_url(chat_stack: StackFactory, chat_model: str) -> None:
    public = chat_workflow(
        chat_model,
        initialMessages="Hello!\nAsk me anything.",
        options={"title": "Hive <chat>", "loadPreviousSession": "memory"},
    )
    private = chat_workflow(chat_model, webhook_id="private-chat", workflow_id="wf-private", public=False)
    async with chat_stack([public, private]) as stack:
        stack.configure(reply="ok")
        async with httpx.AsyncClient(base_url=stack.url, timeout=30) as http:
            page = await http.get(CHAT)
            assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
            assert "Hive &lt;chat&gt;" in page.text  # the title option, escaped
            assert "<script src" not in page.text and "https://" not in page.text  # self-contained
            config = json.loads(page.text.split('id="chat-config">')[1].split("</script>")[0])
            assert config == {
                "webhookUrl": f"{stack.url}{CHAT}",
                "initialMessages": ["Hello!", "Ask me anything."],
                "loadPreviousSession": True,
                "enableStreaming": False,
            }
            # Not public: production URL 404 (as n8n), the test URL works.
            assert (await http.get("/webhook/private-chat/chat")).status_code == 404
            body = {"action": "sendMessage", "sessionId": "x", "chatInput": "hi"}
            assert (await http.post("/webhook/private-chat/chat", json=body)).status_code == 404
            answer = await http.post("/webhook-test/private-chat/chat", json=body)
            assert answer.status_code == 200 and answer.json() == {"output": "ok"}
            assert (await http.post("/webhook/no-such-chat/chat", json=body)).status_code == 404


async def test_cors_allowed_origins(chat_stack: StackFactory, chat_model: str) -> None:
    workflow = chat_workflow(chat_model, mode="webhook", options={"allowedOrigins": "https://shop.example"})
    async with chat_stack([workflow]) as stack:
        stack.configure(reply="ok")
        async with httpx.AsyncClient(base_url=stack.url, timeout=30) as http:
            preflight = {"Origin": "https://shop.example", "Access-Control-Request-Method": "POST"}
            allowed = await http.options(CHAT, headers=preflight)
            assert allowed.status_code == 204
            assert allowed.headers["access-control-allow-origin"] == "https://shop.example"
            assert "POST" in allowed.headers["access-control-allow-methods"]
            denied = await http.options(CHAT, headers={**preflight, "Origin": "https://evil.example"})
            assert "access-control-allow-origin" not in denied.headers
            body = {"action": "sendMessage", "sessionId": "x", "chatInput": "hi"}
            answer = await http.post(CHAT, json=body, headers={"Origin": "https://shop.example"})
            assert answer.json() == {"output": "ok"}
            assert answer.headers["access-control-allow-origin"] == "https://shop.example"


async def test_basic_auth_and_hive_key_auth(chat_stack: StackFactory, chat_model: str) -> None:
    basic = chat_workflow(chat_model, authentication="basicAuth")
    basic["nodes"][0]["credentials"] = {"httpBasicAuth": {"id": "c1", "name": "Chat login"}}
    keyed = chat_workflow(
        chat_model, webhook_id="keyed-chat", workflow_id="wf-keyed", authentication="n8nUserAuth"
    )
    credentials = {
        "Chat login": CredentialConfig(type="httpBasicAuth", data={"user": "ada", "password": "pw"})
    }
    async with chat_stack([basic, keyed], credentials=credentials) as stack:
        stack.configure(reply="ok")
        body = {"action": "sendMessage", "sessionId": "x", "chatInput": "hi"}
        async with httpx.AsyncClient(base_url=stack.url, timeout=30) as http:
            missing = await http.post(CHAT, json=body)
            assert missing.status_code == 401 and "Basic" in missing.headers["www-authenticate"]
            wrong = "Basic " + base64.b64encode(b"ada:nope").decode()
            assert (await http.post(CHAT, json=body, headers={"Authorization": wrong})).status_code == 403
            right = "Basic " + base64.b64encode(b"ada:pw").decode()
            answer = await http.post(CHAT, json=body, headers={"Authorization": right})
            assert answer.status_code == 200 and answer.json() == {"output": "ok"}
            assert (await http.post("/webhook/keyed-chat/chat", json=body)).status_code == 401
            bad_key = await http.post("/webhook/keyed-chat/chat", json=body, headers={"X-API-Key": "hk_nope"})
            assert bad_key.status_code == 401


async def test_respond_to_webhook_mode(chat_stack: StackFactory, chat_model: str) -> None:
    workflow = chat_workflow(chat_model, options={"responseMode": "responseNode"})
    respond = base(
        "Respond",
        "respondToWebhook",
        1.1,
        400,
        respondWith="json",
        responseBody='={{ {"output": "Agent says: " + $json.output} }}',
    )
    workflow["nodes"].append(respond)
    workflow["connections"]["AI Agent"] = {"main": [[{"node": "Respond", "type": "main", "index": 0}]]}
    async with chat_stack([workflow]) as stack:
        stack.configure(reply="hello")
        async with httpx.AsyncClient(base_url=stack.url, timeout=30) as http:
            body = {"action": "sendMessage", "sessionId": "x", "chatInput": "hi"}
            answer = await http.post(CHAT, json=body)
            assert answer.status_code == 200 and answer.json() == {"output": "Agent says: hello"}


async def test_uploaded_chat_files_go_to_the_binary_store(chat_stack: StackFactory) -> None:
    chat = lc(
        "Chat", "chatTrigger", 1.1, 0, public=True,
        options={"responseMode": "responseNode", "allowFileUploads": True},
    )  # fmt: skip
    chat["webhookId"] = WEBHOOK_ID
    read = base("Read", "extractFromFile", 1, 200, operation="text", binaryPropertyName="data1")
    respond = base(
        "Respond", "respondToWebhook", 1.1, 400, respondWith="json",
        responseBody="={{ {text: $json.data, chat: $('Chat').first().json} }}",
    )  # fmt: skip
    names = ["Chat", "Read", "Respond"]
    workflow = {
        "id": "wf-chat-files",
        "name": "chat files",
        "nodes": [chat, read, respond],
        "connections": {
            a: {"main": [[{"node": b, "type": "main", "index": 0}]]}
            for a, b in zip(names, names[1:], strict=False)
        },
        "settings": {"executionOrder": "v1"},
    }
    async with chat_stack([workflow]) as stack:
        async with httpx.AsyncClient(base_url=stack.url, timeout=30) as http:
            form = {"action": "sendMessage", "sessionId": "s1", "chatInput": "read these"}
            files = [
                ("files", ("a.txt", b"first", "text/plain")),
                ("files", ("b.txt", b"second!", "text/plain")),
            ]
            answer = await http.post(CHAT, data=form, files=files)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["text"] == "second!"
    assert body["chat"]["chatInput"] == "read these" and body["chat"]["sessionId"] == "s1"
    assert body["chat"]["files"] == [
        {"fileName": "a.txt", "fileSize": "5 B", "fileType": "text", "mimeType": "text/plain",
         "fileExtension": "txt", "binaryKey": "data0"},
        {"fileName": "b.txt", "fileSize": "7 B", "fileType": "text", "mimeType": "text/plain",
         "fileExtension": "txt", "binaryKey": "data1"},
    ]  # fmt: skip


def test_unsupported_options_are_compile_errors() -> None:
    lonely = chat_workflow("m", options={"loadPreviousSession": "memory"})
    lonely["connections"]["Memory"]["ai_memory"][0].pop()  # the memory only on the agent
    with pytest.raises(CompileError, match="needs a memory"):
        compile_export(lonely)


async def test_postgres_memory_behind_the_chat_trigger(chat_stack: StackFactory, chat_model: str) -> None:
    table = f"hive_test_chat_{uuid.uuid4().hex[:8]}"
    memory = lc("Memory", "memoryPostgresChat", 1.3, 300, tableName=table, contextWindowLength=5)
    memory["credentials"] = {"postgres": {"id": "pg", "name": "Local Postgres"}}
    workflow = chat_workflow(chat_model, memory=memory, options={"loadPreviousSession": "memory"})
    pg = {"host": "127.0.0.1", "port": "5432", "user": "postgres", "database": "test"}
    credentials = {"Local Postgres": CredentialConfig(type="postgres", data=pg)}
    conn = await asyncpg.connect(host="127.0.0.1", user="postgres", database="test")
    try:
        async with chat_stack([workflow], credentials=credentials) as stack:
            stack.configure(reply=lambda prompt: f"re:{prompt}")
            async with httpx.AsyncClient(base_url=stack.url, timeout=30) as http:
                for text in ("one", "two"):
                    body = {"action": "sendMessage", "sessionId": "pg-1", "chatInput": text}
                    assert (await http.post(CHAT, json=body)).json() == {"output": f"re:{text}"}
                previous = await http.post(CHAT, json={"action": "loadPreviousSession", "sessionId": "pg-1"})
                contents = [m["kwargs"]["content"] for m in previous.json()["data"]]
                assert contents == ["one", "re:one", "two", "re:two"]
        assert await conn.fetchval(f"SELECT count(*) FROM {table} WHERE session_id = 'pg-1'") == 4
    finally:
        await conn.execute(f"DROP TABLE IF EXISTS {table}")
        await conn.close()


async def test_streamed_chain_reply_is_complete(chat_stack: StackFactory, chat_model: str) -> None:
    workflow = chat_workflow(chat_model, version=1.2, options={"responseMode": "streaming"})
    workflow["nodes"] = [n for n in workflow["nodes"] if n["name"] != "Memory"]
    del workflow["connections"]["Memory"]
    workflow["nodes"][1].update(type="@n8n/n8n-nodes-langchain.chainLlm", typeVersion=1.5, parameters={})
    reply = "\n  " + _slow_reply("x")  # a chain strips its reply; the stream must still add up
    async with chat_stack([workflow]) as stack:
        stack.configure(reply=reply, tokens_per_second=10)
        async with httpx.AsyncClient(base_url=stack.url, timeout=30) as http:
            chunks = await _stream(http, "x", "chain-1")
    streamed = "".join(c.get("content", "") for _, c in chunks if c["type"] == "item")
    assert streamed.strip() == reply.strip()
    assert [c["type"] for _, c in chunks][-1] == "end"
