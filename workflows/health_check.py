"""Health check of every agent, started by the ``hive-health-check`` schedule.

Lists the agents (a local activity), probes each one in parallel on its daemon's health queue
(``hive-health-<id>``, outside the LLM slots, so a busy agent still answers), then stores the
results centrally. A probe has a short schedule-to-start timeout: with no daemon polling the
queue it fails within seconds and the agent is recorded as down.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ActivityError

with workflow.unsafe.imports_passed_through():
    from activities.health import HealthActivities
    from activities.health_store import HealthStoreActivities
    from hive_core.monitoring.payloads import (
        HealthCheckInput,
        HealthReport,
        ListAgentsInput,
        ProbeAgentInput,
        ProbeOutcome,
        RecordHealthInput,
        health_queue,
    )

# A probe is a point-in-time look: retrying it would only delay the verdict to the next check.
_NO_RETRY = RetryPolicy(maximum_attempts=1)
_STORE_TIMEOUT = timedelta(seconds=60)


def _failure_text(exc: ActivityError) -> str:
    # The cause says what happened (e.g. "activity ScheduleToStart timeout"); the ActivityError
    # itself only says that the activity failed.
    cause = exc.cause or exc
    return str(cause) or type(cause).__name__


@workflow.defn
class HealthCheckWorkflow:
    @workflow.run
    async def run(self, request: HealthCheckInput) -> HealthReport:
        targets = await workflow.execute_local_activity_method(
            HealthStoreActivities.list_agents,
            ListAgentsInput(),
            start_to_close_timeout=timedelta(seconds=30),
            summary="list agents",
        )
        timeout = timedelta(seconds=request.probe_timeout_s)
        outcomes = await asyncio.gather(*(self._probe(agent_id, timeout) for agent_id in targets.agent_ids))
        return await workflow.execute_activity_method(
            HealthStoreActivities.record_health,
            RecordHealthInput(checked_at=workflow.now(), outcomes=list(outcomes)),
            start_to_close_timeout=_STORE_TIMEOUT,
            summary=f"store health of {len(outcomes)} agent(s)",
        )

    async def _probe(self, agent_id: str, timeout: timedelta) -> ProbeOutcome:
        queue = health_queue(agent_id)
        try:
            probe = await workflow.execute_activity_method(
                HealthActivities.probe,
                # Leave the daemon time to report a slow Ollama before the probe itself times out.
                ProbeAgentInput(ollama_timeout_s=timeout.total_seconds() * 0.6),
                task_queue=queue,
                schedule_to_start_timeout=timeout,
                start_to_close_timeout=timeout,
                retry_policy=_NO_RETRY,
                summary=f"probe {agent_id}",
            )
        except ActivityError as exc:
            return ProbeOutcome(agent_id=agent_id, error=f"no answer on {queue}: {_failure_text(exc)}")
        return ProbeOutcome(agent_id=agent_id, probe=probe)


__all__ = ["HealthCheckWorkflow"]
