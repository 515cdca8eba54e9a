"""The events a client of an execution's live stream receives, and their resume keys.

Every event carries an ``id`` that orders it within the run: ``"<k>.<phase>.<n>"`` where ``k`` is
the node run's execution index (n8n's ``executionIndex``), ``phase`` is 0 started, 1 tokens,
2 waiting, 3 finished/failed, 9 run finished, and ``n`` orders tokens events (the call's token
count). Node events get the same id however often they are replayed, so a client resuming with
``Last-Event-ID`` skips exactly what it already has; tokens events are live-only.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, Field

EventKey = tuple[int, int, int]

PHASE_STARTED = 0
PHASE_TOKENS = 1
PHASE_WAITING = 2
PHASE_DONE = 3
PHASE_RUN_FINISHED = 9


def format_key(key: EventKey) -> str:
    """The wire form of a resume key (SSE ``id:``)."""
    return ".".join(str(part) for part in key)


def parse_key(text: str | None) -> EventKey | None:
    """A resume key from ``Last-Event-ID``; None when absent or not one of ours."""
    if not text:
        return None
    parts = text.strip().split(".")
    if len(parts) != 3 or not all(part.isdigit() for part in parts):
        return None
    return (int(parts[0]), int(parts[1]), int(parts[2]))


class _Event(BaseModel):
    id: str = Field(description="resume key: `<execution index>.<phase>.<n>`, ordered within the run")
    execution_id: str
    at: datetime

    @property
    def key(self) -> EventKey:
        key = parse_key(self.id)
        assert key is not None  # every event is built with format_key
        return key


class NodeStarted(_Event):
    type: Literal["node_started"] = "node_started"
    node: str
    run_index: int


class NodeFinished(_Event):
    type: Literal["node_finished"] = "node_finished"
    node: str
    run_index: int
    items: list[int] = Field(description="items on each output (n8n's `data.main`), in output order")
    execution_time_ms: int | None = None


class NodeFailed(_Event):
    type: Literal["node_failed"] = "node_failed"
    node: str
    run_index: int
    error: str
    description: str | None = None


class Tokens(_Event):
    type: Literal["tokens"] = "tokens"
    node: str | None = Field(description="the AI node running the LLM call (None if none runs now)")
    call: str = Field(description="the LLM call (Temporal activity id) within the run")
    tokens: int = Field(description="tokens the call produced so far")
    chars: int | None = Field(default=None, description="characters of the reply so far")
    delta: str = Field(default="", description="reply text since this call's previous tokens event")
    # True when more text arrived than the agent's heartbeat keeps (`delta` is then its tail).
    gap: bool = False


class Waiting(_Event):
    type: Literal["waiting"] = "waiting"
    node: str | None
    run_index: int | None
    reason: Literal["webhook", "approval"] = Field(
        description="what the run waits for: a Wait node's resume webhook, or an approval gate"
    )
    gate_id: str | None = Field(
        default=None, description="the pending approval gate (`node:<name>`, `workflow`)"
    )


class RunFinished(_Event):
    type: Literal["run_finished"] = "run_finished"
    status: str = Field(
        description="success | error, or Temporal's canceled | terminated | timed_out | failed"
    )
    error: str | None = None


LiveEvent = Annotated[
    NodeStarted | NodeFinished | NodeFailed | Tokens | Waiting | RunFinished,
    Field(discriminator="type"),
]

__all__ = [
    "EventKey",
    "LiveEvent",
    "NodeFailed",
    "NodeFinished",
    "NodeStarted",
    "PHASE_DONE",
    "PHASE_RUN_FINISHED",
    "PHASE_STARTED",
    "PHASE_TOKENS",
    "PHASE_WAITING",
    "RunFinished",
    "Tokens",
    "Waiting",
    "format_key",
    "parse_key",
]
