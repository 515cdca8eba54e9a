"""Record the gated-run histories `test_replay_gates` checks: `python -m tests.approvals.record_histories`.

Run it only when a change to the gate code is meant to be incompatible (and guarded with
`workflow.patched`): replaying old histories is how waiting runs survive deploys.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from pathlib import Path

from hive_core.approvals import ApprovalDecision
from hive_core.stack.dev_server import start_ephemeral_server
from tests.approvals.gated import ON, gated_workflow, pending_gate, start
from tests.builders import worker_settings
from workers.factory import build_central_worker
from workflows.n8n_run import N8nWorkflow

HISTORIES = Path(__file__).parent / "histories"
# name → (workflow, decision; None lets the gate time out)
RECORDED = {
    "node_gate_approved": (gated_workflow(), ApprovalDecision(approve=True, by="ada", comment="ok")),
    "workflow_gate_rejected": (
        gated_workflow(marking=None, tags=["hive:approval"]),
        ApprovalDecision(approve=False, by="grace", comment="no"),
    ),
    "node_gate_timed_out": (gated_workflow("hive: approval timeout=1s"), None),
}


async def main() -> None:
    env = await start_ephemeral_server()
    queue = f"record-{uuid.uuid4().hex[:6]}"
    async with build_central_worker(env.client, worker_settings(queue)):
        for name, (workflow, decision) in RECORDED.items():
            handle = await start(env.client, queue, workflow, ON)
            if decision is not None:
                await pending_gate(handle)
                await handle.execute_update(N8nWorkflow.decide_approval, decision)
            await handle.result()
            history = await handle.fetch_history()
            (HISTORIES / f"{name}.json").write_text(json.dumps(json.loads(history.to_json()), indent=1))
    await env.shutdown()


if __name__ == "__main__":
    asyncio.run(main())
