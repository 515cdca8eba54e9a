"""Reading CSV (csv-parse's rules) and spreadsheets (XLSX/XLS/ODS via python-calamine, HTML, RTF).

python-calamine reads all three binary spreadsheet formats with one fast Rust reader; HTML and RTF
tables (what SheetJS writes) are parsed here.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from html.parser import HTMLParser
from typing import Any

from n8n_runtime.nodes.files._table import Cell

__all__ = ["CsvOptions", "parse_csv", "read_sheets", "sniff_format"]

_EXCEL_EPOCH = dt.datetime(1899, 12, 30)


class CsvOptions:
    def __init__(self, options: dict[str, Any]) -> None:
        self.delimiter = str(options.get("delimiter") or ",")
        self.from_line = int(options.get("fromLine") or 1)
        max_rows = options.get("maxRowCount")
        self.max_rows = int(max_rows) if max_rows not in (None, "") and int(max_rows) > -1 else None
        self.bom = bool(options.get("enableBOM"))
        self.header_row = options.get("headerRow", True) is not False
        self.include_empty = bool(options.get("includeEmptyCells"))
        self.relax_quotes = bool(options.get("relaxQuotes"))
        self.encoding = str(options.get("encoding") or "utf-8")


def parse_csv(data: bytes, options: CsvOptions) -> list[Any]:
    """csv-parse with n8n's options: records as objects (header row) or arrays."""
    text = data.decode(_py_encoding(options.encoding), errors="replace")
    if options.bom and text.startswith("\ufeff"):
        text = text[1:]
    reader = csv.reader(
        io.StringIO(text, newline=""), delimiter=options.delimiter, strict=not options.relax_quotes
    )
    records: list[Any] = []
    columns: list[str] | None = None
    try:
        for line_no, record in enumerate(reader, start=1):
            if line_no < options.from_line:
                continue
            if options.header_row and columns is None:
                columns = record
                continue
            if columns is not None:
                if len(record) != len(columns):
                    raise ValueError(
                        f"Invalid Record Length: columns length is {len(columns)}, "
                        f"got {len(record)} on line {reader.line_num}"
                    )
                row: Any = dict(zip(columns, record, strict=True))
                if not options.include_empty:
                    row = {k: v for k, v in row.items() if v != ""}
            else:
                row = record if options.include_empty else [v for v in record if v != ""]
            records.append(row)
            if options.max_rows is not None and len(records) >= options.max_rows:
                break
    except csv.Error as error:
        raise ValueError(f"Invalid Closing Quote: {error} on line {reader.line_num}") from error
    return records


def _py_encoding(name: str) -> str:
    aliases = {
        "utf8": "utf-8",
        "ucs2": "utf-16-le",
        "utf16le": "utf-16-le",
        "latin1": "latin-1",
        "binary": "latin-1",
    }
    return aliases.get(name.lower().replace("-", ""), name)


def sniff_format(data: bytes) -> str:
    """What SheetJS's ``read`` would take the bytes for."""
    if data.startswith(b"PK\x03\x04"):
        return "ods" if b"opendocument.spreadsheet" in data[:200] else "xlsx"
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        return "xls"
    head = data[:64].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"{\\rtf"):
        return "rtf"
    if head.startswith(b"<"):
        return "html"
    return "csv"


def _excel_value(value: Any) -> Cell:
    # SheetJS (cellDates off) gives dates as Excel serial numbers.
    if isinstance(value, dt.datetime):
        delta = value - _EXCEL_EPOCH
        return _number(delta.days + delta.seconds / 86400 + delta.microseconds / 86_400_000_000)
    if isinstance(value, dt.date):
        return (value - _EXCEL_EPOCH.date()).days
    if isinstance(value, dt.time):
        return _number((value.hour * 3600 + value.minute * 60 + value.second) / 86400)
    if isinstance(value, dt.timedelta):
        return _number(value.total_seconds() / 86400)
    if isinstance(value, float):
        return _number(value)
    if value == "":
        return None
    return value  # type: ignore[no-any-return]


