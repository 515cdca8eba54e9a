"""Record the histories the replay test checks: `python -m tests.histories.record_histories`.

Run it only when a workflow change is meant to be incompatible (and guarded with
`workflow.patched`): replaying old histories is how running workflows survive deploys.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from pathlib import Path

from hive_core.settings import HiveSettings, TemporalSettings, WorkerSettings
from hive_core.stack.dev_server import start_ephemeral_server
from n8n_import import compile_export
from tests.histories.workflows import RECORDED
from workers.factory import build_central_worker
from workflows.n8n_models import RunN8nInput
from workflows.n8n_run import N8nWorkflow

HERE = Path(__file__).parent


async def main() -> None:
    env = await start_ephemeral_server()
    queue = f"record-{uuid.uuid4().hex[:6]}"
    settings = HiveSettings(
        temporal=TemporalSettings(task_queue=queue), worker=WorkerSettings(metrics_port=0)
    )
    async with build_central_worker(env.client, settings):
        for name, workflow in RECORDED.items():
            handle = await env.client.start_workflow(
                N8nWorkflow.run,
                RunN8nInput(plan=compile_export(workflow)[0]),
                id=f"history-{name}",
                task_queue=queue,
            )
            await handle.result()
            history = await handle.fetch_history()
            (HERE / f"{name}.json").write_text(json.dumps(json.loads(history.to_json()), indent=1))
    await env.shutdown()


if __name__ == "__main__":
    asyncio.run(main())
