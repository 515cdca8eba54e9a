"""Binary data through the API: run data shows n8n's binary metadata, the bytes download by id."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from temporalio.client import Client

from hive_core.binary_data import BinaryDataSettings, BinaryStore
from hive_core.db.models import UserRole
from hive_core.settings import HiveSettings, TemporalSettings, WorkerSettings
from tests.api_workflows.conftest import ApiFactory
from tests.builders import chain, node
from tests.helpers import assert_eventually
from workers.factory import build_central_worker

from .conftest import auth

CSV = "name,city\nAda,London\nGrace,Arlington\n"


async def test_file_metadata_in_run_data_and_download(
    make_api: ApiFactory,
    make_key: Callable[..., Any],
    client: Client,
    task_queue: str,
    tmp_path: Path,
) -> None:
    operator, viewer = auth(await make_key(UserRole.OPERATOR)), auth(await make_key(UserRole.VIEWER))
    # The worker writes where the API (data_dir = tmp_path) reads: <data_dir>/binary-data.
    settings = HiveSettings(
        data_dir=tmp_path,
        temporal=TemporalSettings(task_queue=task_queue),
        worker=WorkerSettings(metrics_port=0),
        binary_data=BinaryDataSettings(),
    )
    text = {"name": "csv", "value": CSV, "type": "string"}
    nodes = [
        node("Start", "manualTrigger", 1),
        node("Text", "set", 3.4, x=200, assignments={"assignments": [text]}),
        node("To File", "convertToFile", 1.1, x=400, operation="toText", sourceProperty="csv",
             options={"fileName": "people.csv"}),
        node("Rows", "extractFromFile", 1, x=600, options={}),
    ]  # fmt: skip
    async with build_central_worker(client, settings), make_api() as http:
        stored = await http.post(
            "/api/workflows", json={**chain("files", nodes), "id": "files"}, headers=operator
        )
        assert stored.status_code == 201, stored.text
        started = await http.post("/api/workflows/files/executions", json={}, headers=operator)
        execution_id = started.json()["id"]

        async def finished() -> dict[str, Any]:
            body: dict[str, Any] = (await http.get(f"/api/executions/{execution_id}", headers=viewer)).json()
            assert body["status"] == "success", body
            return body

        run_data = (await assert_eventually(finished, timeout_s=20))["data"]["data"]["resultData"]["runData"]
        binary = run_data["To File"][0]["data"]["main"][0][0]["binary"]["data"]
        assert {k: v for k, v in binary.items() if k != "id"} == {
            "mimeType": "text/plain", "fileType": "text", "fileExtension": "csv", "fileName": "people.csv",
            "data": "filesystem-v2", "fileSize": "37 B",
        }  # fmt: skip
        assert binary["id"].startswith(
            f"filesystem-v2:workflows/files/executions/{execution_id}/binary_data/"
        )
        rows = [i["json"] for i in run_data["Rows"][0]["data"]["main"][0]]
        assert rows == [{"name": "Ada", "city": "London"}, {"name": "Grace", "city": "Arlington"}]

        url = f"/api/executions/{execution_id}/binary/{binary['id']}"
        download = await http.get(url, headers=viewer)
        assert download.status_code == 200, download.text
        assert download.content == CSV.encode() and download.headers["content-type"].startswith("text/plain")
        assert "people.csv" in download.headers["content-disposition"]
        assert (await http.get(url)).status_code == 401
        other = await http.get(f"/api/executions/someone-else/binary/{binary['id']}", headers=viewer)
        assert other.status_code == 404
        escape = await http.get(
            f"/api/executions/{execution_id}/binary/filesystem-v2:../../x", headers=viewer
        )
        assert escape.status_code == 404

        # Pruned with its execution: the download is gone.
        assert BinaryStore(tmp_path / "binary-data").delete_execution(execution_id) == 1
        assert (await http.get(url, headers=viewer)).status_code == 404
