"""Webhook triggers of services end to end: the Telegram Trigger on the real node host.

Its credential's base URL points at a local server speaking Telegram's Bot API (getWebhookInfo,
setWebhook, deleteWebhook). Activating the workflow through the API makes the node's own
`webhookMethods` register Hive's URL there; a Telegram update POSTed to that URL runs the node's
`webhook()` (its secret-token check included) and starts a run with n8n's trigger output;
deactivating unregisters. A service that refuses the registration is a 409 naming the node,
and the workflow stays inactive.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from temporalio.client import Client

from api.app import create_app
from hive_core.auth import create_api_key
from hive_core.config import parse_cluster_config
from hive_core.db.engine import create_engine, create_sessionmaker
from hive_core.db.migrate import upgrade_database_async
from hive_core.db.models import UserRole
from hive_core.db.models.executions import Execution
from hive_core.settings import ApiSettings, DatabaseSettings, HiveSettings, TemporalSettings
from tests.builders import worker_settings
from tests.helpers import assert_eventually
from tests.loopback import JsonHandler, serve
from tests.node_host.conftest import NodeHost
from tests.node_host.credential_server import CredentialServer
from tests.test_api import api_client
from workers.factory import build_central_worker
from workflows.n8n_models import ExecutionStatus
from workflows.n8n_run import N8nWorkflow

PUBLIC_URL = "https://hive.example"
TOKEN = "123:SECRET"


@dataclass
class BotApi:
    """Telegram's Bot API for one bot: the webhook URL it holds and every call it got."""

    url: str = ""
    webhook: str = ""
    calls: list[tuple[str, dict[str, Any]]] = field(default_factory=list)


