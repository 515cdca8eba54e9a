"""The ``hive-health-check`` Temporal Schedule: runs `HealthCheckWorkflow` every ``health_check_interval``.

Created or updated by the central worker at start (idempotent), so a changed interval in
``hive.yaml`` takes effect on the next worker start.
"""

from __future__ import annotations

from datetime import timedelta

from temporalio.client import (
    Client,
    Schedule,
    ScheduleActionExecutionStartWorkflow,
    ScheduleActionStartWorkflow,
    ScheduleAlreadyRunningError,
    ScheduleHandle,
    ScheduleIntervalSpec,
    ScheduleOverlapPolicy,
    SchedulePolicy,
    ScheduleSpec,
    ScheduleUpdate,
    ScheduleUpdateInput,
)
from temporalio.service import RPCError

from hive_core.config.models import MonitoringConfig
from hive_core.monitoring.payloads import HealthCheckInput
from workflows.health_check import HealthCheckWorkflow

HEALTH_SCHEDULE_ID = "hive-health-check"
# A probe waits at most this long for a daemon; shorter for very frequent checks.
MAX_PROBE_TIMEOUT_S = 5.0


def health_schedule(monitoring: MonitoringConfig, task_queue: str) -> Schedule:
    """The schedule for ``monitoring.health_check_interval``, started on the central ``task_queue``."""
    interval = monitoring.health_check_interval
    probe_timeout = min(MAX_PROBE_TIMEOUT_S, max(1.0, interval / 2))
    return Schedule(
        action=ScheduleActionStartWorkflow(
            HealthCheckWorkflow.run,
            HealthCheckInput(probe_timeout_s=probe_timeout),
            id=f"{HEALTH_SCHEDULE_ID}-run",
            task_queue=task_queue,
            # A check that cannot finish in a few intervals is stale; the next one replaces it.
            execution_timeout=timedelta(seconds=max(60.0, 3 * interval)),
        ),
        spec=ScheduleSpec(intervals=[ScheduleIntervalSpec(every=timedelta(seconds=interval))]),
        # Never pile checks up behind a slow one.
        policy=SchedulePolicy(overlap=ScheduleOverlapPolicy.SKIP),
    )


async def ensure_health_schedule(client: Client, monitoring: MonitoringConfig, task_queue: str) -> str:
    """Create the schedule, or update it to the current settings; returns "created" or "updated"."""
    schedule = health_schedule(monitoring, task_queue)
    try:
        await client.create_schedule(HEALTH_SCHEDULE_ID, schedule)
        return "created"
    except ScheduleAlreadyRunningError:
        pass

    def replace(_: ScheduleUpdateInput) -> ScheduleUpdate:
        return ScheduleUpdate(schedule=schedule)

    handle = client.get_schedule_handle(HEALTH_SCHEDULE_ID)
    await handle.update(replace)
    await _end_checks_on_other_queues(client, handle, task_queue)
    return "updated"


async def _end_checks_on_other_queues(client: Client, handle: ScheduleHandle, task_queue: str) -> None:
    """A check started for a worker on another queue never runs, and with overlap SKIP it would
    block every new check until its execution timeout: terminate it."""
    for action in (await handle.describe()).info.running_actions:
        if not isinstance(action, ScheduleActionExecutionStartWorkflow):
            continue
        run = client.get_workflow_handle(action.workflow_id, run_id=action.first_execution_run_id)
        try:
            if (await run.describe()).task_queue != task_queue:
                await run.terminate(reason=f"health check moved to task queue {task_queue}")
        except RPCError:
            pass  # it ended meanwhile


__all__ = ["HEALTH_SCHEDULE_ID", "ensure_health_schedule", "health_schedule"]
