"""n8n's file-node test workflows (no pinData: their expectations live in n8n's `*.test.ts`).

The workflows are read from ../shared/n8n-corpus at run time; the files they read are written
here (the corpus' own data files where it has them, equivalent ones otherwise), the paths
patched the way n8n's tests patch them, and each run goes through a real Temporal dev server.
The expected items are those of n8n 1.123's node tests; file bytes are compared by reading them
back from the binary store (Hive stores them; n8n's tests ran in memory mode, base64 inline).
"""

from __future__ import annotations

import base64
import copy
import json
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from temporalio.client import Client

from hive_core.binary_data import BinaryDataSettings, BinaryStore
from hive_core.settings import HiveSettings, TemporalSettings, WorkerSettings
from n8n_import import compile_export
from tests.builders import worker_settings
from tests.conformance.corpus_files import provide_test_files
from tests.n8n_import.corpus import CORPUS
from tests.n8n_runtime.comparer import compare_runs, wrap_items
from workers.factory import build_central_worker
from workflows.n8n_models import ExecutionStatus, RunN8nInput
from workflows.n8n_run import N8nWorkflow

pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason="shared/n8n-corpus is not available")

SAMPLE = CORPUS / "MoveBinaryData" / "test__data__sample.json"
JPEG = b"\xff\xd8\xff\xe0" + bytes(range(256)) * 4 + b"\xff\xd9" + b"\x00" * 10  # 1040 bytes
LOREM = ("Lorem ipsum dolor sit amet, consectetur adipiscing elit. " * 54)[:3070].encode()


def _html_cell(kind: str, value: object, ref: str) -> str:
    return f'<td data-t="{kind}" data-v="{value}" id="sjs-{ref}">{value}</td>'


SHEET_HTML = (
    '<html><head><meta charset="utf-8"/><title>SheetJS Table Export</title></head><body><table>'
    + "<tr>" + "".join(_html_cell("s", c, f"{c}1") for c in "ABC") + "</tr>"
    + "<tr>" + "".join(_html_cell("n", v, f"{c}2") for c, v in (("A", 1), ("B", 2), ("C", 3))) + "</tr>"
    + "<tr>" + "".join(_html_cell("n", v, f"{c}3") for c, v in (("A", 4), ("B", 5), ("C", 6))) + "</tr>"
    + "</table></body></html>"
)  # fmt: skip
SHEET_RTF = "{\\rtf1\\ansi" + "".join(
    "\\trowd\\trautofit1\\cellx1\\cellx2\\cellx3\\pard\\intbl" + "".join(f" {v}\\cell" for v in row)
    + "\\pard\\intbl\\row"
    for row in (("A", "B", "C"), (1, 2, 3), (4, 5, 6))
) + "}"  # fmt: skip


def b64(data: bytes | str) -> str:
    return base64.b64encode(data.encode() if isinstance(data, str) else data).decode()


@pytest.fixture
async def files_queue(client: Client, tmp_path: Path) -> AsyncIterator[tuple[str, Path]]:
    queue = f"files-{uuid.uuid4().hex[:8]}"
    (tmp_path / "files").mkdir()
    settings = HiveSettings(
        temporal=TemporalSettings(task_queue=queue),
        worker=WorkerSettings(metrics_port=0),
        binary_data=BinaryDataSettings(path=tmp_path / "store", file_roots=[tmp_path / "files"]),
    )
    async with build_central_worker(client, settings):
        yield queue, tmp_path


def _inline(run_data: dict[str, Any], store: BinaryStore) -> dict[str, Any]:
    """Run data with stored files as n8n's in-memory mode shows them (base64 `data`, no id)."""
    out = copy.deepcopy(run_data)
    for tasks in out.values():
        for task in tasks:
            for items in (task.get("data") or {}).get("main") or []:
                for item in items or []:
                    for entry in (item.get("binary") or {}).values():
                        if entry.get("id"):
                            entry["data"] = b64(store.read(entry.pop("id")))
    return out


