"""Markdown node (``n8n-nodes-base.markdown`` v1): HTML → Markdown (default) or Markdown → HTML."""

from __future__ import annotations

from n8n_runtime.jsvalues import to_string
from n8n_runtime.nodes.base import Item, NodeError, NodeOutput, NodeRun
from n8n_runtime.nodes.data._fields import deep_copy, item_json, options, param, set_path
from n8n_runtime.nodes.data._markdown import html_to_markdown, markdown_to_html


def run_markdown(run: NodeRun) -> NodeOutput:
    """Convert `html` / `markdown` per item into `destinationKey` (default `data`)."""
    mode = param(run, "mode", 0, "htmlToMarkdown")
    if mode not in ("htmlToMarkdown", "markdownToHtml"):
        raise NodeError(f"The mode '{mode}' is not supported")
    output: list[Item] = []
    for index, item in enumerate(run.items):
        opts = options(run, index)
        destination = str(param(run, "destinationKey", index, "data"))
        if mode == "htmlToMarkdown":
            text = html_to_markdown(to_string(param(run, "html", index, "")), opts)
        else:
            text = markdown_to_html(to_string(param(run, "markdown", index, "")), opts)
        data = deep_copy(item_json(item))
        set_path(data, destination, text)
        output.append({"json": data, "pairedItem": {"item": index}})
    return [output]


__all__ = ["run_markdown"]
