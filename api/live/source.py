"""Live events of one execution, read from Temporal by polling.

Each tick asks the server to ``describe`` the run (is it closed? which LLM calls are pending, with
their last heartbeat) and, while it runs, the run's ``snapshot`` query; ``RunDiffer`` turns the
change into events. Polling needs nothing from the workflow beyond its query, works for any run
on any worker, and a late client gets the run so far for free. A closed run's final snapshot
comes from its result (no worker needed), then ``run_finished`` ends the stream.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime

from temporalio.client import (
    Client,
    WorkflowExecutionDescription,
    WorkflowExecutionStatus,
    WorkflowFailureError,
    WorkflowQueryFailedError,
)
from temporalio.service import RPCError, RPCStatusCode

from api.live.diff import LlmCall, RunDiffer
from api.live.events import LiveEvent
from hive_core.errors import EngineUnavailableError, NotFoundError
from hive_core.executions.temporal import QUERY_TIMEOUT, run_handle
from workflows.n8n_models import N8nRunSnapshot
from workflows.n8n_run import N8nWorkflow

log = logging.getLogger(__name__)

DEFAULT_POLL_INTERVAL_S = 0.25
# A stream rides out a Temporal hiccup this long before it gives up.
OUTAGE_TOLERANCE_S = 10.0
# The activities of `activities.ollama.OllamaActivities` that heartbeat their token count.
LLM_ACTIVITY_TYPES = frozenset({"hive.ollama.chat", "hive.ollama.generate"})

_CLOSED_STATUS_NAMES = {
    WorkflowExecutionStatus.CANCELED: "canceled",
    WorkflowExecutionStatus.TERMINATED: "terminated",
    WorkflowExecutionStatus.TIMED_OUT: "timed_out",
    WorkflowExecutionStatus.FAILED: "failed",
    WorkflowExecutionStatus.CONTINUED_AS_NEW: "continued_as_new",
}


def _now() -> datetime:
    return datetime.now(UTC)


class ExecutionEventSource:
    """The events of one execution (a Temporal workflow id), each reported once."""

    def __init__(
        self, client: Client, execution_id: str, *, poll_interval_s: float = DEFAULT_POLL_INTERVAL_S
    ) -> None:
        self.execution_id = execution_id
        self.poll_interval_s = poll_interval_s
        self._client = client
        self._handle = run_handle(client, execution_id)
        self._differ = RunDiffer(execution_id)
        self._recorded_nodes = 0

    @property
    def done(self) -> bool:
        """True once ``run_finished`` was produced."""
        return self._differ.finished

    async def open(self) -> None:
        """Check the execution exists (NotFoundError otherwise) before a stream is promised."""
        await self._describe()

    async def poll(self) -> list[LiveEvent]:
        """One tick: the events since the previous tick (``run_finished`` last when it closed)."""
        if self.done:
            return []
        description = await self._describe()
        now = _now()
        if description.status is WorkflowExecutionStatus.RUNNING:
            snapshot = await self._query_snapshot()
            if snapshot is None:
                return []
            self._recorded_nodes = len(snapshot.node_execution_order)
            return self._differ.update(snapshot, await self._llm_calls(description), now)
        return await self._closed(description, now)

    async def batches(self) -> AsyncIterator[list[LiveEvent]]:
        """Tick after tick, each tick's events (maybe none), until the run finished.

        A Temporal outage shorter than ``OUTAGE_TOLERANCE_S`` only delays events (the next good
        tick reports everything missed); a longer one raises EngineUnavailableError.
        """
        failing_since: float | None = None
        while not self.done:
            try:
                batch = await self.poll()
                failing_since = None
            except EngineUnavailableError:
                failing_since = failing_since if failing_since is not None else time.monotonic()
                if time.monotonic() - failing_since > OUTAGE_TOLERANCE_S:
                    raise
                batch = []
            yield batch
            if not self.done:
                await asyncio.sleep(self.poll_interval_s)

    async def _describe(self) -> WorkflowExecutionDescription:
        try:
            return await self._handle.describe()
        except RPCError as exc:
            # INVALID_ARGUMENT: an id Temporal cannot hold (too long ...), so no such run either.
            if exc.status in (RPCStatusCode.NOT_FOUND, RPCStatusCode.INVALID_ARGUMENT):
                raise NotFoundError(
                    f"no execution {self.execution_id!r}", execution_id=self.execution_id
                ) from exc
            raise EngineUnavailableError(f"cannot read execution {self.execution_id!r}: {exc}") from exc
        except RuntimeError as exc:
            # The API's lazy client fails its first connection with a RuntimeError.
            first_line = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
            raise EngineUnavailableError(f"Temporal is unreachable ({first_line})") from exc

    async def _query_snapshot(self) -> N8nRunSnapshot | None:
        try:
            # A run whose worker is down must not stall the stream: the query gives up in time.
            return await self._handle.query(N8nWorkflow.snapshot, rpc_timeout=QUERY_TIMEOUT)
        except (WorkflowQueryFailedError, RPCError) as exc:
            # No worker answered in time, or the run closed in between: try again next tick.
            log.debug("snapshot query of %s failed: %s", self.execution_id, exc)
            return None

    async def _llm_calls(self, description: WorkflowExecutionDescription) -> list[LlmCall]:
        calls = []
        for pending in description.raw_description.pending_activities:
            if pending.activity_type.name not in LLM_ACTIVITY_TYPES or not pending.heartbeat_details.payloads:
                continue
            details = await self._client.data_converter.decode(pending.heartbeat_details.payloads)
            progress = details[0] if details and isinstance(details[0], dict) else {}
            text = details[1] if len(details) > 1 and isinstance(details[1], dict) else {}
            chars = text.get("chars")
            calls.append(
                LlmCall(
                    call_id=pending.activity_id,
                    tokens=int(progress.get("tokens") or 0),
                    chars=int(chars) if isinstance(chars, int) else None,
                    tail=str(text.get("tail") or ""),
                )
            )
        return calls

    async def _closed(self, description: WorkflowExecutionDescription, now: datetime) -> list[LiveEvent]:
        """The rest of a closed run's events from its result, then ``run_finished``."""
        events: list[LiveEvent] = []
        status = _CLOSED_STATUS_NAMES.get(description.status or WorkflowExecutionStatus.FAILED, "failed")
        error: str | None = None
        if description.status is WorkflowExecutionStatus.COMPLETED:
            final = await self._handle.result()
            events.extend(self._differ.update(final, [], now))
            self._recorded_nodes = len(final.node_execution_order)
            status = final.status.value
            error = str(final.error.get("message")) if final.error else None
        else:
            try:
                await self._handle.result()
            except WorkflowFailureError as exc:
                error = str(getattr(exc.cause, "message", None) or exc.cause or exc)
        events.extend(self._differ.finish(status, error, now, self._recorded_nodes))
        return events


__all__ = ["DEFAULT_POLL_INTERVAL_S", "ExecutionEventSource", "LLM_ACTIVITY_TYPES"]
