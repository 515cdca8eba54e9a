"""N8nBinaryLoader's per-file rules without a server: DOCX paragraphs, CSV column and separator,
PDF password errors, EPub chapters (the Temporal path is tests/ai/test_binary_loader.py)."""

from __future__ import annotations

import io
import zipfile

import pypdf
import pytest

from n8n_runtime.ai.binary_loader import DOCX, file_documents
from n8n_runtime.ai.epub import html_to_text
from n8n_runtime.nodes.base import NodeError
from n8n_runtime.nodes.files._pdf import pdf_data
from tests.ai.epub_fixture import epub_bytes
from tests.pdf_fixture import pdf_bytes

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _docx(paragraphs: list[list[str]]) -> bytes:
    body = "".join(
        "<w:p>" + "".join(f"<w:r><w:t>{run}</w:t></w:r>" for run in runs) + "</w:p>" for runs in paragraphs
    )
    xml = f'<?xml version="1.0"?><w:document xmlns:w="{W}"><w:body>{body}</w:body></w:document>'
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("word/document.xml", xml)
    return out.getvalue()


def test_docx_paragraphs_like_mammoth_raw_text() -> None:
    [doc] = file_documents(_docx([["Hello ", "world"], ["Second"]]), DOCX, {})
    assert doc.page_content == "Hello world\n\nSecond\n\n"
    assert doc.metadata == {"source": "blob", "blobType": DOCX}
    with pytest.raises(NodeError, match="Could not read the DOCX file"):
        file_documents(b"not a zip", DOCX, {})


def test_csv_column_and_separator() -> None:
    content = b"name;animal\nTom;cat\nRex;dog\n"
    docs = file_documents(content, "text/csv", {"separator": ";", "column": "animal"})
    assert [(d.page_content, d.metadata["line"]) for d in docs] == [("cat", 1), ("dog", 2)]
    with pytest.raises(NodeError, match="Column legs not found in CSV file."):
        file_documents(content, "text/csv", {"separator": ";", "column": "legs"})


EPUB = "application/epub+zip"


def test_epub_chapters_in_spine_order_like_langchains_epub_loader() -> None:
    docs = file_documents(epub_bytes(), EPUB, {})
    blob = {"source": "blob", "blobType": EPUB}
    assert [(d.page_content, d.metadata) for d in docs] == [
        ("BEES\n\nBees make honey.\n\nSee bees [https://bees.example].", {**blob, "chapter": "Bees"}),
        ("HIVES\n\nWax\n\nComb", {**blob, "chapter": "Hives"}),
        ("Notes\n\nline two", blob),
    ]
    with pytest.raises(NodeError, match="Could not read the EPub file"):
        file_documents(b"PK not a zip", EPUB, {})


def test_epub_text_wraps_at_80_columns() -> None:
    long = " ".join(["honey"] * 40)
    assert html_to_text(f"<p>{long}</p>").split("\n") == [
        " ".join(["honey"] * 13), " ".join(["honey"] * 13), " ".join(["honey"] * 13), "honey"
    ]  # fmt: skip


def test_pdf_max_pages_zero_reads_no_page() -> None:
    data = pdf_data(pdf_bytes(["a", "b"]), max_pages=0)
    assert data["numpages"] == 2 and data["numrender"] == 0 and data["text"] == ""


def test_pdf_passwords_as_pdf_js_reports_them() -> None:
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(pdf_bytes(["secret text"]))))
    writer.encrypt("pw", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    assert pdf_data(out.getvalue(), password="pw")["text"] == "secret text"
    with pytest.raises(NodeError, match="^No password given$"):
        pdf_data(out.getvalue())
    with pytest.raises(NodeError, match="^Incorrect Password$"):
        pdf_data(out.getvalue(), password="wrong")
