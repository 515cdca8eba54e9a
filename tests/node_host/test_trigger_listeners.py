"""Triggers that keep a connection open, end to end: Email Trigger (IMAP) v2 against real dovecot.

n8n's own `trigger()` runs on the node host (IMAP IDLE through n8n's @n8n/imap): a mail
appended to the mailbox starts a run whose trigger output is n8n's "simple" format, with the
attachment in Hive's binary store under that run's id, and the mail marked read (post-process
action). Activating the workflow through the API starts the listener; deactivating cancels it,
which closes the IMAP connection.
"""

from __future__ import annotations

import uuid
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from temporalio.client import Client, WorkflowExecutionStatus
from temporalio.testing import WorkflowEnvironment

from api.app import create_app
from hive_core.auth import create_api_key
from hive_core.binary_data import BinaryStore
from hive_core.config import parse_cluster_config
from hive_core.db.engine import create_engine, create_sessionmaker
from hive_core.db.migrate import upgrade_database_async
from hive_core.db.models import UserRole
from hive_core.settings import DatabaseSettings, HiveSettings, TemporalSettings
from hive_core.trigger_listeners import listener_id, start_listeners, stop_listeners
from n8n_import import CompileOptions, compile_export
from tests.builders import worker_settings
from tests.helpers import assert_eventually
from tests.node_host.conftest import NodeHost, make_node_host
from tests.node_host.credential_server import SERVICE_KEY, CredentialServer
from tests.node_host.imap_server import imap_server
from tests.test_api import api_client
from workers.factory import build_central_worker
from workflows.n8n_models import ExecutionStatus
from workflows.n8n_run import N8nWorkflow
from workflows.trigger_listener import TriggerListenerWorkflow


def _mail(subject: str, attachment: bytes) -> bytes:
    message = EmailMessage()
    message["From"] = "Ada <ada@example.test>"
    message["To"] = "hive@example.test"
    message["Subject"] = subject
    message.set_content("Hello from the IMAP test.\n")
    message.add_attachment(attachment, maintype="text", subtype="csv", filename="report.csv")
    return message.as_bytes()


def _workflow(credential: dict[str, str]) -> dict[str, Any]:
    return {
        "name": "imap listener",
        "nodes": [
            {
                "name": "Email Trigger (IMAP)",
                "type": "n8n-nodes-base.emailReadImap",
                "typeVersion": 2,
                "position": [0, 0],
                "parameters": {
                    "mailbox": "INBOX",
                    "postProcessAction": "read",
                    "format": "simple",
                    "downloadAttachments": True,
                    "options": {},
                },
                "credentials": {"imap": credential},
            },
            {"name": "After", "type": "n8n-nodes-base.noOp", "typeVersion": 1, "position": [200, 0]},
        ],
        "connections": {"Email Trigger (IMAP)": {"main": [[{"node": "After", "type": "main", "index": 0}]]}},
    }