async def _run(client: Client, queue: str, workflow: dict[str, Any]) -> dict[str, Any]:
    workflow.pop("pinData", None)
    result = await client.execute_workflow(
        N8nWorkflow.run,
        RunN8nInput(plan=compile_export(workflow)[0]),
        id=f"files-{uuid.uuid4().hex[:8]}",
        task_queue=queue,
    )
    assert result.status is ExecutionStatus.SUCCESS, result.error
    return result.run_data


def _load(relative: str, **paths: tuple[str, str]) -> dict[str, Any]:
    workflow: dict[str, Any] = json.loads((CORPUS / relative).read_text())
    for node in workflow["nodes"]:
        if node["name"] in paths:
            param, value = paths[node["name"]]
            node["parameters"][param] = value
    return workflow


def _check(expected: dict[str, list[Any]], run_data: dict[str, Any], root: Path) -> None:
    actual = _inline(run_data, BinaryStore(root / "store"))
    comparison = compare_runs({k: [wrap_items(v)] for k, v in expected.items()}, actual)
    assert comparison.ok, "\n".join(f"{node}: {why}" for node, why in comparison.mismatches.items())


async def test_move_binary_data(client: Client, files_queue: tuple[str, Path]) -> None:
    queue, root = files_queue
    path = root / "files" / "sample.json"
    path.write_bytes(SAMPLE.read_bytes())
    workflow = _load(
        "MoveBinaryData/test__MoveBinaryData.workflow.json", **{"Read Binary File": ("filePath", str(path))}
    )
    parsed = {"id": 1, "title": "My Title", "description": "Lorem Ipsum ..."}
    raw64 = b64(SAMPLE.read_bytes())
    _check(
        {
            "Binary to JSON": [{"json": parsed}],
            "Binary to JSON - No Set All Data": [{"json": {"data": SAMPLE.read_text()}}],
            "Binary to JSON - No Set All Data + Json Parse": [{"json": {"data": parsed}}],
            "Binary to JSON - No Set All Data + Encoding base64": [{"json": {"data": raw64}}],
            "Binary to JSON - Keep as Base64": [{"json": {"data": raw64}}],
            "JSON to Binary": [
                {
                    "json": {},
                    "binary": {
                        "data": {
                            "data": b64(json.dumps(parsed, separators=(",", ":"))),
                            "mimeType": "application/json",
                            "fileType": "json",
                            "fileSize": "59 B",
                            "fileExtension": "json",
                        }
                    },
                }
            ],
            "JSON to Binary - No Convert All Data": [
                {
                    "json": {"id": 1, "description": "Lorem Ipsum ..."},
                    "binary": {
                        "data": {
                            "data": b64('"My Title"'),
                            "mimeType": "application/json",
                            "fileType": "json",
                            "fileSize": "10 B",
                            "fileName": "example.json",
                            "fileExtension": "json",
                        }
                    },
                }
            ],
        },
        await _run(client, queue, workflow),
        root,
    )


async def test_read_binary_file_and_files(client: Client, files_queue: tuple[str, Path]) -> None:
    queue, root = files_queue
    image = root / "files" / "image.jpg"
    image.write_bytes(JPEG)
    workflow = _load(
        "ReadBinaryFile/test__ReadBinaryFile.workflow.json", **{"Read Binary File": ("filePath", str(image))}
    )
    jpeg = {
        "mimeType": "image/jpeg",
        "fileType": "image",
        "fileExtension": "jpg",
        "data": b64(JPEG),
        "fileName": "image.jpg",
        "fileSize": "1.04 kB",
    }
    _check(
        {"Read Binary File": [{"json": {}, "binary": {"data": jpeg}}]},
        await _run(client, queue, workflow),
        root,
    )

    data = root / "files" / "data"
    data.mkdir()
    for name in ("sample.json", "sample2.json"):
        (data / name).write_bytes((CORPUS / "ReadBinaryFiles" / f"test__data__{name}").read_bytes())
    workflow = _load(
        "ReadBinaryFiles/test__ReadBinaryFiles.workflow.json",
        **{"Read Binary Files": ("fileSelector", f"{data}/*.json")},
    )
    expected = [
        {
            "json": {},
            "binary": {
                "data": {
                    "mimeType": "application/json",
                    "fileType": "json",
                    "fileExtension": "json",
                    "data": b64((data / name).read_bytes()),
                    "fileName": name,
                    "fileSize": "28 B",
                }
            },
        }
        for name in ("sample.json", "sample2.json")
    ]
    _check({"Read Binary Files": expected}, await _run(client, queue, workflow), root)


