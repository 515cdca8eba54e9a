"""n8n's Default Data Loader for JSON data: an item (or an expression's value) → Documents.

Mirrors n8n's `N8nJsonLoader` over LangChain's loaders:

- "Load All Input Data" (`jsonMode: allInputData`) and an object from "Load Specific Data"
  go through LangChain's `JSONLoader`: every string found in the JSON (or under the
  `options.pointers` JSON pointers) becomes one document, metadata
  `{source: "blob", blobType: "application/json", line: n}`. Numbers and booleans are skipped.
- A string from "Load Specific Data" is one text document (`blobType: "text/plain"`).
- `options.metadata.metadataValues` are added to every document's metadata; a text splitter,
  if any, then splits the documents into chunks.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from n8n_runtime.ai.text_splitter import Document, Splitter

_JSON_BLOB = {"source": "blob", "blobType": "application/json"}
_TEXT_BLOB = {"source": "blob", "blobType": "text/plain"}


def _resolve(data: Any, pointer: str) -> Any:
    """RFC 6901 JSON pointer lookup (`""` is the whole document); None when absent."""
    if pointer == "":
        return data
    if not pointer.startswith("/"):
        return None
    current = data
    for raw in pointer[1:].split("/"):
        token = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(current, dict):
            current = current.get(token)
        elif isinstance(current, list) and token.isdigit() and int(token) < len(current):
            current = current[int(token)]
        else:
            return None
    return current


def _same(a: Any, b: Any) -> bool:
    # JavaScript's Array.includes: objects by identity, primitives by value.
    return a is b if isinstance(a, dict | list) else a == b


def _strings(data: Any, pointers: Sequence[str], extract_all: bool, key_found: bool = False) -> list[str]:
    """LangChain's JSONLoader.extractArrayStringsFromObject, step for step."""
    if not data:
        return []
    if isinstance(data, str):
        return [data] if extract_all else []
    if isinstance(data, list):
        if not extract_all:
            return []
        return [s for element in data for s in _strings(element, pointers, True)]
    if not isinstance(data, dict):
        return []
    if extract_all:
        return _strings(list(data.values()), pointers, True)
    targeted = [entry for entry in (_resolve(data, p) for p in pointers) if entry]
    untargeted = [value for value in data.values() if not any(_same(value, t) for t in targeted)]
    found: list[str] = []
    if targeted:
        for entry in targeted:
            found.extend(_strings(entry, pointers, True, True))
        for entry in untargeted:
            found.extend(_strings(entry, pointers, False, True))
    elif not key_found:
        for entry in untargeted:
            found.extend(_strings(entry, pointers, False))
    return found


def json_documents(data: Any, pointers: str = "") -> list[Document]:
    """LangChain's JSONLoader over `data`: one document per extracted string."""
    # n8n splits the option on commas, so an empty option is one pointer: "" (the whole item).
    pointer_list = [p.strip() for p in str(pointers or "").split(",")]
    # JSON.parse(JSON.stringify(x)) drops what JSON cannot hold; the round trip does the same.
    parsed = json.loads(json.dumps(data, default=str))
    return [
        Document(text, {**_JSON_BLOB, "line": index + 1})
        for index, text in enumerate(_strings(parsed, pointer_list, extract_all=False))
    ]


def text_documents(text: str) -> list[Document]:
    """LangChain's TextLoader: the whole text as one document."""
    return [Document(text, dict(_TEXT_BLOB))]


def load_documents(
    data: Any,
    *,
    pointers: str = "",
    metadata: dict[str, Any] | None = None,
    splitter: Splitter | None = None,
) -> list[Document]:
    """Documents of one item: `data` as text (a string) or JSON, with metadata, then split."""
    documents = text_documents(data) if isinstance(data, str) else json_documents(data, pointers)
    if splitter is not None:
        documents = splitter.split_documents(documents)
    if metadata:
        documents = [Document(d.page_content, {**d.metadata, **metadata}) for d in documents]
    return documents


__all__ = ["json_documents", "load_documents", "text_documents"]