async def test_email_trigger_imap_starts_a_run_per_mail_with_n8ns_output(
    client: Client,
    task_queue: str,
    node_host: NodeHost,
    credentials: CredentialServer,
    tmp_path: Path,
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'hive.db'}"
    await upgrade_database_async(url)
    engine = create_engine(url)
    sessions = create_sessionmaker(engine)
    with imap_server() as imap:
        ref = credentials.add(
            f"imap-{uuid.uuid4().hex[:6]}",
            "Test mailbox",
            "imap",
            {
                "user": imap.user,
                "password": imap.password,
                "host": imap.host,
                "port": imap.port,
                "secure": False,
            },
        )
        workflow_id = f"wf-imap-{uuid.uuid4().hex[:6]}"
        export = {**_workflow(ref), "id": workflow_id}
        plan = compile_export(export, CompileOptions(node_host_queue=node_host.queue))[0]
        node = plan.nodes["Email Trigger (IMAP)"]
        async with sessions() as session, session.begin():
            key = (await create_api_key(session, name="op", role=UserRole.OPERATOR)).secret
        settings = HiveSettings(
            data_dir=tmp_path,
            temporal=TemporalSettings(
                address=client.service_client.config.target_host, task_queue=task_queue
            ),
            database=DatabaseSettings(url=url),
        )
        cluster = parse_cluster_config({"node_host": {"task_queue": node_host.queue}})
        try:
            async with (
                build_central_worker(client, worker_settings(task_queue), sessions=sessions),
                api_client(create_app(settings, cluster)) as http,
            ):
                created = await http.post(
                    "/api/workflows", params={"activate": "true"}, json=export, headers={"X-API-Key": key}
                )
                assert created.status_code == 201, created.text
                listener = client.get_workflow_handle_for(
                    TriggerListenerWorkflow.run, listener_id(workflow_id, node)
                )

                async def listening() -> None:
                    log = (imap.root / "dovecot.log").read_text()
                    assert "Login: user=<hive>" in log, "the trigger has not logged in yet"

                await assert_eventually(listening, timeout_s=30)
                imap.deliver(_mail("Quarterly report", b"q,total\nQ1,10\n"))

                async def started() -> str:
                    status = await listener.query(TriggerListenerWorkflow.status)
                    assert status.recent_runs, f"no run yet ({status})"
                    return status.recent_runs[0]

                run_id = await assert_eventually(started, timeout_s=30)
                run = await client.get_workflow_handle_for(N8nWorkflow.run, run_id).result()
                assert run.status is ExecutionStatus.SUCCESS, run.error
                [item] = run.run_data["Email Trigger (IMAP)"][0]["data"]["main"][0]
                # n8n's "simple" format: top-level headers, text parts, other headers in metadata.
                mail = item["json"]
                assert mail["subject"] == "Quarterly report"
                assert mail["from"] == "Ada <ada@example.test>"
                assert mail["to"] == "hive@example.test"
                assert "Hello from the IMAP test." in mail["textPlain"]
                assert mail["attributes"]["uid"] == 1 and mail["metadata"]["mime-version"] == "1.0"
                attachment = item["binary"]["attachment_0"]
                assert attachment["fileName"] == "report.csv" and attachment["mimeType"] == "text/csv"
                # The file is in Hive's store, under the run the mail started.
                assert f"/executions/{run_id}/" in attachment["id"]
                store = BinaryStore(Path(node_host.launch.data_dir) / "binary-data")
                assert store.path(attachment["id"]).read_bytes() == b"q,total\nQ1,10\n"
                [after] = run.run_data["After"][0]["data"]["main"][0]
                assert after["json"] == mail

                # postProcessAction "read": n8n marked the mail \\Seen.
                async def marked_read() -> None:
                    assert imap.seen() == [True]

                await assert_eventually(marked_read, timeout_s=10)

                deactivated = await http.post(
                    f"/api/workflows/{workflow_id}/deactivate", headers={"X-API-Key": key}
                )
                assert deactivated.status_code == 200, deactivated.text
                described = await listener.describe()
                assert described.status is WorkflowExecutionStatus.CANCELED
        finally:
            await stop_listeners(client, workflow_id, plan)
            await engine.dispose()


@pytest.mark.slow
async def test_listener_survives_its_node_host_killed_mid_session(
    client: Client,
    temporal_env: WorkflowEnvironment,
    task_queue: str,
    credentials: CredentialServer,
    tmp_path: Path,
) -> None:
    """SIGKILL the node host while the IMAP connection is open: the session's activity times out
    on its heartbeat and opens the trigger again on the next node host; a mail then starts one run."""
    host = make_node_host(temporal_env, tmp_path / "host", api_url=credentials.url, api_key=SERVICE_KEY)
    url = f"sqlite+aiosqlite:///{tmp_path / 'hive.db'}"
    await upgrade_database_async(url)
    engine = create_engine(url)
    sessions = create_sessionmaker(engine)
    with imap_server() as imap:
        ref = credentials.add(
            f"imap-{uuid.uuid4().hex[:6]}",
            "Test mailbox",
            "imap",
            {
                "user": imap.user,
                "password": imap.password,
                "host": imap.host,
                "port": imap.port,
                "secure": False,
            },
        )
        plan = compile_export(_workflow(ref), CompileOptions(node_host_queue=host.queue))[0]
        workflow_id = f"wf-kill-{uuid.uuid4().hex[:6]}"

        def logins() -> int:
            return (imap.root / "dovecot.log").read_text().count("Login: user=<hive>")

        host.start()
        try:
            async with build_central_worker(client, worker_settings(task_queue), sessions=sessions):
                [listener] = await start_listeners(client, task_queue, workflow_id, plan, max_session_s=120)

                async def logged_in(count: int) -> None:
                    assert logins() >= count, f"{logins()} IMAP logins so far"

                await assert_eventually(lambda: logged_in(1), timeout_s=30)
                host.kill()  # mid-session: the trigger's IDLE connection is open
                host.start()
                await assert_eventually(lambda: logged_in(2), timeout_s=40)
                imap.deliver(_mail("After the crash", b"a\n"))

                async def started() -> str:
                    status = await listener.query(TriggerListenerWorkflow.status)
                    assert status.recent_runs, f"no run yet ({status})"
                    return status.recent_runs[0]

                run_id = await assert_eventually(started, timeout_s=30)
                run = await client.get_workflow_handle_for(N8nWorkflow.run, run_id).result()
                assert run.status is ExecutionStatus.SUCCESS, run.error
                [item] = run.run_data["Email Trigger (IMAP)"][0]["data"]["main"][0]
                assert item["json"]["subject"] == "After the crash"
                assert (await listener.query(TriggerListenerWorkflow.status)).runs_started == 1
        finally:
            await stop_listeners(client, workflow_id, plan)
            host.kill()
            await engine.dispose()
