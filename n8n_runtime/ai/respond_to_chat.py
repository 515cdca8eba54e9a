"""Respond to Chat (`@n8n/n8n-nodes-langchain.chat`): a message into the run's chat session.

With the Chat Trigger's response mode "Using Response Nodes" the chat widget holds a session
open on the run (`api/chat/session.py`, n8n's `/chat` WebSocket protocol). The node records its
message under `CHAT_MESSAGE_KEY` (the workflow keeps it where the session reads it) and, with
"Wait for User Reply" (default on), waits like a Wait node on its webhook: the user's next
message resumes the run and is the node's output (`{action, chatInput, sessionId}`, as n8n's
`onMessage`); "Limit Wait Time" (default 45 minutes) then goes on with the node's input. Without
waiting, the input items pass through.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from n8n_runtime.nodes.base import NodeError, NodeOutput, NodeRun
from n8n_runtime.nodes.control.wait_node import RESUME_KEY, _parse_time

CHAT_NODE = "@n8n/n8n-nodes-langchain.chat"
CHAT_MESSAGE_KEY = "hive_chat_message"
_UNIT_MS = {"minutes": 60_000, "hours": 3_600_000, "days": 86_400_000}


class ChatMessageOut(BaseModel):
    """A message the run sent into its chat session, and whether the run waits for the reply."""

    node: str
    message: str
    waits_for_reply: bool


def _limit(run: NodeRun) -> dict[str, Any] | None:
    options = run.params.get("options", 0, {}) or {}
    if "limitWaitTime" not in options:
        # n8n's default of the fixedCollection: 45 minutes.
        return {"kind": "delay", "ms": 45 * _UNIT_MS["minutes"]}
    values = (options.get("limitWaitTime") or {}).get("values") or {}
    if not values:
        return None
    if values.get("limitType", "afterTimeInterval") == "atSpecifiedTime":
        return {"kind": "until", "at_ms": _parse_time(values.get("maxDateAndTime", ""))}
    amount = float(values.get("resumeAmount", 45))
    unit = str(values.get("resumeUnit", "minutes"))
    return {"kind": "delay", "ms": int(amount * _UNIT_MS.get(unit, _UNIT_MS["hours"]))}


def run_respond_to_chat(run: NodeRun) -> NodeOutput:
    """Record the message (and the wait for the reply); pass the items on."""
    message = run.params.get("message", 0, "")
    if message is None or str(message) == "":
        raise NodeError("The 'Message' parameter is empty")
    waits = bool(run.params.get("waitUserReply", 0, True))
    run.state[CHAT_MESSAGE_KEY] = ChatMessageOut(
        node=run.node.name, message=str(message), waits_for_reply=waits
    ).model_dump()
    if waits:
        run.state[RESUME_KEY] = {"kind": "webhook", "limit": _limit(run)}
    return [list(run.items)]


CHAT_NODES = {CHAT_NODE: run_respond_to_chat}

__all__ = ["CHAT_MESSAGE_KEY", "CHAT_NODE", "CHAT_NODES", "ChatMessageOut", "run_respond_to_chat"]
