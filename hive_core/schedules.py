"""Schedule Trigger and Cron nodes of active workflows → Temporal Schedules, kept in sync.

One schedule per (workflow, trigger node), id `hive-schedule-<workflow id>-<node>`; each
firing starts the interpreter with that node as start node. Polling triggers of services (RSS,
Gmail, Google Sheets... on the node host) get one too, from their `pollTimes`: each firing runs
one poll (workflows.poll_trigger), which starts the interpreter only when the poll found items.
Syncing creates, updates and deletes so the schedules always match the active workflows.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from temporalio.client import (
    Client,
    Schedule,
    ScheduleActionStartWorkflow,
    ScheduleAlreadyRunningError,
    ScheduleIntervalSpec,
    ScheduleSpec,
    ScheduleUpdate,
    ScheduleUpdateInput,
)

from hive_core.approvals.models import ApprovalPolicy
from hive_core.errors import CompileError
from n8n_import.node_catalog import load_catalog
from n8n_import.plan import Plan, PlanNode
from n8n_runtime.expressions import DEFAULT_TIMEZONE
from n8n_runtime.schedule_item import INTERVAL_TYPE, SCHEDULE_TYPES
from workflows.n8n_models import RunN8nInput
from workflows.n8n_run import N8nWorkflow
from workflows.poll_trigger import PollTriggerInput, PollTriggerWorkflow

PREFIX = "hive-schedule-"


def _rule_spec(rule: dict[str, Any]) -> tuple[list[ScheduleIntervalSpec], list[str]]:
    field = rule.get("field", "days")
    hour, minute = int(rule.get("triggerAtHour", 0)), int(rule.get("triggerAtMinute", 0))
    if field in ("seconds", "minutes"):
        every = int(rule.get(f"{field}Interval", 1 if field == "minutes" else 30))
        return [ScheduleIntervalSpec(every=timedelta(**{field: every}))], []
    if field == "hours":
        every = int(rule.get("hoursInterval", 1))
        return [ScheduleIntervalSpec(every=timedelta(hours=every), offset=timedelta(minutes=minute))], []
    if field == "days":
        every = int(rule.get("daysInterval", 1))
        return [], [f"{minute} {hour} */{every} * *" if every > 1 else f"{minute} {hour} * * *"]
    if field == "weeks":
        days = rule.get("triggerAtDay") or [0]
        return [], [f"{minute} {hour} * * {','.join(str(int(d)) for d in days)}"]
    if field == "months":
        every = int(rule.get("monthsInterval", 1))
        day = int(rule.get("triggerAtDayOfMonth", 1))
        return [], [f"{minute} {hour} {day} */{every} *" if every > 1 else f"{minute} {hour} {day} * *"]
    if field == "cronExpression":
        return [], [str(rule.get("expression", "")).strip()]
    raise CompileError(f"schedule interval {field!r} is not supported", field="rule.interval")


def _cron_node_spec(item: dict[str, Any]) -> str:
    mode = item.get("mode", "everyDay")
    hour, minute = int(item.get("hour", 14)), int(item.get("minute", 0))
    if mode == "everyMinute":
        return "* * * * *"
    if mode == "everyHour":
        return f"{minute} * * * *"
    if mode == "everyDay":
        return f"{minute} {hour} * * *"
    if mode == "everyWeek":
        return f"{minute} {hour} * * {int(item.get('weekday', 1))}"
    if mode == "everyMonth":
        return f"{minute} {hour} {int(item.get('dayOfMonth', 1))} * *"
    if mode == "everyX":
        value, unit = int(item.get("value", 2)), item.get("unit", "hours")
        return f"*/{value} * * * *" if unit == "minutes" else f"0 */{value} * * *"
    if mode == "custom":
        return str(item.get("cronExpression", "")).strip()
    raise CompileError(f"cron mode {mode!r} is not supported", field="triggerTimes")


_INTERVAL_SECONDS = {"seconds": 1, "minutes": 60, "hours": 3600}


def interval_every(parameters: dict[str, Any]) -> timedelta:
    """The Interval node's period: ``interval`` × ``unit`` (n8n's defaults 1, seconds)."""
    unit = parameters.get("unit", "seconds")
    return timedelta(seconds=float(parameters.get("interval", 1)) * _INTERVAL_SECONDS.get(unit, 1))


def schedule_spec(node: PlanNode, timezone: str | None) -> ScheduleSpec:
    """The Temporal schedule of a Schedule Trigger / Cron / Interval node (literal parameters)."""
    intervals: list[ScheduleIntervalSpec] = []
    crons: list[str] = []
    if is_poll_trigger(node):
        # n8n's pollTimes are the Cron node's items; n8n's default is every minute.
        for item in (node.parameters.get("pollTimes") or {}).get("item") or [{"mode": "everyMinute"}]:
            crons.append(_cron_node_spec(item))
    elif node.type == INTERVAL_TYPE:
        # n8n's setInterval: the first run one period after activation, then every period.
        intervals.append(ScheduleIntervalSpec(every=interval_every(node.parameters)))
    elif node.type == SCHEDULE_TYPES[0]:
        for rule in (node.parameters.get("rule") or {}).get("interval") or [{"field": "days"}]:
            more_intervals, more_crons = _rule_spec(rule)
            intervals += more_intervals
            crons += more_crons
    else:
        for item in (node.parameters.get("triggerTimes") or {}).get("item") or [{}]:
            crons.append(_cron_node_spec(item))
    return ScheduleSpec(
        intervals=intervals, cron_expressions=crons, time_zone_name=timezone or DEFAULT_TIMEZONE
    )


def is_poll_trigger(node: PlanNode) -> bool:
    """A service's polling trigger run by the node host (its catalog entry says `polling`)."""
    if node.runner != "node_host" or node.type in SCHEDULE_TYPES:
        return False
    entry = load_catalog().get(node.type)
    return entry is not None and entry.poll


