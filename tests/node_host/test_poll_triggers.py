"""Polling triggers of service nodes: a Temporal Schedule per trigger, poll() on the real node host.

The RSS Feed Trigger polls a local HTTP server serving an RSS 2.0 feed. As n8n's trigger mode
does, the first poll only records the newest item's date (activation does not replay the
feed), a poll with nothing newer starts nothing, and a new item starts a run with exactly it.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from temporalio.client import Client, ScheduleHandle, WorkflowFailureError
from temporalio.exceptions import ApplicationError

from activities.trigger_state import TriggerStateActivities, TriggerStateKey
from hive_core.db.engine import create_engine, create_sessionmaker
from hive_core.db.migrate import upgrade_database_async
from hive_core.errors import CompileError
from hive_core.schedules import schedule_spec, sync_schedules
from n8n_import import CompileOptions, compile_export
from tests.builders import worker_settings
from tests.helpers import assert_eventually
from tests.node_host.conftest import NodeHost
from workers.factory import build_central_worker
from workflows.n8n_models import ExecutionStatus
from workflows.n8n_run import N8nWorkflow
from workflows.poll_trigger import PollTriggerInput, PollTriggerResult, PollTriggerWorkflow


class Feed:
    """An RSS 2.0 feed served at `url`; `items` can change between polls."""

    def __init__(self) -> None:
        self.items: list[tuple[str, datetime]] = []
        self.requests = 0
        feed = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                feed.requests += 1
                body = feed.xml().encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/rss+xml")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/feed.xml"

    def xml(self) -> str:
        entries = "".join(
            f"<item><title>{title}</title><link>http://example.test/{title}</link>"
            f"<guid>{title}</guid><pubDate>{format_datetime(when)}</pubDate></item>"
            for title, when in sorted(self.items, key=lambda item: item[1], reverse=True)
        )
        return (
            '<?xml version="1.0"?><rss version="2.0"><channel><title>Test feed</title>'
            f"<link>http://example.test/</link><description>d</description>{entries}</channel></rss>"
        )


@pytest.fixture
def feed() -> Iterator[Feed]:
    served = Feed()
    thread = threading.Thread(target=served.server.serve_forever, daemon=True)
    thread.start()
    try:
        yield served
    finally:
        served.server.shutdown()
        served.server.server_close()


def _workflow(url: str, poll_times: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "name": "rss poll",
        "nodes": [
            {
                "name": "RSS",
                "type": "n8n-nodes-base.rssFeedReadTrigger",
                "typeVersion": 1,
                "position": [0, 0],
                "parameters": {"pollTimes": {"item": poll_times}, "feedUrl": url},
            },
            {"name": "After", "type": "n8n-nodes-base.noOp", "typeVersion": 1, "position": [200, 0]},
        ],
        "connections": {"RSS": {"main": [[{"node": "After", "type": "main", "index": 0}]]}},
    }


def test_poll_times_map_like_cron_items() -> None:
    wf = _workflow("http://x/", [{"mode": "everyMinute"}, {"mode": "everyX", "value": 5, "unit": "minutes"}])
    plan = compile_export(wf)[0]
    assert plan.nodes["RSS"].runner == "node_host" and plan.start_nodes == ["RSS"]
    assert list(schedule_spec(plan.nodes["RSS"], None).cron_expressions) == ["* * * * *", "*/5 * * * *"]
    default = compile_export(_workflow("http://x/", []))[0]
    assert list(schedule_spec(default.nodes["RSS"], None).cron_expressions) == ["* * * * *"]
    with pytest.raises(CompileError, match="pollTimes"):
        compile_export(_workflow("http://x/", [{"mode": "everyFortnight"}]))


async def _tick(client: Client, handle: ScheduleHandle) -> PollTriggerResult:
    """Fire the schedule now and return what its poll found."""
    before = len((await handle.describe()).info.recent_actions)
    await handle.trigger()

    async def fired() -> str:
        recent = (await handle.describe()).info.recent_actions
        assert len(recent) > before, "no new action yet"
        return recent[-1].action.workflow_id

    poll_id = await assert_eventually(fired, timeout_s=20)
    return await client.get_workflow_handle_for(PollTriggerWorkflow.run, poll_id).result()


async def test_rss_trigger_polls_on_its_schedule_with_durable_state(
    client: Client, task_queue: str, node_host: NodeHost, feed: Feed, tmp_path: Path
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'hive.db'}"
    await upgrade_database_async(url)
    engine = create_engine(url)
    sessions = create_sessionmaker(engine)
    now = datetime.now(UTC).replace(microsecond=0)
    feed.items = [("old", now - timedelta(days=2)), ("newest", now - timedelta(hours=1))]
    workflow_id = f"wf-{uuid.uuid4().hex[:6]}"
    # Once a year: the test fires it itself, so no tick of its own interferes.
    wf = _workflow(feed.url, [{"mode": "custom", "cronExpression": "0 0 1 1 *"}])
    plan = compile_export(wf, CompileOptions(node_host_queue=node_host.queue))[0]
    changes = await sync_schedules(client, [(workflow_id, plan)], task_queue)
    [schedule_id] = [sid for sid in changes if workflow_id in sid]
    assert schedule_id == f"hive-schedule-{workflow_id}-RSS" and changes[schedule_id] == "created"
    handle = client.get_schedule_handle(schedule_id)
    state = TriggerStateActivities(sessions)
    key = TriggerStateKey(workflow_id=workflow_id, node="RSS")
    try:
        async with build_central_worker(client, worker_settings(task_queue), sessions=sessions):
            # First poll: n8n's trigger mode records the newest date and emits nothing older.
            first = await _tick(client, handle)
            assert first == PollTriggerResult() and feed.requests == 1
            saved = await state.load_trigger_state(key)
            assert saved.found
            assert datetime.fromisoformat(saved.data["lastItemDate"]) == now - timedelta(hours=1)

            # Nothing new: no run.
            assert await _tick(client, handle) == PollTriggerResult()
            assert feed.requests == 2

            # A new item: one run with exactly that item as the trigger's output.
            feed.items.append(("fresh", now))
            third = await _tick(client, handle)
            assert third.items == 1 and third.run_id is not None
            run = await client.get_workflow_handle_for(N8nWorkflow.run, third.run_id).result()
            assert run.status is ExecutionStatus.SUCCESS, run.error
            [emitted] = run.run_data["RSS"][0]["data"]["main"][0]
            assert emitted["json"]["title"] == "fresh"
            assert emitted["json"]["link"] == "http://example.test/fresh"
            [after] = run.run_data["After"][0]["data"]["main"][0]
            assert after["json"] == emitted["json"]
            saved = await state.load_trigger_state(key)
            assert datetime.fromisoformat(saved.data["lastItemDate"]) == now

            # The state moved on: the same feed again starts nothing.
            assert await _tick(client, handle) == PollTriggerResult()
    finally:
        await sync_schedules(client, [], task_queue)
        await engine.dispose()


async def test_failing_poll_fails_its_tick_naming_the_node_and_starts_nothing(
    client: Client, task_queue: str, node_host: NodeHost, tmp_path: Path
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'hive.db'}"
    await upgrade_database_async(url)
    engine = create_engine(url)
    sessions = create_sessionmaker(engine)
    # A port nothing listens on: n8n's "It was not possible to connect to the URL".
    wf = _workflow("http://127.0.0.1:9/feed.xml", [{"mode": "everyMinute"}])
    plan = compile_export(wf, CompileOptions(node_host_queue=node_host.queue))[0]
    try:
        async with build_central_worker(client, worker_settings(task_queue), sessions=sessions):
            with pytest.raises(WorkflowFailureError) as failure:
                await client.execute_workflow(
                    PollTriggerWorkflow.run,
                    PollTriggerInput(plan=plan, workflow_id="wf-down", node="RSS"),
                    id=f"poll-{uuid.uuid4().hex[:8]}",
                    task_queue=task_queue,
                )
        cause = failure.value.cause
        assert isinstance(cause, ApplicationError) and cause.type == "PollTriggerError"
        assert "'RSS'" in cause.message and "not possible to connect" in cause.message
        saved = await TriggerStateActivities(sessions).load_trigger_state(
            TriggerStateKey(workflow_id="wf-down", node="RSS")
        )
        assert not saved.found
    finally:
        await engine.dispose()
