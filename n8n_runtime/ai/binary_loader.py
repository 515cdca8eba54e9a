"""n8n's N8nBinaryLoader: an item's file (from the binary store) → LangChain Documents.

The loader is chosen by the file's MIME type (``loader: auto``) or named (``pdfLoader``,
``csvLoader``, ``jsonLoader``, ``textLoader``, ``docxLoader``, ``epubLoader``: one document per
chapter, ``n8n_runtime/ai/epub.py``),
with n8n's mismatch errors. Each loader gives what LangChain's gives from a Blob: metadata
``{source: "blob", blobType: <mime>}``; PDFLoader adds ``pdf: {version, info, metadata,
totalPages}`` and, one document per page with ``splitPages``, ``loc.pageNumber`` (pages without
text are skipped, the rest joined by a blank line otherwise); CSVLoader gives one document per
row (``key: value`` lines, or the ``column``'s value) with ``line`` when there is more than one.
A text splitter then splits, and the ``metadata`` values are added last, as n8n does.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from typing import Any
from xml.etree import ElementTree

import pypdf

from hive_core.binary_data import ExecutionBinary
from n8n_runtime.ai.documents import json_documents
from n8n_runtime.ai.epub import epub_documents
from n8n_runtime.ai.text_splitter import Document, Splitter
from n8n_runtime.nodes.base import Item, NodeError
from n8n_runtime.nodes.files._pdf import read_pdf

__all__ = ["SUPPORTED_MIME_TYPES", "all_input_keys", "binary_documents", "file_documents"]

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
SUPPORTED_MIME_TYPES: dict[str, tuple[str, ...]] = {
    "auto": ("*/*",),
    "pdfLoader": ("application/pdf",),
    "csvLoader": ("text/csv",),
    "epubLoader": ("application/epub+zip",),
    "docxLoader": (DOCX,),
    "textLoader": ("text/plain", "text/mdx", "text/md", "text/markdown"),
    "jsonLoader": ("application/json",),
}
_ALL_MIME_TYPES = {mime for mimes in SUPPORTED_MIME_TYPES.values() for mime in mimes}
_WORD = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _text(content: bytes) -> str:
    # Blob.text(): UTF-8, a byte-order mark dropped, bad bytes replaced.
    return content.decode("utf-8", errors="replace").removeprefix("\ufeff")


def _lines(texts: list[str], base: dict[str, Any]) -> list[Document]:
    """LangChain's TextLoader.load: `line` only when the file gave several texts."""
    if len(texts) == 1:
        return [Document(texts[0], dict(base))]
    return [Document(text, {**base, "line": i + 1}) for i, text in enumerate(texts)]


def _pdf(content: bytes, base: dict[str, Any], split_pages: bool) -> list[Document]:
    pdf = read_pdf(content)
    info: dict[str, Any] = {"version": f"pypdf-{pypdf.__version__}", "info": pdf.info(), "metadata": None}
    info["totalPages"] = pdf.count
    pages = [
        Document(text, {**base, "pdf": dict(info), "loc": {"pageNumber": i + 1}})
        for i in range(pdf.count)
        if (text := pdf.text(i))
    ]
    if split_pages or not pages:
        return pages
    return [Document("\n\n".join(p.page_content for p in pages), {**base, "pdf": dict(info)})]


def _csv(content: bytes, base: dict[str, Any], column: str | None, separator: str) -> list[Document]:
    rows = list(csv.reader(io.StringIO(_text(content).strip()), delimiter=separator or ","))
    if not rows:
        return []
    header, body = rows[0], rows[1:]
    records = [dict(zip(header, row + [""] * (len(header) - len(row)), strict=False)) for row in body]
    if column is not None:
        if column not in header:
            raise NodeError(f"Column {column} not found in CSV file.")
        return _lines([r[column] for r in records], base)
    return _lines(["\n".join(f"{k.strip()}: {v.strip()}" for k, v in r.items()) for r in records], base)


def _docx(content: bytes, base: dict[str, Any]) -> list[Document]:
    """mammoth.extractRawText as LangChain's DocxLoader uses it: paragraphs, each followed by a blank line."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            root = ElementTree.fromstring(archive.read("word/document.xml"))
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError) as error:
        raise NodeError(f"Could not read the DOCX file: {error}") from error
    paragraphs = ["".join(t.text or "" for t in p.iter(_WORD + "t")) for p in root.iter(_WORD + "p")]
    return [Document("".join(p + "\n\n" for p in paragraphs), dict(base))]


def file_documents(content: bytes, mime_type: str, options: dict[str, Any]) -> list[Document]:
    """One file's documents, by MIME type (unknown types load as text, as n8n's default branch)."""
    base = {"source": "blob", "blobType": mime_type}
    if mime_type == "application/pdf":
        return _pdf(content, base, bool(options.get("splitPages", False)))
    if mime_type == "text/csv":
        column = options.get("column")
        return _csv(
            content, base, None if column in (None, "") else str(column), str(options.get("separator") or ",")
        )
    if mime_type == "application/epub+zip":
        return epub_documents(content, base)
    if mime_type == DOCX:
        return _docx(content, base)
    if mime_type == "application/json":
        try:
            data = json.loads(_text(content))
        except json.JSONDecodeError as error:
            raise NodeError(f"Unexpected token in JSON at position {error.pos}") from error
        return [
            Document(d.page_content, {**d.metadata, **base})
            for d in json_documents(data, str(options.get("pointers") or ""))
        ]
    return _lines([_text(content)], base)


def _check_loader(selected: str, mime_type: str) -> None:
    """n8n's three checks, with its messages."""
    if selected != "auto" and mime_type not in SUPPORTED_MIME_TYPES.get(selected, ()):
        needed = next((name for name, mimes in SUPPORTED_MIME_TYPES.items() if mime_type in mimes), None)
        raise NodeError(
            f'Mime type doesn\'t match selected loader. Please select under "Loader Type": {needed}'
        )
    if mime_type not in _ALL_MIME_TYPES:
        raise NodeError(f"Unsupported mime type: {mime_type}")


def all_input_keys(items: list[Item]) -> list[str]:
    """The keys "All Input Data" loads, as n8n collects them: every file key of every input item.

    n8n then loads each key from the current item, so with several items a key repeats (and
    its documents with it); kept as n8n does it.
    """
    return [key for item in items for key in (item.get("binary") or {})]


def binary_documents(
    item: Item,
    item_index: int,
    binary: ExecutionBinary,
    *,
    keys: list[str],
    loader: str = "auto",
    options: dict[str, Any] | None = None,
    splitter: Splitter | None = None,
    metadata: dict[str, Any] | None = None,
) -> list[Document]:
    """N8nBinaryLoader.processItemByKey for each of `keys` on one item."""
    files = item.get("binary") or {}
    documents: list[Document] = []
    for key in keys:
        data = files.get(key)
        if not files:
            raise NodeError(
                "This operation expects the node's input data to contain a binary file "
                f"'{key}', but none was found [item {item_index}]",
                item_index=item_index,
            )
        if data is None:
            raise NodeError(
                f"The item has no binary field '{key}' [item {item_index}]", item_index=item_index
            )
        mime_type = str(data.get("mimeType") or "")
        _check_loader(loader, mime_type)
        loaded = file_documents(binary.get_bytes(dict(data)), mime_type, options or {})
        documents.extend(splitter.split_documents(loaded) if splitter is not None else loaded)
    if metadata:
        documents = [Document(d.page_content, {**d.metadata, **metadata}) for d in documents]
    return documents
