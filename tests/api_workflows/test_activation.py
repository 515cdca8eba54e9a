"""Activate/deactivate: Temporal Schedules (real dev server) and webhook routes follow the flag."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from temporalio.client import Client
from temporalio.service import RPCError

from api.app import create_app
from hive_core.db.models import UserRole
from hive_core.schedules import PREFIX
from hive_core.settings import DatabaseSettings, HiveSettings, TemporalSettings
from hive_core.stack.ports import free_port
from tests.api_auth.conftest import auth, cluster_with
from tests.builders import node
from tests.test_api import api_client

from .conftest import ApiFactory, export


def _scheduled(workflow_id: str, hours: int) -> dict[str, Any]:
    trigger = {
        "name": "Every",
        "type": "n8n-nodes-base.scheduleTrigger",
        "typeVersion": 1.2,
        "position": [0, 0],
        "parameters": {"rule": {"interval": [{"field": "hours", "hoursInterval": hours}]}},
    }
    return export(workflow_id, [trigger, node("After", "noOp", 1)], workflow_id)


async def _schedule_hours(client: Client, workflow_id: str) -> float | None:
    """The interval (hours) of the workflow's schedule, None if it has none."""
    try:
        described = await client.get_schedule_handle(f"{PREFIX}{workflow_id}-Every").describe()
    except RPCError:
        return None
    (interval,) = described.schedule.spec.intervals
    return interval.every.total_seconds() / 3600


async def test_schedules_follow_activation_updates_and_delete(
    make_api: ApiFactory, make_key: Callable[..., Any], client: Client
) -> None:
    operator = await make_key(UserRole.OPERATOR)
    async with make_api() as http:
        created = await http.post("/api/workflows", json=_scheduled("sched1", 2), headers=auth(operator))
        assert created.status_code == 201, created.text
        assert await _schedule_hours(client, "sched1") is None

        activated = await http.post("/api/workflows/sched1/activate", headers=auth(operator))
        assert activated.status_code == 200, activated.text
        assert activated.json()["active"] is True
        assert await _schedule_hours(client, "sched1") == 2

        # A new version of an active workflow replaces the schedule's spec and plan.
        assert (
            await http.put("/api/workflows/sched1", json=_scheduled("sched1", 5), headers=auth(operator))
        ).status_code == 200
        assert await _schedule_hours(client, "sched1") == 5

        deactivated = await http.post("/api/workflows/sched1/deactivate", headers=auth(operator))
        assert deactivated.json()["active"] is False
        assert await _schedule_hours(client, "sched1") is None

        # Created active, then deleted: the schedule goes with it.
        assert (
            await http.post(
                "/api/workflows",
                params={"activate": "true"},
                json=_scheduled("sched2", 3),
                headers=auth(operator),
            )
        ).status_code == 201
        assert await _schedule_hours(client, "sched2") == 3
        assert (await http.delete("/api/workflows/sched2", headers=auth(operator))).status_code == 204
        assert await _schedule_hours(client, "sched2") is None


async def test_webhook_routes_follow_the_active_flag(
    make_api: ApiFactory, make_key: Callable[..., Any]
) -> None:
    operator = await make_key(UserRole.OPERATOR)
    hook = export("hooked", [node("Hook", "webhook", 2, httpMethod="POST", path="api-wf-hook")], "hooked")
    async with make_api() as http:
        assert (await http.post("/api/workflows", json=hook, headers=auth(operator))).status_code == 201
        assert (await http.post("/webhook/api-wf-hook", json={})).status_code == 404
        await http.post("/api/workflows/hooked/activate", headers=auth(operator))
        started = await http.post("/webhook/api-wf-hook", json={"x": 1})
        assert started.status_code == 200, started.text
        assert started.json() == {"message": "Workflow was started"}
        await http.post("/api/workflows/hooked/deactivate", headers=auth(operator))
        assert (await http.post("/webhook/api-wf-hook", json={})).status_code == 404


async def test_activation_needs_temporal(
    migrated_url: str, tmp_path: Path, make_key: Callable[..., Any]
) -> None:
    operator = await make_key(UserRole.OPERATOR)
    settings = HiveSettings(
        data_dir=tmp_path,
        temporal=TemporalSettings(address=f"127.0.0.1:{free_port()}", connect_timeout_s=1),
        database=DatabaseSettings(url=migrated_url),
    )
    async with api_client(create_app(settings, cluster_with(api_rate_limit=10_000))) as http:
        assert (
            await http.post("/api/workflows", json=_scheduled("sched3", 1), headers=auth(operator))
        ).status_code == 201
        response = await http.post("/api/workflows/sched3/activate", headers=auth(operator))
        assert response.status_code == 503
        assert response.json()["error"]["type"] == "EngineUnavailableError"
        # Nothing was committed: the workflow is still inactive.
        assert (await http.get("/api/workflows/sched3", headers=auth(operator))).json()["active"] is False