async def test_write_binary_file_and_read_write_files(client: Client, files_queue: tuple[str, Path]) -> None:
    queue, root = files_queue
    image = root / "files" / "image.jpg"
    image.write_bytes(JPEG)
    written = root / "files" / "out" / "image-written.jpg"
    workflow = _load(
        "WriteBinaryFile/test__WriteBinaryFile.workflow.json",
        **{"Read Binary File": ("filePath", str(image)), "Write Binary File": ("fileName", str(written))},
    )
    run = await _run(client, queue, workflow)
    assert written.read_bytes() == JPEG
    _check({"Write Binary File": [{"json": {"fileName": str(written)}}]}, run, root)

    written.unlink()
    workflow = _load(
        "ReadWriteFile/ReadWriteFile__test__ReadWriteFile.workflow.json",
        **{"Read from Disk": ("fileSelector", str(image)), "Write to Disk": ("fileName", str(written))},
    )
    meta = {
        "fileExtension": "jpg",
        "fileName": "image.jpg",
        "fileSize": "1.04 kB",
        "fileType": "image",
        "mimeType": "image/jpeg",
    }
    binary = {
        "data": {
            "mimeType": "image/jpeg",
            "fileType": "image",
            "fileExtension": "jpg",
            "data": b64(JPEG),
            "fileName": "image.jpg",
            "fileSize": "1.04 kB",
        }
    }
    _check(
        {
            "Read from Disk": [{"json": meta, "binary": binary}],
            "Write to Disk": [{"json": {**meta, "fileName": str(written)}, "binary": binary}],
        },
        await _run(client, queue, workflow),
        root,
    )
    assert written.read_bytes() == JPEG


async def test_compression_round_trip(client: Client, files_queue: tuple[str, Path]) -> None:
    queue, root = files_queue
    lorem = root / "files" / "lorem.txt"
    lorem.write_bytes(LOREM)
    workflow = _load(
        "Compression/test__node__workflow.compression.json", **{"Read Binary File": ("filePath", str(lorem))}
    )
    file_0 = {
        "mimeType": "text/plain",
        "fileType": "text",
        "fileExtension": "txt",
        "data": b64(LOREM),
        "fileName": "lorem.txt",
        "fileSize": "3.07 kB",
    }
    _check(
        {"Compression1": [{"json": {}, "binary": {"file_0": file_0}}]},
        await _run(client, queue, workflow),
        root,
    )


