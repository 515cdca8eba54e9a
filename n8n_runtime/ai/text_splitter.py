"""LangChain's character text splitters, as n8n's text splitter sub-nodes configure them.

A port of LangChain JS (`@langchain/textsplitters`): `CharacterTextSplitter` splits on one
separator; `RecursiveCharacterTextSplitter` tries "\\n\\n", "\\n", " ", "" in turn and keeps
the separators. Both merge the pieces into chunks of at most `chunk_size` characters with
up to `chunk_overlap` characters repeated between neighbours, and number each chunk's lines
(`metadata.loc.lines`) as LangChain does. Lengths count Python characters (JS counts UTF-16
units: only text outside the Basic Multilingual Plane differs).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

RECURSIVE_SEPARATORS = ("\n\n", "\n", " ", "")


class TextSplitterError(ValueError):
    """The splitter's settings cannot work (overlap not smaller than the chunk size)."""


@dataclass(frozen=True, slots=True)
class Document:
    """LangChain's Document: a text and its metadata."""

    page_content: str
    metadata: dict[str, Any] = field(default_factory=dict)


def _numbered_chunks(text: str, chunks: Sequence[str], metadata: dict[str, Any]) -> list[Document]:
    """LangChain's `createDocuments`: each chunk with the lines of `text` it covers."""
    line = 1
    previous: str | None = None
    previous_index = -1
    out: list[Document] = []
    for chunk in chunks:
        # Count the newlines the splitting removed between chunks, as LangChain does.
        index = text.find(chunk, previous_index + 1)
        if previous is None:
            line += text[:index].count("\n")
        else:
            previous_end = previous_index + len(previous)
            if previous_end < index:
                line += text[previous_end:index].count("\n")
            elif previous_end > index:
                line -= text[index:previous_end].count("\n")
        newlines = chunk.count("\n")
        loc = dict(metadata["loc"]) if isinstance(metadata.get("loc"), dict) else {}
        loc["lines"] = {"from": line, "to": line + newlines}
        out.append(Document(chunk, {**metadata, "loc": loc}))
        line += newlines
        previous, previous_index = chunk, index
    return out


def split_documents(split_text: Callable[[str], list[str]], documents: Sequence[Document]) -> list[Document]:
    """Split each document's text with `split_text`; chunks keep its metadata plus `loc.lines`."""
    chunks: list[Document] = []
    for document in documents:
        chunks.extend(
            _numbered_chunks(document.page_content, split_text(document.page_content), document.metadata)
        )
    return chunks


class Splitter(Protocol):
    """What a document loader needs of a text splitter sub-node."""

    def split_documents(self, documents: Sequence[Document]) -> list[Document]: ...


@dataclass(frozen=True, slots=True)
class TextSplitter:
    """A character splitter: `recursive` (LangChain's default choice) or on one `separator`."""

    chunk_size: int = 1000
    chunk_overlap: int = 0
    recursive: bool = True
    separator: str = "\n\n"

    def __post_init__(self) -> None:
        if self.chunk_overlap >= self.chunk_size:
            raise TextSplitterError(
                f"Cannot have chunkOverlap >= chunkSize ({self.chunk_overlap} >= {self.chunk_size})"
            )

    @property
    def keep_separator(self) -> bool:
        return self.recursive

    def split_text(self, text: str) -> list[str]:
        """The chunks of `text`."""
        if self.recursive:
            return self._split_recursive(text, RECURSIVE_SEPARATORS)
        splits = self._split_on(text, self.separator)
        return self._merge(splits, "" if self.keep_separator else self.separator)

    def split_documents(self, documents: Sequence[Document]) -> list[Document]:
        """Each document's chunks, with its metadata plus the chunk's `loc.lines`."""
        return split_documents(self.split_text, documents)

    def _split_on(self, text: str, separator: str) -> list[str]:
        if not separator:
            splits = list(text)
        elif self.keep_separator:
            # Split before each separator, so every piece but the first starts with it.
            splits = re.split(f"(?={re.escape(separator)})", text)
        else:
            splits = text.split(separator)
        return [s for s in splits if s != ""]

    def _split_recursive(self, text: str, separators: Sequence[str]) -> list[str]:
        separator = separators[-1]
        rest: Sequence[str] | None = None
        for i, candidate in enumerate(separators):
            if candidate == "":
                separator = candidate
                break
            if candidate in text:
                separator, rest = candidate, separators[i + 1 :]
                break
        joiner = "" if self.keep_separator else separator
        chunks: list[str] = []
        good: list[str] = []
        for piece in self._split_on(text, separator):
            if len(piece) < self.chunk_size:
                good.append(piece)
                continue
            if good:
                chunks.extend(self._merge(good, joiner))
                good = []
            chunks.extend(self._split_recursive(piece, rest) if rest else [piece])
        if good:
            chunks.extend(self._merge(good, joiner))
        return chunks

    def _merge(self, splits: Sequence[str], separator: str) -> list[str]:
        chunks: list[str] = []
        current: list[str] = []
        total = 0
        for piece in splits:
            size = len(piece)
            if total + size + len(current) * len(separator) > self.chunk_size and current:
                joined = separator.join(current).strip()
                if joined:
                    chunks.append(joined)
                # Drop pieces from the front until what is left fits as the overlap.
                while total > self.chunk_overlap or (
                    total + size + len(current) * len(separator) > self.chunk_size and total > 0
                ):
                    total -= len(current.pop(0))
            current.append(piece)
            total += size
        joined = separator.join(current).strip()
        if joined:
            chunks.append(joined)
        return chunks


__all__ = [
    "RECURSIVE_SEPARATORS",
    "Document",
    "Splitter",
    "TextSplitter",
    "TextSplitterError",
    "split_documents",
]
