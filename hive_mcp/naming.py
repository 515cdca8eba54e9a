"""MCP tool names from workflow names: `[A-Za-z0-9_-]`, at most 64 characters, unique."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

MAX_NAME = 64
_NOT_ALLOWED = re.compile(r"[^A-Za-z0-9_-]+")


def slug(name: str, fallback: str = "workflow") -> str:
    """`My flow: v2` → `my_flow_v2` (empty → `fallback`)."""
    cleaned = _NOT_ALLOWED.sub("_", name.strip().lower()).strip("_-")
    return (cleaned or fallback)[:MAX_NAME]


def unique_names(entries: Sequence[tuple[str, str]]) -> list[str]:
    """Names for (id, display name) pairs: a slug, suffixed with the id when slugs collide."""
    slugs = [slug(name) for _, name in entries]
    counts = Counter(slugs)
    names = []
    for (entry_id, _), base in zip(entries, slugs, strict=True):
        if counts[base] > 1:
            suffix = "_" + slug(entry_id, "id")
            base = base[: MAX_NAME - len(suffix)] + suffix
        names.append(base)
    return names


__all__ = ["MAX_NAME", "slug", "unique_names"]
