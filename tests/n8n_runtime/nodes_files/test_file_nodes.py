"""File nodes over a real binary store: format round trips, archives, disk roots, bad input."""

from __future__ import annotations

import gzip
import io
import zipfile
from pathlib import Path
from typing import Any

import pytest

from hive_core.binary_data import BinaryStore, ExecutionBinary
from n8n_import.plan import NodeSettings, PlanNode
from n8n_import.registry import NodeKind
from n8n_runtime.nodes.base import Item, NodeError, NodeRun
from n8n_runtime.nodes.files import FILE_NODES
from tests.n8n_runtime.nodes_data.helpers import LiteralParams

ROW = {"row_number": 2, "country": "uk", "ok": True, "share": 0.25, "nested": {"a": "x"}}
FLAT = {"row_number": 2, "country": "uk", "ok": True, "share": 0.25, "nested.a": "x"}


@pytest.fixture
def binary(tmp_path: Path) -> ExecutionBinary:
    return ExecutionBinary(BinaryStore(tmp_path / "store"), "wf", "exec-1")


def run(
    kind: str,
    params: dict[str, Any],
    items: list[Item],
    binary: ExecutionBinary,
    *,
    version: float = 1,
    roots: list[Path] | None = None,
    on_error: str = "stopWorkflow",
) -> list[Item]:
    node = PlanNode(
        name=f"My {kind}", type=f"n8n-nodes-base.{kind}", type_version=version, kind=NodeKind.DATA,
        parameters=params, settings=NodeSettings(on_error=on_error),
    )  # fmt: skip
    extras = {"binary": binary, "file_roots": roots or []}
    out = FILE_NODES[node.type](
        NodeRun(node=node, inputs=[items], params=LiteralParams(params), extras=extras)
    )
    return out[0] or []


@pytest.mark.parametrize("fmt", ["csv", "html", "rtf", "ods", "xlsx", "xls"])
def test_convert_then_extract_round_trips(fmt: str, binary: ExecutionBinary) -> None:
    files = run("convertToFile", {"operation": fmt, "options": {}}, [{"json": ROW}, {"json": ROW}], binary)
    assert len(files) == 1
    data = files[0]["binary"]["data"]
    assert data["id"].startswith("filesystem-v2:workflows/wf/executions/exec-1/binary_data/")
    assert data["fileName"] == f"File.{fmt}" and data["fileExtension"] == fmt
    rows = run("extractFromFile", {"operation": fmt, "options": {}}, files, binary)
    if fmt == "csv":  # CSV keeps strings (and SheetJS's BOM on the first header)
        assert rows[0]["json"] == {
            "\ufeffrow_number": "2", "country": "uk", "ok": "TRUE", "share": "0.25", "nested.a": "x"
        }  # fmt: skip
    else:
        assert [r["json"] for r in rows] == [FLAT, FLAT]
    assert rows[1]["pairedItem"] == {"item": 0}


def test_spreadsheet_file_v2_autodetects_the_format(binary: ExecutionBinary) -> None:
    files = run(
        "spreadsheetFile", {"operation": "toFile", "fileFormat": "xlsx"}, [{"json": ROW}], binary, version=2
    )
    assert files[0]["binary"]["data"]["fileName"] == "spreadsheet.xlsx"
    rows = run("spreadsheetFile", {}, files, binary, version=2)
    assert rows == [{"json": FLAT, "pairedItem": {"item": 0}}]


def test_text_json_and_base64_moves(binary: ExecutionBinary) -> None:
    item = {"json": {"notes": "héllo", "b64": "aGk="}}
    text = run("convertToFile", {"operation": "toText", "sourceProperty": "notes"}, [item], binary)
    assert text[0]["binary"]["data"]["fileName"] == "file.txt"
    assert run("extractFromFile", {"operation": "text"}, text, binary)[0]["json"] == {"data": "héllo"}
    raw = run("convertToFile", {"operation": "toBinary", "sourceProperty": "b64"}, [item], binary)
    back = run("extractFromFile", {"operation": "binaryToPropery", "destinationKey": "x.y"}, raw, binary)
    assert back[0]["json"] == {"x": {"y": "aGk="}}
    moved = run("moveBinaryData", {"mode": "jsonToBinary"}, [{"json": {"a": 1}}], binary)
    assert moved[0]["json"] == {} and moved[0]["binary"]["data"]["mimeType"] == "application/json"
    parsed = run("moveBinaryData", {}, moved, binary)
    assert parsed[0]["json"] == {"a": 1} and "binary" not in parsed[0]


