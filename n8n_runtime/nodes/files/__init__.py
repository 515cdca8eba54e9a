"""File nodes: binary data in and out of items (Extract from File, Convert to File, Spreadsheet File,
Move Binary Data, Compression, Read/Write Files from Disk, Read/Write Binary File(s)).

They reach bytes through ``run.extras["binary"]`` (an ``ExecutionBinary`` the activity provides),
so they always run as activities, never inline in workflow code.
"""

from __future__ import annotations

from n8n_runtime.nodes.base import NodeFunction
from n8n_runtime.nodes.files.convert_to_file import run_convert_to_file
from n8n_runtime.nodes.files.extract_from_file import run_extract_from_file

_BASE = "n8n-nodes-base."

FILE_NODES: dict[str, NodeFunction] = {
    _BASE + "extractFromFile": run_extract_from_file,
    _BASE + "convertToFile": run_convert_to_file,
}

__all__ = ["FILE_NODES"]
