"""The Webhook node's header auth answers to a credential held in the store (before hive.yaml's)."""

from __future__ import annotations

from pathlib import Path

from temporalio.testing import WorkflowEnvironment

from hive_core.config import parse_cluster_config
from hive_core.credentials import create_credential, load_cipher
from hive_core.db import create_engine, create_sessionmaker
from hive_core.settings import HiveSettings
from tests.builders import chain, node
from tests.webhook_stack import webhook_api

from .conftest import SECRET


async def test_header_auth_with_a_stored_credential(
    temporal_env: WorkflowEnvironment, tmp_path: Path, task_queue: str
) -> None:
    hook = node("Hook", "webhook", 2, httpMethod="POST", path="stored-hook", responseMode="lastNode")
    hook["parameters"]["authentication"] = "headerAuth"
    hook["credentials"] = {"httpHeaderAuth": {"id": "hk1", "name": "Hook token"}}
    # hive.yaml has an older value under the same name: the store wins.
    cluster = parse_cluster_config(
        {
            "credentials": {
                "Hook token": {"type": "httpHeaderAuth", "data": {"name": "X-Hook-Token", "value": "old"}}
            }
        }
    )
    workflows = [{**chain("stored", [hook]), "id": "stored"}]
    async with webhook_api(temporal_env, tmp_path, task_queue, workflows, cluster) as http:
        engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'hive.db'}")
        async with create_sessionmaker(engine)() as session:
            await create_credential(
                session,
                load_cipher(HiveSettings(data_dir=tmp_path)),
                name="Hook token",
                credential_type="httpHeaderAuth",
                data={"name": "X-Hook-Token", "value": SECRET},
                credential_id="hk1",
            )
            await session.commit()
        await engine.dispose()
        old = await http.post("/webhook/stored-hook", json={}, headers={"X-Hook-Token": "old"})
        assert old.status_code == 403, old.text
        ok = await http.post("/webhook/stored-hook", json={"n": 1}, headers={"X-Hook-Token": SECRET})
        assert ok.status_code == 200, ok.text
        assert ok.json()["body"] == {"n": 1}
