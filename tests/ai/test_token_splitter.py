"""The Token Splitter against js-tiktoken's own output (what n8n runs), and n8n's fallbacks.

`fixtures/token_splits_js_tiktoken.json` was recorded with js-tiktoken 1.x by
`fixtures/record_token_splits.mjs` (`npm install js-tiktoken && node record_token_splits.mjs`).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from n8n_runtime.ai.text_splitter import Document, TextSplitterError
from n8n_runtime.ai.token_splitter import TokenTextSplitter, estimate_splits, has_long_repeat

FIXTURES = Path(__file__).parent / "fixtures" / "token_splits_js_tiktoken.json"


@pytest.mark.parametrize(
    "case", json.loads(FIXTURES.read_text(encoding="utf-8")), ids=lambda c: c["text"][:20]
)
def test_chunks_equal_js_tiktoken(case: dict) -> None:
    splitter = TokenTextSplitter(chunk_size=case["chunkSize"], chunk_overlap=case["chunkOverlap"])
    assert splitter.split_text(case["text"]) == case["chunks"]


def test_documents_keep_metadata_and_number_lines() -> None:
    [first, second] = TokenTextSplitter(chunk_size=3).split_documents(
        [Document("line one\nline two", {"source": "blob"})]
    )
    # "line", " one", "\n" | "line", " two": the first chunk ends with the newline.
    assert first.page_content == "line one\n"
    assert first.metadata == {"source": "blob", "loc": {"lines": {"from": 1, "to": 2}}}
    assert second.page_content == "line two"
    assert second.metadata["loc"]["lines"] == {"from": 2, "to": 2}


def test_repetitive_text_and_special_tokens_use_the_estimate() -> None:
    repeated = "a" * 2500
    assert has_long_repeat(repeated) and not has_long_repeat("ab" * 1500)
    # 4 characters a token: chunks of 400 characters stepping back 40.
    chunks = TokenTextSplitter(chunk_size=100, chunk_overlap=10).split_text(repeated)
    assert chunks == estimate_splits(repeated, 100, 10)
    assert [len(c) for c in chunks][:2] == [400, 400] and len(chunks) == 7
    # js-tiktoken refuses special tokens when they are disallowed; n8n then estimates.
    assert TokenTextSplitter(chunk_size=2).split_text("a<|endoftext|>b") == ["a<|endof", "text|>b"]
    assert TokenTextSplitter().split_text("") == []


def test_estimate_counts_utf16_units_like_javascript() -> None:
    assert estimate_splits("😀" * 4, 1, 0) == ["😀😀"] * 2


def test_overlap_not_smaller_than_size_is_refused() -> None:
    with pytest.raises(TextSplitterError, match="Cannot have chunkOverlap >= chunkSize"):
        TokenTextSplitter(chunk_size=10, chunk_overlap=10)