@pytest.fixture
def bot_api() -> Iterator[BotApi]:
    state = BotApi()

    class Handler(JsonHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's naming
            body = json.loads(self.read_body() or b"{}")
            prefix = f"/bot{TOKEN}/"
            if not self.path.startswith(prefix):
                return self.reply_json(401, {"ok": False, "error_code": 401, "description": "Unauthorized"})
            method = self.path[len(prefix) :]
            state.calls.append((method, body))
            if method == "getWebhookInfo":
                return self.reply_json(
                    200, {"ok": True, "result": {"url": state.webhook, "pending_update_count": 0}}
                )
            if method == "setWebhook":
                state.webhook = body["url"]
                return self.reply_json(200, {"ok": True, "result": True, "description": "Webhook was set"})
            if method == "deleteWebhook":
                state.webhook = ""
                return self.reply_json(
                    200, {"ok": True, "result": True, "description": "Webhook was deleted"}
                )
            return self.reply_json(404, {"ok": False, "error_code": 404, "description": "Not Found"})

    with serve(Handler) as state.url:
        yield state


def _telegram_workflow(workflow_id: str, credential: dict[str, str]) -> dict[str, Any]:
    return {
        "id": workflow_id,
        "name": f"telegram {workflow_id}",
        "nodes": [
            {
                "id": "node-tg",
                "name": "Telegram Trigger",
                "type": "n8n-nodes-base.telegramTrigger",
                "typeVersion": 1.2,
                "webhookId": f"hook-{workflow_id}",
                "position": [0, 0],
                "parameters": {"updates": ["message"], "additionalFields": {}},
                "credentials": {"telegramApi": credential},
            },
            {"name": "After", "type": "n8n-nodes-base.noOp", "typeVersion": 1, "position": [200, 0]},
        ],
        "connections": {"Telegram Trigger": {"main": [[{"node": "After", "type": "main", "index": 0}]]}},
    }


UPDATE = {
    "update_id": 901,
    "message": {
        "message_id": 7,
        "from": {"id": 5, "is_bot": False, "first_name": "Ada"},
        "chat": {"id": 42, "type": "private"},
        "date": 1760000000,
        "text": "hello hive",
    },
}


async def test_telegram_trigger_registers_serves_and_unregisters(
    client: Client,
    task_queue: str,
    node_host: NodeHost,
    credentials: CredentialServer,
    bot_api: BotApi,
    tmp_path: Path,
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'hive.db'}"
    await upgrade_database_async(url)
    engine = create_engine(url)
    sessions = create_sessionmaker(engine)
    async with sessions() as session, session.begin():
        key = (await create_api_key(session, name="op", role=UserRole.OPERATOR)).secret
    auth = {"X-API-Key": key}
    settings = HiveSettings(
        data_dir=tmp_path,
        temporal=TemporalSettings(address=client.service_client.config.target_host, task_queue=task_queue),
        database=DatabaseSettings(url=url),
        api=ApiSettings(public_url=PUBLIC_URL),
    )
    cluster = parse_cluster_config(
        {"node_host": {"task_queue": node_host.queue}, "security": {"api_rate_limit": 10_000}}
    )
    good = credentials.add(
        "tg-good", "Telegram bot", "telegramApi", {"accessToken": TOKEN, "baseUrl": bot_api.url}
    )
    bad = credentials.add(
        "tg-bad", "Wrong bot", "telegramApi", {"accessToken": "999:WRONG", "baseUrl": bot_api.url}
    )
    wf = f"tg{uuid.uuid4().hex[:8]}"
    hook_url = f"{PUBLIC_URL}/webhook/hook-{wf}/webhook"
    try:
        async with (
            build_central_worker(client, worker_settings(task_queue), sessions=sessions),
            api_client(create_app(settings, cluster)) as http,
        ):
            created = await http.post(
                "/api/workflows", params={"activate": "true"}, json=_telegram_workflow(wf, good), headers=auth
            )
            assert created.status_code == 201, created.text
            # The node's own create(): Hive's URL, the updates it listens to, n8n's secret token.
            sets = [body for method, body in bot_api.calls if method == "setWebhook"]
            assert sets == [
                {"url": hook_url, "allowed_updates": ["message"], "secret_token": f"{wf}_node-tg"}
            ]
            assert bot_api.webhook == hook_url

            # An update with Telegram's secret header: n8n's answer, and a run with the update.
            path = f"/webhook/hook-{wf}/webhook"
            headers = {"X-Telegram-Bot-Api-Secret-Token": f"{wf}_node-tg"}
            answered = await http.post(path, json=UPDATE, headers=headers)
            assert answered.status_code == 200, answered.text
            # n8n's onReceived answer: the description's responseData default ("firstEntryJson").
            assert answered.text == "firstEntryJson"

            async def started_run() -> str:
                async with sessions() as session:
                    rows = (await session.scalars(select(Execution).where(Execution.workflow_id == wf))).all()
                assert len(rows) == 1
                return rows[0].temporal_workflow_id

            run_id = await assert_eventually(started_run, timeout_s=10)
            run = await client.get_workflow_handle_for(N8nWorkflow.run, run_id).result()
            assert run.status is ExecutionStatus.SUCCESS, run.error
            # n8n's trigger output: the update as the item's json (paired items as for native triggers).
            [emitted] = run.run_data["Telegram Trigger"][0]["data"]["main"][0]
            assert emitted["json"] == UPDATE and "binary" not in emitted
            [after] = run.run_data["After"][0]["data"]["main"][0]
            assert after["json"] == UPDATE

            # Without the secret: the node answers 403 itself and starts nothing.
            refused = await http.post(path, json=UPDATE, headers={"X-Telegram-Bot-Api-Secret-Token": "guess"})
            assert refused.status_code == 403
            assert refused.json() == {"message": "Provided secret is not valid"}
            assert (await http.get(f"/webhook/hook-{wf}/other")).status_code == 404
            # Too large to travel to the node host: refused before anything runs.
            big = await http.post(path, content=b"x" * (600 * 1024), headers=headers)
            assert big.status_code == 413 and "Telegram Trigger" in big.json()["error"]["message"]

            deactivated = await http.post(f"/api/workflows/{wf}/deactivate", headers=auth)
            assert deactivated.status_code == 200, deactivated.text
            assert bot_api.calls[-1][0] == "deleteWebhook" and bot_api.webhook == ""
            assert (await http.post(path, json=UPDATE, headers=headers)).status_code == 404

            # A service that refuses: 409 naming the node and Telegram's error; still inactive.
            other = f"tgbad{uuid.uuid4().hex[:6]}"
            assert (
                await http.post("/api/workflows", json=_telegram_workflow(other, bad), headers=auth)
            ).status_code == 201
            failed = await http.post(f"/api/workflows/{other}/activate", headers=auth)
            assert failed.status_code == 409, failed.text
            message = failed.json()["error"]["message"]
            assert '"Telegram Trigger"' in message and "could not register" in message
            detail = await http.get(f"/api/workflows/{other}", headers=auth)
            assert detail.json()["active"] is False
    finally:
        await engine.dispose()
