"""File nodes: binary data in and out of items (Extract from File, Convert to File, Spreadsheet File,
Move Binary Data, Compression, Read/Write Files from Disk, Read/Write Binary File(s)).

They reach bytes through ``run.extras["binary"]`` (an ``ExecutionBinary`` the activity provides),
so they always run as activities, never inline in workflow code.
"""

from __future__ import annotations

from n8n_runtime.nodes.base import NodeFunction
from n8n_runtime.nodes.files.compression import run_compression
from n8n_runtime.nodes.files.convert_to_file import run_convert_to_file
from n8n_runtime.nodes.files.disk import (
    run_read_binary_file,
    run_read_binary_files,
    run_read_write_file,
    run_write_binary_file,
)
from n8n_runtime.nodes.files.extract_from_file import run_extract_from_file
from n8n_runtime.nodes.files.move_binary_data import run_move_binary_data
from n8n_runtime.nodes.files.spreadsheet_file import run_spreadsheet_file

_BASE = "n8n-nodes-base."

FILE_NODES: dict[str, NodeFunction] = {
    _BASE + "extractFromFile": run_extract_from_file,
    _BASE + "convertToFile": run_convert_to_file,
    _BASE + "spreadsheetFile": run_spreadsheet_file,
    _BASE + "moveBinaryData": run_move_binary_data,
    _BASE + "compression": run_compression,
    _BASE + "readWriteFile": run_read_write_file,
    _BASE + "readBinaryFile": run_read_binary_file,
    _BASE + "readBinaryFiles": run_read_binary_files,
    _BASE + "writeBinaryFile": run_write_binary_file,
}

__all__ = ["FILE_NODES"]
