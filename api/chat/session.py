"""The chat session of a run whose Chat Trigger answers "Using Response Nodes" (n8n's `/chat`).

The `@n8n/chat` widget posts the first message (`sendMessage`), gets `{executionStarted,
executionId}` back and opens a WebSocket on `/chat?sessionId=…&executionId=…`. This module
speaks n8n's ChatService protocol over it, as plain text frames:

    → "n8n|heartbeat" on connect and every 30 s      ← "n8n|heartbeat-ack"
    → each Respond to Chat message, in order         ← the user's reply: {"action": "sendMessage",
    → "n8n|continue" after a message that does not      "chatInput", "sessionId", "files"?} resumes
      wait for a reply                                   the run waiting at that node
    the socket closes when the run ends (or if the execution does not exist: code 1008)

The messages come from the run's `chat_messages` query (kept in workflow state, so a worker
restart loses none); a reply is the `resume_wait` signal, the Wait node's own resume.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time

from starlette.websockets import WebSocket, WebSocketDisconnect
from temporalio.client import Client, WorkflowExecutionStatus
from temporalio.service import RPCError

from hive_core.executions.temporal import QUERY_TIMEOUT
from workflows.n8n_models import ResumeRequest
from workflows.n8n_run import N8nWorkflow

N8N_CONTINUE = "n8n|continue"
N8N_HEARTBEAT = "n8n|heartbeat"
N8N_HEARTBEAT_ACK = "n8n|heartbeat-ack"
HEARTBEAT_INTERVAL_S = 30.0
# How often the run is asked for new messages (n8n polls its database every 3 s).
POLL_INTERVAL_S = 0.25
# Only runs the chat routes started (api/routers/chat.py names them so) take chat replies.
CHAT_RUN_PREFIX = "chat-"
POLICY_VIOLATION = 1008


async def _reader(websocket: WebSocket, inbox: asyncio.Queue[str | None]) -> None:
    try:
        while True:
            await inbox.put(await websocket.receive_text())
    except WebSocketDisconnect:
        await inbox.put(None)


def _reply(frame: str) -> dict[str, object] | None:
    """The user's message, or None for a frame that is not one (n8n logs and drops those)."""
    try:
        reply = json.loads(frame)
    except json.JSONDecodeError:
        return None
    if not isinstance(reply, dict) or not isinstance(reply.get("chatInput", ""), str):
        return None
    return reply


async def serve_chat_session(websocket: WebSocket, client: Client, execution_id: str) -> None:
    """Run n8n's chat session protocol for `execution_id` until the run ends or the user leaves."""
    await websocket.accept()
    handle = client.get_workflow_handle_for(N8nWorkflow.run, execution_id)
    try:
        if not execution_id.startswith(CHAT_RUN_PREFIX):
            raise LookupError(execution_id)
        await handle.describe()
    except (LookupError, RPCError):
        await websocket.send_text(f'Execution with id "{execution_id}" does not exist')
        await websocket.close(POLICY_VIOLATION)
        return
    await websocket.send_text(N8N_HEARTBEAT)
    inbox: asyncio.Queue[str | None] = asyncio.Queue()
    reader = asyncio.create_task(_reader(websocket, inbox))
    sent, waiting, beat = 0, False, time.monotonic()
    try:
        while True:
            with contextlib.suppress(TimeoutError):
                incoming = await asyncio.wait_for(inbox.get(), POLL_INTERVAL_S)
                if incoming is None:
                    return  # the user closed the chat
                reply = _reply(incoming) if incoming != N8N_HEARTBEAT_ACK else None
                if reply is not None and waiting:
                    await handle.signal(N8nWorkflow.resume_wait, ResumeRequest(json_data=reply))
                    waiting = False
            # Status first: every message of a run that has ended is in the query's answer.
            running = (await handle.describe()).status is WorkflowExecutionStatus.RUNNING
            messages = await handle.query(N8nWorkflow.chat_messages, rpc_timeout=QUERY_TIMEOUT)
            for message in messages[sent:]:
                await websocket.send_text(message.message)
                if not message.waits_for_reply:
                    await websocket.send_text(N8N_CONTINUE)
                waiting = message.waits_for_reply
            sent = len(messages)
            if not running:
                await websocket.close()
                return
            if time.monotonic() - beat > HEARTBEAT_INTERVAL_S:
                await websocket.send_text(N8N_HEARTBEAT)
                beat = time.monotonic()
    except (WebSocketDisconnect, RuntimeError):
        return  # the socket went away mid-send
    finally:
        reader.cancel()


__all__ = ["N8N_CONTINUE", "N8N_HEARTBEAT", "N8N_HEARTBEAT_ACK", "serve_chat_session"]
