"""What one agent worker is doing right now: in-flight LLM calls and recent decode speed.

The Ollama activities record into it; the health probe (running in the same worker process)
reads a snapshot. Process-local on purpose: each daemon reports its own live state.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from dataclasses import dataclass

from pydantic import BaseModel

# Decode speed is averaged over the calls of the last few minutes.
RECENT_WINDOW_S = 300.0


class AgentStatsSnapshot(BaseModel):
    in_flight: int = 0
    completed: int = 0
    failed: int = 0
    tokens_generated: int = 0
    # Mean of Ollama's own eval_count / eval_duration over recent calls; None if none.
    tokens_per_second: float | None = None


@dataclass
class _Done:
    at: float
    tokens_per_second: float


class AgentStats:
    """Thread-safe counters (activities may run on several threads or loops)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._in_flight = 0
        self._completed = 0
        self._failed = 0
        self._tokens = 0
        self._recent: deque[_Done] = deque(maxlen=1000)

    def started(self) -> None:
        with self._lock:
            self._in_flight += 1

    def finished(self, *, tokens: int = 0, tokens_per_second: float | None = None) -> None:
        with self._lock:
            self._in_flight -= 1
            self._completed += 1
            self._tokens += tokens
            if tokens_per_second:
                self._recent.append(_Done(time.monotonic(), tokens_per_second))

    def failed(self) -> None:
        with self._lock:
            self._in_flight -= 1
            self._failed += 1

    def snapshot(self) -> AgentStatsSnapshot:
        with self._lock:
            horizon = time.monotonic() - RECENT_WINDOW_S
            recent = [d.tokens_per_second for d in self._recent if d.at >= horizon]
            return AgentStatsSnapshot(
                in_flight=self._in_flight,
                completed=self._completed,
                failed=self._failed,
                tokens_generated=self._tokens,
                tokens_per_second=sum(recent) / len(recent) if recent else None,
            )


__all__ = ["AgentStats", "AgentStatsSnapshot"]
