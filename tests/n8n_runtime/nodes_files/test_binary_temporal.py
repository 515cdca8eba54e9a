"""File nodes and Code node binary helpers through a real Temporal dev server and central worker."""

from __future__ import annotations

import base64
from typing import Any

import pytest
from temporalio.client import Client

from hive_core.errors import CompileError
from n8n_import import compile_export
from n8n_runtime.inline import runs_inline
from tests.builders import chain, node, run_workflow, worker_settings
from tests.pdf_fixture import pdf_bytes
from workers.factory import build_central_worker
from workflows.n8n_models import ExecutionStatus

CODE = """
const buf = await this.helpers.getBinaryDataBuffer(0, 'data');
const text = buf.toString('utf8').toUpperCase();
const upper = await this.helpers.prepareBinaryData(Buffer.from(text), 'upper.txt');
return [{ json: { len: buf.length, name: items[0].binary.data.fileName }, binary: { out: upper } }];
"""


def _nodes() -> list[dict[str, Any]]:
    text = {"name": "notes", "value": "hello files", "type": "string"}
    return [
        node("Start", "manualTrigger", 1),
        node("Text", "set", 3.4, x=200, assignments={"assignments": [text]}),
        node("To File", "convertToFile", 1.1, x=400, operation="toText", sourceProperty="notes"),
        node("Code", "code", 2, x=600, jsCode=CODE),
        node("Read", "extractFromFile", 1, x=800, operation="text", binaryPropertyName="out"),
    ]


def _output(run: Any, name: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = run.run_data[name][0]["data"]["main"][0]
    return items


async def test_code_node_reads_and_writes_stored_files(client: Client, task_queue: str) -> None:
    async with build_central_worker(client, worker_settings(task_queue)):
        run = await run_workflow(client, task_queue, chain("code-binary", _nodes()))
    assert run.status is ExecutionStatus.SUCCESS, run.error
    [code_item] = _output(run, "Code")
    assert code_item["json"] == {"len": 11, "name": "file.txt"}
    out = code_item["binary"]["out"]
    # Only a reference left the activity: the bytes are in the store.
    assert out["data"] == "filesystem-v2" and out["id"].startswith("filesystem-v2:workflows/")
    assert out["fileName"] == "upper.txt" and out["mimeType"] == "text/plain" and out["fileSize"] == "11 B"
    assert _output(run, "Read")[0]["json"] == {"data": "HELLO FILES"}


def test_file_nodes_never_run_inline() -> None:
    workflow = chain("inline", _nodes())
    plan = compile_export(workflow)[0]
    assert not any(runs_inline(plan.nodes[name]) for name in ("To File", "Code", "Read"))


def _corrupt_xlsx_nodes(on_error: str | None = None) -> list[dict[str, Any]]:
    text = {"name": "notes", "value": "this is not a workbook", "type": "string"}
    extract = node("Extract", "extractFromFile", 1, x=600, operation="xlsx")
    if on_error:
        extract["onError"] = on_error
    return [
        node("Start", "manualTrigger", 1),
        node("Text", "set", 3.4, x=200, assignments={"assignments": [text]}),
        node("To File", "convertToFile", 1.1, x=400, operation="toText", sourceProperty="notes",
             options={"fileName": "report.xlsx"}),
        extract,
    ]  # fmt: skip


async def test_corrupt_file_is_a_node_error_naming_the_node(client: Client, task_queue: str) -> None:
    async with build_central_worker(client, worker_settings(task_queue)):
        failed = await run_workflow(client, task_queue, chain("corrupt", _corrupt_xlsx_nodes()))
        kept = await run_workflow(
            client, task_queue, chain("corrupt-kept", _corrupt_xlsx_nodes("continueRegularOutput"))
        )
    assert failed.status is ExecutionStatus.ERROR
    assert failed.error is not None and failed.error["node"]["name"] == "Extract"
    assert "not a valid spreadsheet" in failed.error["message"]
    # The file that came before is still there, and with continue-on-fail the error is the item.
    assert _output(failed, "To File")[0]["binary"]["data"]["fileName"] == "report.xlsx"
    assert kept.status is ExecutionStatus.SUCCESS
    assert "not a valid spreadsheet" in _output(kept, "Extract")[0]["json"]["error"]


def _pdf_nodes(content: bytes, **options: Any) -> list[dict[str, Any]]:
    pdf = {"name": "file", "value": base64.b64encode(content).decode("ascii"), "type": "string"}
    return [
        node("Start", "manualTrigger", 1),
        node("Bytes", "set", 3.4, x=200, assignments={"assignments": [pdf]}),
        node("To File", "convertToFile", 1.1, x=400, operation="toBinary", sourceProperty="file",
             options={"fileName": "doc.pdf", "mimeType": "application/pdf"}),
        node("PDF", "extractFromFile", 1, x=600, operation="pdf", options=options),
    ]  # fmt: skip


async def test_pdf_text_is_extracted_like_n8n(client: Client, task_queue: str) -> None:
    content = pdf_bytes(["Invoice 42 total 99 EUR", "Thank you for your order"])
    async with build_central_worker(client, worker_settings(task_queue)):
        run = await run_workflow(client, task_queue, chain("pdf", _pdf_nodes(content)))
        pages = await run_workflow(
            client, task_queue, chain("pdf-pages", _pdf_nodes(content, joinPages=False, maxPages=1))
        )
        corrupt = await run_workflow(client, task_queue, chain("pdf-bad", _pdf_nodes(b"%PDF-1.4 broken")))
    assert run.status is ExecutionStatus.SUCCESS, run.error
    [item] = _output(run, "PDF")
    assert item["json"]["text"] == "Invoice 42 total 99 EUR\n\nThank you for your order"
    assert item["json"]["numpages"] == 2 and item["json"]["numrender"] == 2
    assert item["json"]["info"]["Title"] == "Hive test" and item["json"]["info"]["PDFFormatVersion"] == "1.4"
    assert set(item["json"]) == {"numpages", "numrender", "info", "metadata", "text", "version"}
    assert "binary" not in item
    [paged] = _output(pages, "PDF")
    assert paged["json"]["text"] == ["Invoice 42 total 99 EUR"] and paged["json"]["numrender"] == 1
    assert corrupt.status is ExecutionStatus.ERROR
    assert corrupt.error is not None and corrupt.error["node"]["name"] == "PDF"
    assert corrupt.error["message"] == "Invalid PDF structure."


def test_unsupported_file_operation_is_a_compile_error() -> None:
    nodes = [node("Start", "manualTrigger", 1), node("Doc", "extractFromFile", 1, x=200, operation="docx")]
    with pytest.raises(CompileError, match=r'node "Doc" .*operation "docx" is not supported'):
        compile_export(chain("docx", nodes))
