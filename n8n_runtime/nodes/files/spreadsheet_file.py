"""Spreadsheet File (``n8n-nodes-base.spreadsheetFile`` v1, v2): read rows from or write items to a file."""

from __future__ import annotations

from n8n_runtime.nodes.base import NodeError, NodeOutput, NodeRun
from n8n_runtime.nodes.data._fields import options as node_options
from n8n_runtime.nodes.data._fields import param
from n8n_runtime.nodes.files._binary import binary_handle, failed_item
from n8n_runtime.nodes.files._from_file import spreadsheet_from_file
from n8n_runtime.nodes.files.convert_to_file import spreadsheet_binary

__all__ = ["run_spreadsheet_file"]


def run_spreadsheet_file(run: NodeRun) -> NodeOutput:
    operation = str(param(run, "operation", 0, "fromFile"))
    if operation == "fromFile":
        legacy = run.node.type_version < 2
        return [spreadsheet_from_file(run, "fileFormat", "autodetect", legacy=legacy)]
    if operation != "toFile":
        raise NodeError(f"The operation '{operation}' is not supported!")
    paired = [{"item": i} for i in range(len(run.items))]
    try:
        file_format = str(param(run, "fileFormat", 0, "xls"))
        prop = str(param(run, "binaryPropertyName", 0, "data"))
        data = spreadsheet_binary(
            binary_handle(run), run.items, file_format, node_options(run, 0), "spreadsheet"
        )
        return [[{"json": {}, "binary": {prop: data}, "pairedItem": paired}]]
    except Exception as error:
        return [[failed_item(run, error, paired)]]
