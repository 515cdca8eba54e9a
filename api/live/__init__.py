"""Live updates of an execution: typed events polled from Temporal, for WebSocket and SSE."""

from api.live.auth import authorize_websocket, presented_token
from api.live.diff import LlmCall, RunDiffer
from api.live.events import (
    EventKey,
    LiveEvent,
    NodeFailed,
    NodeFinished,
    NodeStarted,
    RunFinished,
    Tokens,
    Waiting,
    format_key,
    parse_key,
)
from api.live.source import DEFAULT_POLL_INTERVAL_S, ExecutionEventSource

__all__ = [
    "DEFAULT_POLL_INTERVAL_S",
    "EventKey",
    "ExecutionEventSource",
    "LiveEvent",
    "LlmCall",
    "NodeFailed",
    "NodeFinished",
    "NodeStarted",
    "RunDiffer",
    "RunFinished",
    "Tokens",
    "Waiting",
    "authorize_websocket",
    "format_key",
    "parse_key",
    "presented_token",
]
