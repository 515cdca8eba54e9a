"""Workflows mixing native and node-host nodes, through a real dev server and a real node host.

Node by node against real n8n's recorded output (HTML, Markdown, XML, Crypto, file nodes, Postgres,
MySQL, Redis, ...): test_n8n_parity.py. Here: native and n8n's own code agree, and a missing
credential is a node error naming it."""

from __future__ import annotations

from typing import Any

from temporalio.client import Client

from tests.builders import chain, node, worker_settings
from tests.node_host.conftest import NodeHost
from tests.node_host.helpers import compile_for, items, run_on
from workers.factory import build_central_worker
from workflows.n8n_models import ExecutionStatus


def _strip(run_items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"json": i["json"], "pairedItem": i.get("pairedItem")} for i in run_items]


async def test_native_types_forced_onto_the_node_host_agree_with_native(
    client: Client, task_queue: str, node_host: NodeHost
) -> None:
    """The oracle: Set, Sort and If run natively and by n8n's own code give the same items."""
    wf = chain(
        "oracle",
        [
            node("Start", "manualTrigger", 1),
            node("Code", "code", 2, jsCode="return [3, 1, 2].map(n => ({json: {n, name: 'x' + n}}))"),
            node(
                "Set",
                "set",
                3.4,
                assignments={
                    "assignments": [{"name": "double", "value": "={{ $json.n * 2 }}", "type": "number"}]
                },
                includeOtherFields=True,
                options={},
            ),
            node("Sort", "sort", 1, sortFieldsUi={"sortField": [{"fieldName": "n"}]}, options={}),
            node(
                "If",
                "if",
                2.2,
                conditions={
                    "options": {
                        "caseSensitive": True,
                        "leftValue": "",
                        "typeValidation": "strict",
                        "version": 2,
                    },
                    "conditions": [
                        {
                            "leftValue": "={{ $json.double }}",
                            "rightValue": 3,
                            "operator": {"type": "number", "operation": "gt"},
                        }
                    ],
                    "combinator": "and",
                },
                options={},
            ),
        ],
    )
    forced = ("set", "sort", "if")
    assert all(
        compile_for(wf, node_host.queue, *forced).nodes[n].runner == "node_host"
        for n in ("Set", "Sort", "If")
    )
    async with build_central_worker(client, worker_settings(task_queue)):
        native = await run_on(client, task_queue, node_host.queue, wf)
        hosted = await run_on(client, task_queue, node_host.queue, wf, *forced)
    assert native.status is hosted.status is ExecutionStatus.SUCCESS, (native.error, hosted.error)
    for name, outputs in (("Set", 1), ("Sort", 1), ("If", 2)):
        for output in range(outputs):
            assert _strip(items(hosted, name, output=output)) == _strip(items(native, name, output=output)), (
                name
            )
    assert [i["json"]["n"] for i in items(hosted, "If", output=0)] == [2, 3]


async def test_missing_credential_is_a_node_error_naming_it(
    client: Client, task_queue: str, node_host: NodeHost
) -> None:
    ref = {"id": "nope", "name": "Production DB"}
    nodes = [
        node("Start", "manualTrigger", 1),
        {
            **node("PG", "postgres", 2.6, operation="executeQuery", query="SELECT 1", options={}),
            "credentials": {"postgres": ref},
        },
    ]
    async with build_central_worker(client, worker_settings(task_queue)):
        run = await run_on(client, task_queue, node_host.queue, chain("no cred", nodes))
        tolerated = await run_on(
            client,
            task_queue,
            node_host.queue,
            chain("no cred tolerated", [nodes[0], {**nodes[1], "onError": "continueRegularOutput"}]),
        )
    assert run.status is ExecutionStatus.ERROR
    assert run.error is not None and "Production DB" in run.error["message"]
    assert tolerated.status is ExecutionStatus.SUCCESS, tolerated.error
    # n8n passes the input through when a node throws under continueRegularOutput.
    assert items(tolerated, "PG")[0]["json"] == {}
    assert "Production DB" in tolerated.run_data["PG"][0]["error"]["message"]