def _number(value: float) -> int | float:
    return int(value) if value.is_integer() and abs(value) < 2**53 else value


def _calamine(data: bytes) -> dict[str, list[list[Cell]]]:
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception as error:  # calamine raises its own error types per format
        raise ValueError(f"File is not a valid spreadsheet: {error}") from error
    sheets: dict[str, list[list[Cell]]] = {}
    for name in workbook.sheet_names:
        rows = workbook.get_sheet_by_name(name).to_python(skip_empty_area=True)
        sheets[name] = [[_excel_value(v) for v in row] for row in rows]
    return sheets


def _guess(text: str) -> Cell:
    """SheetJS's guess for untyped text cells (numbers and booleans)."""
    stripped = text.strip()
    if re.fullmatch(r"[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?", stripped):
        return _number(float(stripped))
    if stripped.upper() in ("TRUE", "FALSE"):
        return stripped.upper() == "TRUE"
    return text if text != "" else None


class _TableParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[list[Cell]] = []
        self._cell: list[str] | None = None
        self._attrs: dict[str, str | None] = {}
        self._in_table = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self._in_table += 1
        elif tag == "tr" and self._in_table:
            self.rows.append([])
        elif tag in ("td", "th") and self.rows:
            self._cell, self._attrs = [], dict(attrs)
        elif tag == "br" and self._cell is not None:
            self._cell.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append(self._typed("".join(self._cell)))
            self._cell = None
        elif tag == "table":
            self._in_table -= 1

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)

    def _typed(self, text: str) -> Cell:
        kind, raw = self._attrs.get("data-t"), self._attrs.get("data-v")
        if kind == "n" and raw is not None:
            return _number(float(raw))
        if kind == "b" and raw is not None:
            return raw.lower() in ("true", "1")
        if kind == "s":
            return text if text != "" else None
        return _guess(text)


def _html(data: bytes) -> dict[str, list[list[Cell]]]:
    parser = _TableParser()
    parser.feed(data.decode("utf-8", errors="replace"))
    return {"Sheet1": parser.rows}


_RTF_CONTROL = re.compile(r"\\u(-?\d+)\??|\\'([0-9a-fA-F]{2})|\\([\\{}])|\\[a-z]+-?\d* ?|[{}]")


def _rtf_plain(fragment: str) -> str:
    def replace(match: re.Match[str]) -> str:
        if match.group(1):
            code = int(match.group(1))
            return chr(code + 65536 if code < 0 else code)
        if match.group(2):
            return bytes.fromhex(match.group(2)).decode("latin-1")
        if match.group(3):
            return match.group(3)
        return ""

    return _RTF_CONTROL.sub(replace, fragment)


def _rtf(data: bytes) -> dict[str, list[list[Cell]]]:
    text = data.decode("latin-1")
    rows: list[list[Cell]] = []
    for row in re.findall(r"\\trowd(.*?)\\row\b", text, flags=re.S):
        cells = re.split(r"\\cell\b(?!x)", row)[:-1]
        values: list[Cell] = []
        for cell in cells:
            body = cell.split("\\intbl", 1)[-1] if "\\intbl" in cell else re.sub(r"\\cellx\d+", "", cell)
            values.append(_guess(_rtf_plain(body).strip()))
        rows.append(values)
    return {"Sheet1": rows}


def read_sheets(data: bytes, file_format: str, *, raw: bool = False) -> dict[str, list[list[Cell]]]:
    """Sheets of a workbook, name → rows of typed cells (first sheet first); ``raw`` keeps CSV text."""
    if file_format == "autodetect":
        file_format = sniff_format(data)
    if file_format == "html":
        return _html(data)
    if file_format == "rtf":
        return _rtf(data)
    if file_format == "csv":
        text = data.decode("utf-8", errors="replace").removeprefix("\ufeff")
        rows = csv.reader(io.StringIO(text))
        return {"Sheet1": [[(v or None) if raw else _guess(v) for v in row] for row in rows]}
    return _calamine(data)
