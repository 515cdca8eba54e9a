"""A Python Code node inside the pure-node activity: the worker's event loop keeps running while
the interpreter process works, and the process is not the worker."""

from __future__ import annotations

import asyncio
import os

import httpx
from temporalio.testing import ActivityEnvironment

from activities.n8n_nodes import NodeActivities, NodeTaskInput
from hive_core.config.code_python import PythonCodePolicy
from n8n_import import compile_export
from n8n_runtime.code_python import PythonPool
from n8n_runtime.http import ConfigCredentials
from tests.n8n_import.factory import link, node, trigger

SLOW = "import os, time\ntime.sleep(1.5)\nreturn [{'pid': os.getpid()}]"


def _task(code: str) -> NodeTaskInput:
    export = {
        "nodes": [trigger(), node("Py", "code", 2, parameters={"language": "python", "pythonCode": code})],
        "connections": link(("Trigger", "Py")),
    }
    plan = compile_export(export)[0]
    return NodeTaskInput(
        plan_json=plan.model_dump_json(), node="Py", inputs=[[{"json": {}}]], run_index=0, source=[None],
        execution_id="e1", now_ms=0,
    )  # fmt: skip


async def test_the_event_loop_runs_while_python_code_works() -> None:
    pool = PythonPool(PythonCodePolicy(stdlib_allow=["os", "time"], pool_size=0))
    activities = NodeActivities(httpx.AsyncClient(), ConfigCredentials({}), python=pool)
    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.05)
            ticks += 1

    counting = asyncio.create_task(ticker())
    try:
        output = await ActivityEnvironment().run(activities.run_pure_node, _task(SLOW))
    finally:
        counting.cancel()
        activities.close()
    assert output.error is None, output.error
    assert output.outputs is not None
    assert output.outputs[0][0]["json"]["pid"] != os.getpid()  # type: ignore[index]
    # 1.5 s of sleeping in the child: a blocked loop would have ticked about once.
    assert ticks >= 15, ticks
