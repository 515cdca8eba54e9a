"""Spreadsheet File v2 "fromFile", shared by Extract from File (CSV, HTML, RTF, ODS, XLS, XLSX)."""

from __future__ import annotations

import re
from typing import Any

from n8n_runtime.nodes.base import Item, NodeError, NodeRun
from n8n_runtime.nodes.data._fields import options as node_options
from n8n_runtime.nodes.data._fields import param
from n8n_runtime.nodes.files._binary import (
    assert_binary,
    binary_handle,
    continue_on_fail,
    error_item,
)
from n8n_runtime.nodes.files._sheet_read import CsvOptions, parse_csv, read_sheets
from n8n_runtime.nodes.files._table import Cell, rows_to_json

__all__ = ["spreadsheet_from_file"]


def _decode_cell(ref: str) -> tuple[int, int]:
    match = re.fullmatch(r"\$?([A-Za-z]+)\$?(\d+)", ref.strip())
    if not match:
        raise NodeError(f"Invalid range '{ref}'")
    col = 0
    for ch in match.group(1).upper():
        col = col * 26 + ord(ch) - 64
    return int(match.group(2)) - 1, col - 1


def _apply_range(rows: list[list[Cell]], value: Any) -> list[list[Cell]]:
    """SheetJS ``range``: a number skips that many rows, ``A1:C9`` cuts a rectangle."""
    if value in (None, ""):
        return rows
    text = str(value)
    if text.strip().lstrip("-").isdigit():
        return rows[int(text) :]
    start, _, end = text.partition(":")
    r0, c0 = _decode_cell(start)
    r1, c1 = _decode_cell(end) if end else (r0, c0)
    return [row[c0 : c1 + 1] for row in rows[r0 : r1 + 1]]


def spreadsheet_from_file(
    run: NodeRun, format_param: str, default_format: str = "", *, legacy: bool = False
) -> list[Item]:
    """Rows of each item's file as items (headers as keys, or ``{row: [...]}``).

    ``legacy`` (Spreadsheet File v1): CSV goes through SheetJS too (numbers typed unless
    ``rawData``), not through csv-parse.
    """
    binary = binary_handle(run)
    out: list[Item] = []
    for i, _item in enumerate(run.items):
        file_format = ""
        file_extension = None
        try:
            options = node_options(run, i)
            file_format = str(param(run, format_param, i, default_format) or default_format)
            prop = str(param(run, "binaryPropertyName", i, "data"))
            data = assert_binary(run, i, prop)
            file_extension = data.get("fileExtension")
            mime = data.get("mimeType")
            if (not legacy and file_format == "autodetect") and (
                mime == "text/csv" or (mime == "text/plain" and file_extension == "csv")
            ):
                file_format = "csv"
            content = binary.get_bytes(data)
            header_row = options.get("headerRow", True) is not False
            rows: list[Any]
            if file_format == "csv":
                rows = parse_csv(content, CsvOptions(options))
                if not header_row and not options.get("includeEmptyCells"):
                    # n8n drops empty cells with Object.entries, which turns a header-less
                    # record (an array) into an object keyed "0", "1", ...
                    rows = [
                        {str(k): v for k, v in enumerate(row) if v != ""} if isinstance(row, list) else row
                        for row in rows
                    ]
            else:
                sheets = read_sheets(content, file_format, raw=bool(options.get("rawData")))
                if not sheets:
                    raise NodeError("Spreadsheet does not have any sheets!", item_index=i)
                sheet = next(iter(sheets))
                wanted = options.get("sheetName")
                if wanted:
                    if wanted not in sheets:
                        raise NodeError(
                            f'Spreadsheet does not contain sheet called "{wanted}"!', item_index=i
                        )
                    sheet = wanted
                table = _apply_range(sheets[sheet], options.get("range"))
                rows = rows_to_json(
                    table, header_row=header_row, include_empty=bool(options.get("includeEmptyCells"))
                )
                if not rows:
                    continue
            for row in rows:
                out.append({"json": {"row": row} if not header_row else row, "pairedItem": {"item": i}})
        except Exception as error:
            message = getattr(error, "message", None) or str(error)
            description = getattr(error, "description", None)
            if file_extension and file_extension != file_format:
                message = f"The file selected in 'Input Binary Field' is not in {file_format} format"
                description = (
                    f"Try to change the operation or select a {file_format} file in 'Input Binary Field'"
                )
            if continue_on_fail(run):
                out.append(error_item(message, {"item": i}))
                continue
            raise NodeError(message, description=description, item_index=i) from error
    return out
