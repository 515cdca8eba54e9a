"""n8n's generated `<node>Tool` variants of `usableAsTool` nodes (postgresTool, airtableTool...).

n8n does not ship them as node types: its loader builds each at load time from the base node
(`convertNodeToAiTool`: same typeVersions and parameters, an `ai_tool` output, a
`toolDescription` parameter). So the catalog lists the base node only, and the variant's name
is the base's plus `Tool`.
"""

from __future__ import annotations

N8N_BASE = "n8n-nodes-base."
# Native tool types of n8n-nodes-base (not generated variants).
_NATIVE = frozenset({N8N_BASE + "httpRequestTool"})


def tool_variant_base(node_type: str) -> str | None:
    """`n8n-nodes-base.postgresTool` → `n8n-nodes-base.postgres`; None for any other type."""
    if node_type in _NATIVE or not node_type.startswith(N8N_BASE) or not node_type.endswith("Tool"):
        return None
    base = node_type.removesuffix("Tool")
    return base if len(base) > len(N8N_BASE) else None


__all__ = ["tool_variant_base"]
