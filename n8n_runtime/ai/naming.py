"""Tool names as n8n derives them from node names."""

from __future__ import annotations

import re

_NAME_CHARS = re.compile(r"[\s.?!=+#@&*()\[\]{}:;,<>/\\'\"^%$]")


def tool_name_from_node(name: str) -> str:
    """n8n's nodeNameToToolName: punctuation and spaces become underscores."""
    return re.sub(r"_+", "_", _NAME_CHARS.sub("_", name))


__all__ = ["tool_name_from_node"]