def test_zip_and_gzip_round_trip(binary: ExecutionBinary) -> None:
    item = {
        "json": {"k": 1},
        "binary": {"a": binary.prepare(b"alpha", "a.txt"), "b": binary.prepare(b"beta", "b.txt")},
    }
    params = {
        "operation": "compress",
        "outputFormat": "zip",
        "binaryPropertyName": "a,b",
        "fileName": "x.zip",
    }
    zipped = run("compression", params, [item], binary)
    archive = zipped[0]["binary"]["data"]
    assert archive["fileName"] == "x.zip" and archive["mimeType"] == "application/zip"
    # v1 without an output format emits nothing, as n8n does
    assert run("compression", {"operation": "compress", "binaryPropertyName": "a"}, [item], binary) == []
    unzipped = run("compression", {"operation": "decompress", "binaryPropertyName": "data"}, zipped, binary)
    files = unzipped[0]["binary"]
    assert {f["fileName"]: binary.get_bytes(f) for f in files.values()} == {
        "a.txt": b"alpha",
        "b.txt": b"beta",
    }
    gz = run(
        "compression",
        {"operation": "compress", "outputFormat": "gzip", "binaryPropertyName": "a"},
        [item],
        binary,
    )
    assert gzip.decompress(binary.get_bytes(gz[0]["binary"]["data0"])) == b"alpha"
    back = run("compression", {"operation": "decompress", "binaryPropertyName": "data0"}, gz, binary)
    assert back[0]["binary"]["file_0"]["fileName"] == "a.txt"


def test_disk_files_stay_inside_the_roots(tmp_path: Path, binary: ExecutionBinary) -> None:
    root = tmp_path / "files"
    root.mkdir()
    (root / "in.csv").write_text("a,b\n1,2\n")
    read = run("readWriteFile", {"fileSelector": f"{root}/*.csv"}, [{"json": {}}], binary, roots=[root])
    assert read[0]["json"]["fileName"] == "in.csv" and read[0]["json"]["mimeType"] == "text/csv"
    assert run("extractFromFile", {}, read, binary)[0]["json"] == {"a": "1", "b": "2"}
    params = {"operation": "write", "fileName": f"{root}/out/copy.csv"}
    run("readWriteFile", params, read, binary, roots=[root])
    assert (root / "out/copy.csv").read_text() == "a,b\n1,2\n"
    missing = {"fileSelector": f"{root}/*.xlsx"}
    assert run("readWriteFile", missing, [{"json": {}}], binary, roots=[root]) == []  # v1: nothing
    with pytest.raises(NodeError, match=r"No file\(s\) found"):
        run("readWriteFile", missing, [{"json": {}}], binary, version=1.1, roots=[root])
    with pytest.raises(NodeError, match="Access to the file is not allowed"):
        run("readBinaryFile", {"filePath": "/etc/passwd"}, [{"json": {}}], binary, roots=[root])
    with pytest.raises(NodeError, match="Access to the file is not allowed"):
        run("writeBinaryFile", {"fileName": f"{root}/../escape.csv"}, read, binary, roots=[root])


def test_bad_input_is_n8ns_error_naming_the_item(binary: ExecutionBinary) -> None:
    corrupt = {"json": {}, "binary": {"data": binary.prepare(b"PK\x03\x04not a workbook", "broken.xlsx")}}
    with pytest.raises(NodeError) as error:
        run("extractFromFile", {"operation": "xlsx"}, [corrupt], binary)
    assert error.value.item_index == 0
    csv_file = {"json": {}, "binary": {"data": binary.prepare(b"a,b\n1,2,3\n", "x.csv")}}
    with pytest.raises(NodeError, match="Invalid Record Length: columns length is 2, got 3 on line 2"):
        run("extractFromFile", {}, [csv_file], binary)
    bad_zip = {"json": {}, "binary": {"data": binary.prepare(b"PK\x03\x04garbage", "a.zip")}}
    with pytest.raises(NodeError, match="invalid zip data"):
        run("compression", {"operation": "decompress"}, [bad_zip], binary)
    with pytest.raises(NodeError, match=r"The item has no binary field 'nope' \[item 0\]"):
        run("extractFromFile", {"binaryPropertyName": "nope"}, [corrupt], binary)
    # continueRegularOutput: the error becomes the item, nothing else is lost
    out = run("extractFromFile", {"operation": "xlsx"}, [corrupt], binary, on_error="continueRegularOutput")
    assert "error" in out[0]["json"]


def test_wrong_format_names_the_expected_format(binary: ExecutionBinary) -> None:
    item = {"json": {}, "binary": {"data": binary.prepare(b"a,b\n1,2\n", "x.csv")}}
    with pytest.raises(NodeError, match="The file selected in 'Input Binary Field' is not in xlsx format"):
        run("extractFromFile", {"operation": "xlsx"}, [item], binary)


def test_zip_written_is_a_real_zip(binary: ExecutionBinary) -> None:
    item = {"json": {}, "binary": {"data": binary.prepare(b"x" * 1000, "x.txt")}}
    out = run("compression", {"operation": "compress", "outputFormat": "zip"}, [item], binary)
    with zipfile.ZipFile(io.BytesIO(binary.get_bytes(out[0]["binary"]["data"]))) as archive:
        assert archive.read("x.txt") == b"x" * 1000
