"""Pure parts of the vector store: LangChain's text splitters and n8n's JSON document loader."""

from __future__ import annotations

import pytest

from n8n_runtime.ai.documents import json_documents, load_documents
from n8n_runtime.ai.text_splitter import Document, TextSplitter, TextSplitterError


def test_recursive_splitter_prefers_paragraphs_then_words_with_overlap() -> None:
    text = "The quick brown fox jumps over the lazy dog.\n\nSecond paragraph here, longer one."
    chunks = TextSplitter(chunk_size=20, chunk_overlap=5).split_text(text)
    assert chunks == [
        "The quick brown fox",
        "fox jumps over the",
        "the lazy dog.",
        "Second paragraph",
        "here, longer one.",
    ]
    assert all(len(c) <= 20 for c in chunks)
    # Small enough: one chunk, untouched.
    assert TextSplitter(chunk_size=1000).split_text("short text") == ["short text"]


def test_character_splitter_on_one_separator() -> None:
    splitter = TextSplitter(chunk_size=10, chunk_overlap=0, recursive=False, separator=" ")
    assert splitter.split_text("a bb ccc dddd eeeee ffffff") == ["a bb ccc", "dddd eeeee", "ffffff"]
    # n8n's default separator "" splits into characters.
    assert TextSplitter(chunk_size=3, recursive=False, separator="").split_text("abcdefg") == [
        "abc",
        "def",
        "g",
    ]


def test_chunks_are_numbered_by_line() -> None:
    text = "line one\nline two\n\nline four"
    chunks = TextSplitter(chunk_size=10).split_documents([Document(text, {"source": "blob"})])
    assert [(c.page_content, c.metadata["loc"]["lines"]) for c in chunks] == [
        ("line one", {"from": 1, "to": 1}),
        ("line two", {"from": 2, "to": 2}),
        ("line four", {"from": 4, "to": 4}),
    ]
    assert chunks[0].metadata["source"] == "blob"


def test_overlap_must_be_smaller_than_the_chunk() -> None:
    with pytest.raises(TextSplitterError, match="chunkOverlap >= chunkSize"):
        TextSplitter(chunk_size=10, chunk_overlap=10)


def test_json_loader_takes_every_string_or_the_pointed_ones() -> None:
    item = {"title": "Hello", "views": 3, "tags": ["a", "b"], "draft": False}
    assert [d.page_content for d in json_documents(item)] == ["Hello", "a", "b"]
    assert [d.metadata["line"] for d in json_documents(item)] == [1, 2, 3]
    assert [d.page_content for d in json_documents(item, "/title")] == ["Hello"]
    assert [d.page_content for d in json_documents(item, "/title, /tags")] == ["Hello", "a", "b"]


def test_loader_text_metadata_and_splitting() -> None:
    documents = load_documents("one two three", metadata={"k": "v"}, splitter=TextSplitter(chunk_size=8))
    assert [d.page_content for d in documents] == ["one two", "three"]
    assert documents[0].metadata == {
        "source": "blob",
        "blobType": "text/plain",
        "loc": {"lines": {"from": 1, "to": 1}},
        "k": "v",
    }
