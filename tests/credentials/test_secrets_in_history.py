"""A run whose HTTP Request node uses a stored credential, through a real Temporal dev server:
the secret reaches the server that checks it, and never the run's history or the logs."""

from __future__ import annotations

import logging
import uuid
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.api.history.v1 import History
from temporalio.client import Client

from hive_core.config import parse_cluster_config
from hive_core.credentials import create_credential, load_cipher
from n8n_import import compile_export
from tests.builders import chain, node
from workers.factory import build_central_worker
from workflows.n8n_models import ExecutionStatus, RunN8nInput
from workflows.n8n_run import N8nWorkflow

from .conftest import SECRET, run_settings
from .servers import checking_server


def _workflow(url: str, credential: dict[str, str], extra: dict[str, Any] | None = None) -> dict[str, Any]:
    call = node(
        "Call",
        "httpRequest",
        4.2,
        200,
        url=url,
        authentication="genericCredentialType",
        genericAuthType="httpHeaderAuth",
        options={},
    )
    call["credentials"] = {"httpHeaderAuth": credential}
    nodes = [node("Start", "manualTrigger", 1), call]
    if extra:
        nodes.append(extra)
    return chain("credential run", nodes)


async def _run(client: Client, task_queue: str, workflow: dict[str, Any]) -> tuple[Any, bytes, str]:
    """The snapshot of a run, its history as protobuf bytes (payloads raw) and as JSON."""
    workflow_id = f"test-{uuid.uuid4().hex[:10]}"
    snapshot = await client.execute_workflow(
        N8nWorkflow.run, RunN8nInput(plan=compile_export(workflow)[0]), id=workflow_id, task_queue=task_queue
    )
    history = await client.get_workflow_handle(workflow_id).fetch_history()
    return snapshot, History(events=history.events).SerializeToString(), history.to_json()


@pytest.mark.parametrize("database_factory", ["sqlite"], indirect=True)
async def test_a_stored_secret_is_used_but_never_recorded(
    client: Client,
    task_queue: str,
    tmp_path: Path,
    migrated_url: str,
    sessions: async_sessionmaker[AsyncSession],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    settings = run_settings(tmp_path, migrated_url, task_queue)
    async with sessions() as session:
        await create_credential(
            session,
            load_cipher(settings),
            name="Service token",
            credential_type="httpHeaderAuth",
            data={"name": "X-Api-Key", "value": SECRET},
            credential_id="Xy7kPq2LmN9aB3cD",
        )
        await session.commit()

    with checking_server("X-Api-Key", SECRET) as server:
        # hive.yaml's credentials still serve what the store does not hold (the store comes first).
        cluster = parse_cluster_config(
            {
                "credentials": {
                    "Yaml token": {"type": "httpHeaderAuth", "data": {"name": "X-Api-Key", "value": SECRET}},
                    "Service token": {
                        "type": "httpHeaderAuth",
                        "data": {"name": "X-Api-Key", "value": "stale"},
                    },
                }
            }
        )
        async with build_central_worker(client, settings, cluster, sessions=sessions):
            # Referenced by id (as exports do), and by name with an id from another n8n.
            for reference in (
                {"id": "Xy7kPq2LmN9aB3cD", "name": "Service token"},
                {"id": "unknown-elsewhere", "name": "Service token"},
                {"name": "Yaml token"},
            ):
                snapshot, raw, as_json = await _run(
                    client, task_queue, _workflow(f"{server.url}/check", reference)
                )
                assert snapshot.status is ExecutionStatus.SUCCESS, snapshot.error
                assert snapshot.run_data["Call"][0]["data"]["main"][0][0]["json"] == {"ok": True}
                assert SECRET.encode() not in raw
                assert SECRET not in as_json

            assert caplog.records, "nothing was logged: the log search would prove nothing"
            assert SECRET not in caplog.text

            # The control: a secret typed into a node's parameters IS in the history, so the
            # search above would have found a leaked one.
            leak = node("Leak", "set", 3.4, 400, mode="raw", jsonOutput=f'{{"copied": "{SECRET}"}}')
            leaked, raw, _ = await _run(
                client, task_queue, _workflow(f"{server.url}/check", {"id": "Xy7kPq2LmN9aB3cD"}, leak)
            )
            assert leaked.status is ExecutionStatus.SUCCESS, leaked.error
            assert SECRET.encode() in raw
            assert SECRET in caplog.text  # (DEBUG logs of the SDK show payloads)

            # A credential the store does not hold: the node fails naming it and its type.
            missing, _, _ = await _run(
                client, task_queue, _workflow(f"{server.url}/check", {"id": "nope", "name": "Gone"})
            )
    assert missing.status is ExecutionStatus.ERROR
    message = str(missing.error)
    assert "'Gone' (id nope)" in message and "'httpHeaderAuth'" in message
    assert "credential store" in message
    assert [seen["ok"] for seen in server.seen] == [True, True, True, True]
    assert SECRET not in message
