"""Schedule Trigger / Cron nodes → Temporal Schedules (mapping, item, sync on a real server)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from temporalio.client import Client, ScheduleIntervalSpec

from hive_core.errors import CompileError
from hive_core.schedules import schedule_spec, sync_schedules
from n8n_import import compile_export
from n8n_runtime.schedule_item import schedule_item
from tests.builders import worker_settings
from tests.helpers import assert_eventually
from workers.factory import build_central_worker
from workflows.n8n_models import ExecutionStatus
from workflows.n8n_run import N8nWorkflow


def _plan(trigger: dict[str, Any], name: str = "scheduled") -> Any:
    nodes = [
        {"name": "Every", "position": [0, 0], **trigger},
        {"name": "After", "type": "n8n-nodes-base.noOp", "typeVersion": 1, "position": [200, 0]},
    ]
    connections = {"Every": {"main": [[{"node": "After", "type": "main", "index": 0}]]}}
    data = {
        "name": name,
        "nodes": nodes,
        "connections": connections,
        "settings": {"timezone": "Europe/Berlin"},
    }
    return compile_export(data)[0]


def _schedule(*rules: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "n8n-nodes-base.scheduleTrigger",
        "typeVersion": 1.2,
        "parameters": {"rule": {"interval": list(rules)}},
    }


@pytest.mark.parametrize(
    ("rule", "intervals", "crons"),
    [
        (
            {"field": "seconds", "secondsInterval": 30},
            [ScheduleIntervalSpec(every=timedelta(seconds=30))],
            [],
        ),
        ({"field": "minutes", "minutesInterval": 5}, [ScheduleIntervalSpec(every=timedelta(minutes=5))], []),
        (
            {"field": "hours", "hoursInterval": 2, "triggerAtMinute": 15},
            [ScheduleIntervalSpec(every=timedelta(hours=2), offset=timedelta(minutes=15))],
            [],
        ),
        ({"field": "days", "triggerAtHour": 9, "triggerAtMinute": 30}, [], ["30 9 * * *"]),
        ({"field": "weeks", "triggerAtDay": [1, 5], "triggerAtHour": 8}, [], ["0 8 * * 1,5"]),
        ({"field": "months", "triggerAtDayOfMonth": 15, "triggerAtHour": 6}, [], ["0 6 15 * *"]),
        ({"field": "cronExpression", "expression": "*/10 * * * *"}, [], ["*/10 * * * *"]),
    ],
)
def test_rules_map_to_temporal_specs(rule: dict[str, Any], intervals: list[Any], crons: list[str]) -> None:
    plan = _plan(_schedule(rule))
    spec = schedule_spec(plan.nodes["Every"], plan.settings.timezone)
    assert list(spec.intervals) == intervals
    assert list(spec.cron_expressions) == crons
    assert spec.time_zone_name == "Europe/Berlin"


def test_legacy_cron_node() -> None:
    cron = {
        "type": "n8n-nodes-base.cron",
        "typeVersion": 1,
        "parameters": {
            "triggerTimes": {"item": [{"mode": "everyWeek", "hour": 7, "minute": 5, "weekday": "3"}]}
        },
    }
    plan = _plan(cron)
    assert list(schedule_spec(plan.nodes["Every"], None).cron_expressions) == ["5 7 * * 3"]


def test_schedule_item_is_n8ns_shape() -> None:
    item = schedule_item("n8n-nodes-base.scheduleTrigger", datetime(2024, 1, 1, 15, 4, 5, tzinfo=UTC), None)
    assert item["json"] == {
        "timestamp": "2024-01-01T10:04:05.000-05:00",
        "Readable date": "January 1st 2024, 10:04:05 am",
        "Readable time": "10:04:05 am",
        "Day of week": "Monday",
        "Year": "2024",
        "Month": "January",
        "Day of month": "01",
        "Hour": "10",
        "Minute": "04",
        "Second": "05",
        "Timezone": "America/New_York (UTC-05:00)",
    }


async def test_sync_creates_fires_and_deletes(client: Client, task_queue: str) -> None:
    workflow_id = f"wf-{uuid.uuid4().hex[:6]}"
    plan = _plan(_schedule({"field": "days", "triggerAtHour": 3}), name=workflow_id)
    created = await sync_schedules(client, [(workflow_id, plan)], task_queue)
    ((schedule_id, change),) = [(k, v) for k, v in created.items() if workflow_id in k]
    assert change == "created"
    handle = client.get_schedule_handle(schedule_id)
    description = await handle.describe()
    assert list(description.schedule.spec.cron_expressions or []) or description.schedule.spec.calendars

    settings = worker_settings(task_queue)
    async with build_central_worker(client, settings):
        await handle.trigger()

        async def fired() -> str:
            recent = (await handle.describe()).info.recent_actions
            assert recent, "no action yet"
            return recent[-1].action.workflow_id

        run_id = await assert_eventually(fired, timeout_s=20)
        result = await client.get_workflow_handle_for(N8nWorkflow.run, run_id).result()
    assert result.status is ExecutionStatus.SUCCESS
    (item,) = result.run_data["Every"][0]["data"]["main"][0]
    assert item["json"]["Timezone"].startswith("Europe/Berlin")

    assert (await sync_schedules(client, [], task_queue)).get(schedule_id) == "deleted"


def _interval(**parameters: Any) -> dict[str, Any]:
    return {"type": "n8n-nodes-base.interval", "typeVersion": 1, "parameters": parameters}


@pytest.mark.parametrize(
    ("parameters", "every"),
    [
        ({}, timedelta(seconds=1)),  # n8n's defaults: 1, seconds
        ({"unit": "minutes", "interval": 30}, timedelta(minutes=30)),
        ({"unit": "hours", "interval": 2}, timedelta(hours=2)),
    ],
)
def test_interval_node_maps_to_an_interval_spec(parameters: dict[str, Any], every: timedelta) -> None:
    plan = _plan(_interval(**parameters))
    spec = schedule_spec(plan.nodes["Every"], plan.settings.timezone)
    assert list(spec.intervals) == [ScheduleIntervalSpec(every=every)]
    assert list(spec.cron_expressions) == []


@pytest.mark.parametrize(
    ("parameters", "message"),
    [
        ({"interval": 0}, "The interval has to be set to at least 1 or higher!"),
        ({"interval": 600, "unit": "hours"}, "The interval value is too large."),
        ({"interval": "={{ 5 }}"}, "an expression as interval is not supported"),
        ({"interval": 1, "unit": "days"}, 'unit "days" is not supported'),
    ],
)
def test_interval_node_rejects_what_n8n_rejects(parameters: dict[str, Any], message: str) -> None:
    with pytest.raises(CompileError) as caught:
        _plan(_interval(**parameters))
    [diagnostic] = caught.value.details["diagnostics"]
    assert diagnostic["node"] == "Every" and message in diagnostic["message"]


async def test_interval_schedule_fires_with_an_empty_item(client: Client, task_queue: str) -> None:
    workflow_id = f"wf-{uuid.uuid4().hex[:6]}"
    plan = _plan(_interval(unit="minutes", interval=30), name=workflow_id)
    created = await sync_schedules(client, [(workflow_id, plan)], task_queue)
    [schedule_id] = [k for k in created if workflow_id in k]
    handle = client.get_schedule_handle(schedule_id)
    spec = (await handle.describe()).schedule.spec
    assert [i.every for i in spec.intervals] == [timedelta(minutes=30)]
    async with build_central_worker(client, worker_settings(task_queue)):
        await handle.trigger()

        async def fired() -> str:
            recent = (await handle.describe()).info.recent_actions
            assert recent, "no action yet"
            return recent[-1].action.workflow_id

        run_id = await assert_eventually(fired, timeout_s=20)
        result = await client.get_workflow_handle_for(N8nWorkflow.run, run_id).result()
    assert result.status is ExecutionStatus.SUCCESS
    assert [item["json"] for item in result.run_data["Every"][0]["data"]["main"][0]] == [{}]
    assert (await sync_schedules(client, [], task_queue)).get(schedule_id) == "deleted"
