"""Node-host nodes against real n8n: each workflow of n8n_parity/workflows runs through a real dev
server, Hive's interpreter and a real node host, and must give the run data real n8n gave for the
same workflow (n8n_parity/fixtures, recorded by `python -m tests.node_host.n8n_parity.record`) and
send the same mails, requests, messages and files.

Every node type under test is forced onto the node host (hive.yaml's `node_host.force_types`),
natively implemented ones included; the Code nodes that make the input data stay native. Service
nodes use the real local PostgreSQL, MariaDB, Redis, RabbitMQ and Mosquitto; Send Email an
aiosmtpd server, RSS Read and GitHub (credential `server` = a base URL) a local HTTP stand-in.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from temporalio.client import Client

from hive_core.config import parse_cluster_config
from hive_core.node_host.options import compile_options
from n8n_import import compile_export
from tests.builders import worker_settings
from tests.node_host.conftest import NodeHost
from tests.node_host.credential_server import CredentialServer
from tests.node_host.n8n_parity import cases
from tests.node_host.n8n_parity.comparer import compare_runs, differences, normalise, restore_placeholders
from tests.node_host.n8n_parity.observe import observe
from tests.node_host.n8n_parity.stand_ins import GITHUB_TOKEN, parity_servers
from workers.factory import build_central_worker
from workflows.n8n_models import ExecutionStatus, RunN8nInput
from workflows.n8n_run import N8nWorkflow


@pytest.mark.parametrize("name", cases.case_names())
async def test_node_host_gives_what_real_n8n_gave(
    name: str,
    client: Client,
    task_queue: str,
    node_host: NodeHost,
    credentials: CredentialServer,
    tmp_path: Path,
) -> None:
    fixture = cases.load_fixture(name)
    assert fixture["workflow_sha256"] == cases.workflow_digest(name), (
        f"workflows/{name}.json changed since it was recorded: run tests/node_host/n8n_parity/record.py"
    )
    with parity_servers(tmp_path / "files") as servers:
        for cred in cases.credentials(servers.values):
            credentials.add(cred["id"], cred["name"], cred["type"], cred["data"])
        workflow = cases.materialise(cases.load_workflow(name), servers.values)
        forced = cases.types_under_test(workflow)
        # As hive.yaml sends them (node_host.force_types), through the one options builder.
        hive_yaml = {"node_host": {"task_queue": node_host.queue, "force_types": sorted(forced)}}
        plan = compile_export(workflow, compile_options(parse_cluster_config(hive_yaml)))[0]
        hosted = {n["name"] for n in workflow["nodes"] if n["type"] in forced}
        assert hosted and all(plan.nodes[n].runner == "node_host" for n in hosted)
        async with (
            observe(name, servers, fixture["sent"]) as sent,
            build_central_worker(client, worker_settings(task_queue)),
        ):
            run = await client.execute_workflow(
                N8nWorkflow.run,
                RunN8nInput(plan=plan),
                id=f"parity-{uuid.uuid4().hex[:10]}",
                task_queue=task_queue,
            )
    assert run.status is ExecutionStatus.SUCCESS, run.error
    assert compare_runs(fixture["run_data"], run.run_data, servers.values) == []
    wire = differences(normalise(fixture["sent"]), normalise(restore_placeholders(sent, servers.values)))
    assert wire == []
    # Credentials came from the (stand-in) credential store, and never entered the run data.
    used = {kind for n in workflow["nodes"] for kind in n.get("credentials", {})}
    assert used <= {r["type"] for r in credentials.requests}
    assert GITHUB_TOKEN not in str(run.run_data)
    # Files stay in the node host's binary store: items hold references to files that exist.
    for ref in _binary_refs(run.run_data):
        assert (node_host.launch.data_dir / "binary-data" / ref.removeprefix("filesystem-v2:")).is_file()


def _binary_refs(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        if isinstance(value.get("id"), str) and value.get("data") == "filesystem-v2":
            yield value["id"]
        for v in value.values():
            yield from _binary_refs(v)
    elif isinstance(value, list):
        for v in value:
            yield from _binary_refs(v)
