"""Respond to Chat through a real dev server and API: the Chat Trigger "Using Response Nodes"
starts the run, the widget's `/chat` WebSocket (n8n's protocol, a real `websockets` client)
receives each message, the user's reply resumes the run waiting at the node and becomes its
output; compile errors for a Respond to Chat without such a trigger."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import httpx
import pytest
from temporalio.client import Client
from websockets.asyncio.client import ClientConnection, connect

from hive_core.errors import CompileError
from n8n_import import compile_export
from tests.ai.builders import base, lc
from tests.chat.builders import WEBHOOK_ID
from tests.chat.conftest import StackFactory
from workflows.n8n_models import ExecutionStatus
from workflows.n8n_run import N8nWorkflow

CHAT = f"/webhook/{WEBHOOK_ID}/chat"


def _workflow(**second: Any) -> dict[str, Any]:
    trigger = lc(
        "When chat message received", "chatTrigger", 1.3, 0, public=True,
        options={"responseMode": "responseNodes"},
    )  # fmt: skip
    trigger["webhookId"] = WEBHOOK_ID
    ask = lc("Ask", "chat", 1, 200, message="=Hello {{ $json.chatInput }}! Your name?")
    thank = lc(
        "Thank", "chat", 1, 400, message="=Thanks {{ $json.chatInput }}", waitUserReply=False, **second
    )
    done = base("Done", "noOp", 1, 600)
    names = [trigger["name"], "Ask", "Thank", "Done"]
    connections = {
        a: {"main": [[{"node": b, "type": "main", "index": 0}]]}
        for a, b in zip(names, names[1:], strict=False)
    }
    return {
        "id": "wf-respond-chat",
        "name": "respond to chat",
        "nodes": [trigger, ask, thank, done],
        "connections": connections,
        "settings": {"executionOrder": "v1"},
    }


async def _frames(ws: ClientConnection, count: int) -> list[str]:
    frames = []
    for _ in range(count):
        frame = await ws.recv()
        assert isinstance(frame, str)
        frames.append(frame)
    return frames


async def test_messages_and_a_reply_over_the_chat_session(chat_stack: StackFactory, client: Client) -> None:
    async with chat_stack([_workflow()]) as stack, httpx.AsyncClient(base_url=stack.url, timeout=30) as http:
        started = await http.post(CHAT, json={"action": "sendMessage", "sessionId": "s1", "chatInput": "hi"})
        assert started.status_code == 200, started.text
        body = started.json()
        assert body["executionStarted"] is True and body["executionId"].startswith("chat-")
        query = urlencode({"sessionId": "s1", "executionId": body["executionId"], "isPublic": "true"})
        async with connect(stack.url.replace("http", "ws", 1) + f"/chat?{query}") as ws:
            assert await _frames(ws, 2) == ["n8n|heartbeat", "Hello hi! Your name?"]
            await ws.send("n8n|heartbeat-ack")
            await ws.send('{"action": "sendMessage", "chatInput": "Ada", "sessionId": "s1"}')
            assert await _frames(ws, 2) == ["Thanks Ada", "n8n|continue"]
            await ws.wait_closed()  # the run ended
    run = await client.get_workflow_handle_for(N8nWorkflow.run, body["executionId"]).result()
    assert run.status is ExecutionStatus.SUCCESS, run.error
    # The reply is the waiting node's output (n8n's onMessage); the other node passes it on.
    reply = {"action": "sendMessage", "chatInput": "Ada", "sessionId": "s1"}
    assert [i["json"] for i in run.run_data["Ask"][0]["data"]["main"][0]] == [reply]
    assert [i["json"] for i in run.run_data["Done"][0]["data"]["main"][0]] == [reply]


async def test_unknown_execution_is_refused(chat_stack: StackFactory) -> None:
    async with chat_stack([_workflow()]) as stack:
        url = stack.url.replace("http", "ws", 1) + "/chat?sessionId=s&executionId=chat-nope"
        async with connect(url) as ws:
            assert await ws.recv() == 'Execution with id "chat-nope" does not exist'
            await ws.wait_closed()
            assert ws.close_code == 1008


def test_respond_to_chat_needs_a_chat_trigger_answering_by_response_nodes() -> None:
    assert compile_export(_workflow())[0].nodes["Ask"].type.endswith(".chat")
    lonely = _workflow()
    lonely["nodes"][0]["parameters"]["options"] = {"responseMode": "lastNode"}
    with pytest.raises(CompileError, match='whose response mode is not "Using Response Nodes"'):
        compile_export(lonely)
    manual = _workflow()
    manual["nodes"][0] = base("When chat message received", "manualTrigger", 1)
    with pytest.raises(CompileError, match="Workflow must be started from a chat trigger node"):
        compile_export(manual)
    with pytest.raises(CompileError, match="Add Memory Input Connection"):
        compile_export(_workflow(options={"memoryConnection": True}))
    webhook = _workflow()
    webhook["nodes"][3] = base("Done", "respondToWebhook", 1.1, 600)
    with pytest.raises(CompileError, match="which Hive does not do with Respond to Webhook yet"):
        compile_export(webhook)
