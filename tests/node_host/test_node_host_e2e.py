"""Workflows mixing native and node-host nodes, through a real dev server and a real node host."""

from __future__ import annotations

import uuid
from typing import Any

from temporalio.client import Client

from tests.builders import chain, node, worker_settings
from tests.node_host.conftest import NodeHost
from tests.node_host.credential_server import CredentialServer
from tests.node_host.helpers import compile_for, items, run_on
from workers.factory import build_central_worker
from workflows.n8n_models import ExecutionStatus


async def test_markdown_forced_onto_the_node_host_with_an_expression(
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
    # Markdown is native too: hive.yaml's node_host.force_types sends it to n8n's own code.
    plan = compile_for(wf, node_host.queue, "markdown")
    assert plan.nodes["Markdown"].runner == "node_host"
    assert plan.nodes["Who"].runner == "native"
    async with build_central_worker(client, worker_settings(task_queue)):
        run = await run_on(client, task_queue, node_host.queue, wf, "markdown")
    assert run.status is ExecutionStatus.SUCCESS, run.error
    [item] = items(run, "Markdown")
    assert item["json"] == {"who": "Ada", "data": '<h1 id="hiada">Hi Ada</h1>'}
    assert item["pairedItem"] == {"item": 0}


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


async def test_xml_html_crypto_run_on_the_node_host(
    client: Client, task_queue: str, node_host: NodeHost
) -> None:
    wf = chain(
        "pure service-free nodes",
        [
            node("Start", "manualTrigger", 1),
            node(
                "Page",
                "set",
                3.4,
                assignments={
                    "assignments": [{"name": "page", "value": "<p class='t'>Hello</p>", "type": "string"}]
                },
                options={},
            ),
            node(
                "HTML",
                "html",
                1.2,
                operation="extractHtmlContent",
                dataPropertyName="page",
                extractionValues={"values": [{"key": "title", "cssSelector": ".t"}]},
                options={},
            ),
            node(
                "Doc",
                "set",
                3.4,
                assignments={"assignments": [{"name": "xml", "value": "<a><b>1</b></a>", "type": "string"}]},
                options={},
            ),
            node("XML", "xml", 1, mode="xmlToJson", dataPropertyName="xml", options={}),
            node("Crypto", "crypto", 1, action="hash", type="SHA256", value="abc", dataPropertyName="digest"),
        ],
    )
    async with build_central_worker(client, worker_settings(task_queue)):
        run = await run_on(client, task_queue, node_host.queue, wf)
    assert run.status is ExecutionStatus.SUCCESS, run.error
    xml = items(run, "XML")[0]["json"]
    assert {"a": {"b": "1"}} in (xml, xml.get("xml")), xml
    assert items(run, "HTML")[0]["json"] == {"title": "Hello"}
    digest = items(run, "Crypto")[0]["json"]["digest"]
    assert digest == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"


async def test_service_nodes_with_credentials_from_the_store(
    client: Client, task_queue: str, node_host: NodeHost, credentials: CredentialServer
) -> None:
    """Postgres, MySQL (MariaDB) and Redis: n8n's nodes against the real local servers."""
    pg = credentials.add(
        "pg1",
        "Local Postgres",
        "postgres",
        {
            "host": "127.0.0.1",
            "port": 5432,
            "database": "test",
            "user": "postgres",
            "password": "",
            "ssl": "disable",
        },
    )
    my = credentials.add(
        "my1",
        "Local MariaDB",
        "mySql",
        {"host": "127.0.0.1", "port": 3306, "database": "test", "user": "root", "password": ""},
    )
    rd = credentials.add(
        "rd1", "Local Redis", "redis", {"host": "127.0.0.1", "port": 6379, "database": 0, "password": ""}
    )
    key = f"hive:test:{uuid.uuid4().hex[:8]}"
    nodes = [
        node("Start", "manualTrigger", 1),
        {
            **node(
                "PG", "postgres", 2.6, operation="executeQuery", query="SELECT 41 + 1 AS answer", options={}
            ),
            "credentials": {"postgres": pg},
        },
        {
            **node("My", "mySql", 2.5, operation="executeQuery", query="SELECT 6 * 7 AS answer", options={}),
            "credentials": {"mySql": my},
        },
        {
            **node(
                "Set key",
                "redis",
                1,
                operation="set",
                key=key,
                value="={{ $('PG').item.json.answer }}",
                keyType="string",
            ),
            "credentials": {"redis": rd},
        },
        {
            **node(
                "Get key",
                "redis",
                1,
                operation="get",
                key=key,
                propertyName="stored",
                keyType="automatic",
                options={},
            ),
            "credentials": {"redis": rd},
        },
    ]
    async with build_central_worker(client, worker_settings(task_queue)):
        run = await run_on(client, task_queue, node_host.queue, chain("services", nodes))
    assert run.status is ExecutionStatus.SUCCESS, run.error
    assert items(run, "PG")[0]["json"] == {"answer": 42}
    assert items(run, "My")[0]["json"] == {"answer": 42}
    assert str(items(run, "Get key")[0]["json"]["stored"]) == "42"
    assert {r["type"] for r in credentials.requests} >= {"postgres", "mySql", "redis"}


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


async def test_binary_data_travels_as_references_between_node_host_steps(
    client: Client, task_queue: str, node_host: NodeHost
) -> None:
    wf = chain(
        "binary",
        [
            node("Start", "manualTrigger", 1),
            node("Code", "code", 2, jsCode="return [{json: {a: 1}}, {json: {a: 2}}]"),
            node("ToFile", "convertToFile", 1.1, operation="toJson", options={}),
            node("FromFile", "extractFromFile", 1, operation="fromJson", options={}),
        ],
    )
    # Both file nodes are native too: forced onto n8n's own code, they share Hive's store.
    async with build_central_worker(client, worker_settings(task_queue)):
        run = await run_on(client, task_queue, node_host.queue, wf, "convertToFile", "extractFromFile")
    assert run.status is ExecutionStatus.SUCCESS, run.error
    [stored] = items(run, "ToFile")
    ref = stored["binary"]["data"]
    assert ref["data"] == "filesystem-v2" and ref["id"].startswith("filesystem-v2:workflows/")
    file = node_host.launch.data_dir / "binary-data" / ref["id"].removeprefix("filesystem-v2:")
    assert file.exists()
    assert items(run, "FromFile")[0]["json"] == {"data": [{"a": 1}, {"a": 2}]}
