"""Default Data Loader on binary data (n8n's N8nBinaryLoader) through a real dev server: a file
written to the binary store by Convert to File is read back where the vector store's pure step
runs, split into documents as LangChain's PDF/CSV/JSON/text loaders do, and embedded on FakeOllama."""

from __future__ import annotations

import base64
from typing import Any

from tests.ai.builders import ai_workflow, base, lc, output
from tests.ai.conftest import AiCluster
from tests.ai.epub_fixture import epub_bytes
from tests.pdf_fixture import pdf_bytes
from workflows.n8n_models import ExecutionStatus

PAGES = ["Cats purr and sleep all day", "Rockets fly to the moon"]


def _workflow(model: str, loader: dict[str, Any]) -> dict[str, Any]:
    to_file = base(
        "To File", "convertToFile", 1.1, 100, operation="toBinary", sourceProperty="file",
        options={"fileName": "={{ $json.name }}", "mimeType": "={{ $json.mime }}"},
    )  # fmt: skip
    return ai_workflow(
        "binary-loader",
        [
            base("Start", "manualTrigger", 1),
            to_file,
            lc("Store", "vectorStoreInMemory", 1.1, 200, mode="insert"),
        ],
        [
            (lc("Embed", "embeddingsOllama", 1, 300, model=model), "ai_embedding", "Store"),
            (loader, "ai_document", "Store"),
        ],
        workflow_id="wf-binary-loader",
    )


def _file(content: bytes, name: str, mime: str) -> dict[str, Any]:
    return {"json": {"file": base64.b64encode(content).decode("ascii"), "name": name, "mime": mime}}


async def _insert(cluster: AiCluster, loader: dict[str, Any], *files: dict[str, Any]) -> Any:
    return await cluster.run(_workflow(cluster.model, loader), trigger_items=list(files))


async def test_pdf_csv_json_and_text_files_become_documents(ai_cluster: AiCluster) -> None:
    ai_cluster.configure(embedding_kind="words", embedding_dim=64)
    pdf = _file(pdf_bytes(PAGES), "doc.pdf", "application/pdf")
    loader = lc(
        "Loader", "documentDefaultDataLoader", 1, 300, dataType="binary", options={"splitPages": True}
    )
    run = await _insert(ai_cluster, loader, pdf)
    assert run.status is ExecutionStatus.SUCCESS, run.error
    # The file went through the store: only a reference travelled between the steps.
    assert run.run_data["To File"][0]["data"]["main"][0][0]["binary"]["data"]["id"].startswith(
        "filesystem-v2:"
    )
    docs = output(run, "Store")
    assert [d["pageContent"] for d in docs] == PAGES
    meta = docs[1]["metadata"]
    assert meta["source"] == "blob" and meta["blobType"] == "application/pdf"
    assert meta["loc"] == {"pageNumber": 2} and meta["pdf"]["totalPages"] == 2
    assert meta["pdf"]["info"]["Title"] == "Hive test"

    # Without splitPages: one document, pages joined by a blank line (LangChain's PDFLoader).
    whole = lc("Loader", "documentDefaultDataLoader", 1, 300, dataType="binary", loader="pdfLoader")
    [doc] = output(await _insert(ai_cluster, whole, pdf), "Store")
    assert doc["pageContent"] == "\n\n".join(PAGES) and "loc" not in doc["metadata"]

    csv_file = _file(b"name,animal\nTom,cat\nRex,dog\n", "pets.csv", "text/csv")
    json_file = _file(b'{"a": "first text", "b": "second text", "n": 3}', "x.json", "application/json")
    text_file = _file("Plain words \u00e9t\u00e9".encode(), "notes.txt", "text/plain")
    meta_loader = lc(
        "Loader", "documentDefaultDataLoader", 1, 300, dataType="binary", binaryMode="specificField",
        options={"metadata": {"metadataValues": [{"name": "file", "value": "={{ $binary.data.fileName }}"}]}},
    )  # fmt: skip
    run = await _insert(ai_cluster, meta_loader, csv_file, json_file, text_file)
    assert run.status is ExecutionStatus.SUCCESS, run.error
    docs = output(run, "Store")
    assert [d["pageContent"] for d in docs] == [
        "name: Tom\nanimal: cat",
        "name: Rex\nanimal: dog",
        "first text",
        "second text",
        "Plain words \u00e9t\u00e9",
    ]
    assert docs[0]["metadata"] == {"source": "blob", "blobType": "text/csv", "line": 1, "file": "pets.csv"}
    assert docs[2]["metadata"]["blobType"] == "application/json"
    assert docs[4]["metadata"] == {"source": "blob", "blobType": "text/plain", "file": "notes.txt"}


async def test_bad_files_are_n8n_errors_naming_the_loader(ai_cluster: AiCluster) -> None:
    ai_cluster.configure(embedding_kind="words", embedding_dim=64)
    loader = lc("Loader", "documentDefaultDataLoader", 1, 300, dataType="binary")
    corrupt = await _insert(ai_cluster, loader, _file(b"%PDF-1.4 garbage", "bad.pdf", "application/pdf"))
    assert corrupt.status is ExecutionStatus.ERROR
    assert corrupt.error is not None and "Invalid PDF structure." in corrupt.error["message"]
    assert corrupt.error["node"]["name"] == "Store"
    wrong = lc("Loader", "documentDefaultDataLoader", 1, 300, dataType="binary", loader="csvLoader")
    mismatch = await _insert(ai_cluster, wrong, _file(b"hello", "a.txt", "text/plain"))
    assert mismatch.error is not None
    assert 'Please select under "Loader Type": textLoader' in mismatch.error["message"]
    image = await _insert(ai_cluster, loader, _file(b"\x89PNG", "a.png", "image/png"))
    assert image.error is not None and "Unsupported mime type: image/png" in image.error["message"]


async def test_epub_loader_gives_one_document_per_chapter(ai_cluster: AiCluster) -> None:
    ai_cluster.configure(embedding_kind="words", embedding_dim=64)
    loader = lc("Loader", "documentDefaultDataLoader", 1, 300, dataType="binary", loader="epubLoader")
    run = await _insert(ai_cluster, loader, _file(epub_bytes(), "book.epub", "application/epub+zip"))
    assert run.status is ExecutionStatus.SUCCESS, run.error
    docs = output(run, "Store")
    assert [d["metadata"].get("chapter") for d in docs] == ["Bees", "Hives", None]
    assert docs[1]["pageContent"] == "HIVES\n\nWax\n\nComb"