def schedule_id(workflow_id: str, node: PlanNode) -> str:
    return PREFIX + re.sub(r"[^A-Za-z0-9_.-]", "_", f"{workflow_id}-{node.name}")


def desired_schedules(
    workflows: Iterable[tuple[str, Plan]], task_queue: str, approval: ApprovalPolicy | None = None
) -> dict[str, Schedule]:
    """Schedule id → Temporal schedule for every enabled schedule node of the given workflows.

    ``approval`` (the cluster's policy) is fixed in each schedule's input: a change of
    ``security.require_approval`` takes effect at the next sync (worker start, activation).
    """
    schedules: dict[str, Schedule] = {}
    for workflow_id, plan in workflows:
        for node in plan.nodes.values():
            poll = is_poll_trigger(node)
            if (node.type not in SCHEDULE_TYPES and not poll) or node.disabled:
                continue
            sid = schedule_id(workflow_id, node)
            action = (
                ScheduleActionStartWorkflow(
                    PollTriggerWorkflow.run,
                    PollTriggerInput(
                        plan=plan,
                        workflow_id=workflow_id,
                        node=node.name,
                        approval=approval or ApprovalPolicy(),
                    ),
                    id=f"{sid}-poll",
                    task_queue=task_queue,
                )
                if poll
                else ScheduleActionStartWorkflow(
                    N8nWorkflow.run,
                    RunN8nInput(
                        plan=plan,
                        start_node=node.name,
                        mode="trigger",
                        approval=approval or ApprovalPolicy(),
                    ),
                    id=f"{sid}-run",
                    task_queue=task_queue,
                )
            )
            schedules[sid] = Schedule(action=action, spec=schedule_spec(node, plan.settings.timezone))
    return schedules


async def sync_schedules(
    client: Client,
    workflows: Iterable[tuple[str, Plan]],
    task_queue: str,
    approval: ApprovalPolicy | None = None,
) -> dict[str, str]:
    """Make Temporal's Hive schedules match the active workflows; returns id → what was done."""
    wanted = desired_schedules(workflows, task_queue, approval)
    existing = set()
    async for listed in await client.list_schedules():
        if listed.id.startswith(PREFIX):
            existing.add(listed.id)
    done: dict[str, str] = {}
    for sid, schedule in wanted.items():
        if sid in existing:

            def replace(_: ScheduleUpdateInput, schedule: Schedule = schedule) -> ScheduleUpdate:
                return ScheduleUpdate(schedule=schedule)

            await client.get_schedule_handle(sid).update(replace)
            done[sid] = "updated"
        else:
            try:
                await client.create_schedule(sid, schedule)
                done[sid] = "created"
            except ScheduleAlreadyRunningError:
                done[sid] = "exists"
    for sid in existing - set(wanted):
        await client.get_schedule_handle(sid).delete()
        done[sid] = "deleted"
    return done