async def test_spreadsheet_file(client: Client, files_queue: tuple[str, Path]) -> None:
    queue, root = files_queue
    csv_file = root / "files" / "spreadsheet.csv"
    csv_file.write_text("A,B,C\n1,2,3\n4,5,6\n")
    workflow = _load(
        "SpreadsheetFile/test__workflow.json", **{"Read Binary File": ("fileSelector", str(csv_file))}
    )
    typed = [{"json": {"A": 1, "B": 2, "C": 3}}, {"json": {"A": 4, "B": 5, "C": 6}}]

    def written(ext: str, mime: str, content: bytes, size: str, file_type: str | None) -> list[Any]:
        data = {
            "mimeType": mime,
            "fileExtension": ext,
            "data": b64(content),
            "fileName": f"spreadsheet.{ext}",
            "fileSize": size,
            **({"fileType": file_type} if file_type else {}),
        }
        return [{"json": {}, "binary": {"data": data}}]

    run = await _run(client, queue, workflow)
    _check(
        {
            "Read From File": typed,
            "Read From File Range": [{"json": {"1": 4, "2": 5}}],
            "Read From File no Header Row": [
                {"json": {"row": r}} for r in (["A", "B", "C"], [1, 2, 3], [4, 5, 6])
            ],
            "Read From File Raw Data": [
                {"json": {"A": "1", "B": "2", "C": "3"}},
                {"json": {"A": "4", "B": "5", "C": "6"}},
            ],
            "Read From File Read as String": typed,
            "Read CSV with Row Limit": [{"json": {"A": "1", "B": "2", "C": "3"}}],
            "Write To File CSV": written(
                "csv", "text/csv", b"\xef\xbb\xbfA,B,C\n1,2,3\n4,5,6", "20 B", "text"
            ),
            "Write To File HTML": written("html", "text/html", SHEET_HTML.encode(), "535 B", "html"),
            "Write To File RTF": written("rtf", "application/rtf", SHEET_RTF.encode(), "267 B", None),
        },
        run,
        root,
    )
    [xls] = run["Write To File XLS"][0]["data"]["main"][0]
    assert {k: xls["binary"]["data"][k] for k in ("mimeType", "fileExtension", "fileName")} == {
        "mimeType": "application/vnd.ms-excel",
        "fileExtension": "xls",
        "fileName": "spreadsheet.xls",
    }


async def test_spreadsheet_bom_and_empty_cells(client: Client, files_queue: tuple[str, Path]) -> None:
    queue, root = files_queue
    bom = root / "files" / "bom.csv"
    bom.write_bytes("\ufeffa\n1\n".encode())
    workflow = _load(
        "SpreadsheetFile/test__workflow.bom.json", **{"Read Binary File": ("fileSelector", str(bom))}
    )
    _check(
        {"Edit with BOM included": [{"json": {"X": None}}], "Edit with BOM excluded": [{"json": {"X": "1"}}]},
        await _run(client, queue, workflow),
        root,
    )
    empty = root / "files" / "includeempty.csv"
    empty.write_text("A,B,C\n1,,3\n")
    workflow = _load(
        "SpreadsheetFile/test__workflow.empty.json", **{"Read Binary File": ("fileSelector", str(empty))}
    )
    _check(
        {
            "Include Empty": [{"json": {"A": "1", "B": "", "C": "3"}}],
            "Ignore Empty": [{"json": {"A": "1", "C": "3"}}],
        },
        await _run(client, queue, workflow),
        root,
    )


async def test_crypto_workflow_reads_the_file_its_n8n_test_mocks(client: Client, task_queue: str) -> None:
    """The Crypto corpus workflow's file input (the Crypto node itself is another module's)."""
    workflow: dict[str, Any] = json.loads((CORPUS / "Crypto/test__CryptoTest.workflow.json").read_text())
    provide_test_files("Crypto/test__CryptoTest.workflow.json", workflow)
    keep = {'When clicking "Execute Workflow"', "Read Binary Files"}
    workflow["nodes"] = [n for n in workflow["nodes"] if n["name"] in keep]
    workflow["connections"] = {
        next(iter(keep - {"Read Binary Files"})): {
            "main": [[{"node": "Read Binary Files", "type": "main", "index": 0}]]
        }
    }
    async with build_central_worker(client, worker_settings(task_queue)):
        run_data = await _run(client, task_queue, workflow)
    [item] = run_data["Read Binary Files"][0]["data"]["main"][0]
    data = item["binary"]["data"]
    assert data["fileName"] == "binary.data" and data["fileSize"] == "4 B"
    assert (
        BinaryStore(worker_settings(task_queue).binary_data.storage_path(Path())).read(data["id"]) == b"test"
    )
