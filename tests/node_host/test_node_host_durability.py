"""The node host killed mid-node, and no node host at all: runs wait, complete, rerun nothing finished."""

from __future__ import annotations

import asyncio
import threading
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment

from hive_core.node_host.contract import ACTIVITY_NAME
from tests.builders import chain, node, worker_settings
from tests.loopback import JsonHandler, serve
from tests.node_host.conftest import make_node_host
from tests.node_host.helpers import compile_for, items
from workers.factory import build_central_worker
from workflows.n8n_models import ExecutionStatus, RunN8nInput
from workflows.n8n_run import N8nWorkflow


@dataclass
class HoldServer:
    """`/hold` answers only once `release` is set; `/ok` at once. Counts requests per path."""

    url: str = ""
    counts: Counter[str] = field(default_factory=Counter)
    release: threading.Event = field(default_factory=threading.Event)


@contextmanager
def hold_server() -> Iterator[HoldServer]:
    state = HoldServer()

    class Handler(JsonHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            state.counts[self.path] += 1
            if self.path == "/hold":
                state.release.wait(60)
            try:
                self.reply_json(200, {"path": self.path, "count": state.counts[self.path]})
            except OSError:
                pass  # the caller (a killed node host) is gone

    with serve(Handler) as state.url:
        try:
            yield state
        finally:
            state.release.set()


def _http(name: str, url: str) -> dict[str, object]:
    return node(name, "httpRequest", 4.2, url=url, options={})


async def _until(predicate: object, timeout_s: float = 30) -> None:
    for _ in range(int(timeout_s / 0.05)):
        if predicate():  # type: ignore[operator]
            return
        await asyncio.sleep(0.05)
    raise AssertionError("condition not reached")


async def test_killed_node_host_mid_node_the_run_completes_without_rerunning_finished_nodes(
    client: Client, temporal_env: WorkflowEnvironment, task_queue: str, tmp_path: Path
) -> None:
    host = make_node_host(temporal_env, tmp_path)
    with hold_server() as server:
        wf = chain(
            "kill mid-node",
            [
                node("Start", "manualTrigger", 1),
                _http("First", f"{server.url}/ok"),
                _http("Slow", f"{server.url}/hold"),
                node("After", "noOp", 1),
            ],
        )
        plan = compile_for(wf, host.queue, "httpRequest")
        assert plan.nodes["Slow"].runner == "node_host"
        host.start()
        try:
            async with build_central_worker(client, worker_settings(task_queue)):
                handle = await client.start_workflow(
                    N8nWorkflow.run,
                    RunN8nInput(plan=plan),
                    id=f"kill-{uuid.uuid4().hex[:8]}",
                    task_queue=task_queue,
                )
                await _until(lambda: server.counts["/hold"] == 1)
                host.kill()  # mid-node: the request to /hold is in flight
                server.release.set()
                host.start()
                run = await handle.result()
        finally:
            host.kill()
    assert run.status is ExecutionStatus.SUCCESS, run.error
    assert server.counts["/ok"] == 1  # the finished node did not run again
    assert server.counts["/hold"] == 2  # the in-flight one did, on the new node host
    assert items(run, "Slow")[0]["json"] == {"path": "/hold", "count": 2}
    assert len(run.run_data["First"]) == 1


async def test_without_a_node_host_the_run_waits_then_completes(
    client: Client, temporal_env: WorkflowEnvironment, task_queue: str, tmp_path: Path
) -> None:
    host = make_node_host(temporal_env, tmp_path)
    wf = chain(
        "waits",
        [node("Start", "manualTrigger", 1), node("MD", "markdown", 1, mode="markdownToHtml", markdown="# w")],
    )
    plan = compile_for(wf, host.queue, "markdown").model_copy(update={"node_host_wait_notice_s": 1.0})
    async with build_central_worker(client, worker_settings(task_queue)):
        handle = await client.start_workflow(
            N8nWorkflow.run,
            RunN8nInput(plan=plan),
            id=f"wait-{uuid.uuid4().hex[:8]}",
            task_queue=task_queue,
        )

        async def pending() -> list[str]:
            description = await handle.describe()
            return [a.activity_type.name for a in description.raw_description.pending_activities]

        for _ in range(100):
            if await pending():
                break
            await asyncio.sleep(0.05)
        assert await pending() == [ACTIVITY_NAME]  # scheduled, waiting for a node host
        await asyncio.sleep(2.5)
        assert await pending() == [ACTIVITY_NAME]  # still waiting: it did not fail
        waiting = [line for line in (await handle.query(N8nWorkflow.snapshot)).logs if line["node"] == "MD"]
        assert waiting and "waiting for an n8n node host on task queue" in waiting[0]["log"]
        host.start()
        try:
            run = await handle.result()
        finally:
            host.kill()
    assert run.status is ExecutionStatus.SUCCESS, run.error
    assert items(run, "MD")[0]["json"]["data"] == '<h1 id="w">w</h1>'
