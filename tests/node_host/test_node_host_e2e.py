"""Workflows mixing native and node-host nodes, through a real dev server and a real node host."""

from __future__ import annotations

from temporalio.client import Client

from tests.builders import chain, node, worker_settings
from tests.node_host.conftest import NodeHost
from tests.node_host.helpers import compile_for, items, run_on
from workers.factory import build_central_worker
from workflows.n8n_models import ExecutionStatus


async def test_markdown_on_the_node_host_with_an_expression(
    client: Client, task_queue: str, node_host: NodeHost
) -> None:
    wf = chain(
        "md",
        [
            node("Start", "manualTrigger", 1),
            node(
                "Who",
                "set",
                3.4,
                assignments={"assignments": [{"name": "who", "value": "Ada", "type": "string"}]},
            ),
            node("Markdown", "markdown", 1, mode="markdownToHtml", markdown='={{ "# Hi " + $json.who }}'),
        ],
    )
    plan = compile_for(wf, node_host.queue)
    assert plan.nodes["Markdown"].runner == "node_host"
    assert plan.nodes["Who"].runner == "native"
    async with build_central_worker(client, worker_settings(task_queue)):
        run = await run_on(client, task_queue, node_host.queue, wf)
    assert run.status is ExecutionStatus.SUCCESS, run.error
    [item] = items(run, "Markdown")
    assert item["json"] == {"who": "Ada", "data": '<h1 id="hiada">Hi Ada</h1>'}
    assert item["pairedItem"] == {"item": 0}
