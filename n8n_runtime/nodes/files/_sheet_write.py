"""Writing a table as CSV, HTML, RTF, ODS, XLSX or XLS the way SheetJS ``write`` lays it out.

openpyxl writes XLSX (the maintained pure-Python OOXML writer), xlwt writes BIFF8 XLS (the only
pure-Python XLS writer), and CSV/HTML/RTF/ODS are small enough to write here.
"""

from __future__ import annotations

import html
import io
import zipfile
from xml.sax.saxutils import escape, quoteattr

from n8n_runtime.nodes.files._table import Cell, cell_text, js_number

__all__ = ["write_table"]


def _csv(table: list[list[Cell]], delimiter: str) -> bytes:
    lines = []
    for row in table:
        fields = []
        for value in row:
            text = cell_text(value)
            if text == "ID" or any(c in text for c in (delimiter, '"', "\n", "\r")):
                text = '"' + text.replace('"', '""') + '"'
            fields.append(text)
        lines.append(delimiter.join(fields))
    # SheetJS prefixes CSV buffers with a UTF-8 byte order mark.
    return ("\ufeff" + "\n".join(lines)).encode("utf-8")


def _column(index: int) -> str:
    name = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        name = chr(65 + rem) + name
    return name


def _html(table: list[list[Cell]]) -> bytes:
    rows = []
    for r, row in enumerate(table):
        cells = []
        for c, value in enumerate(row):
            ref = f"{_column(c)}{r + 1}"
            if value is None:
                cells.append(f'<td id="sjs-{ref}"></td>')
                continue
            kind = "b" if isinstance(value, bool) else "n" if isinstance(value, int | float) else "s"
            raw = cell_text(value)
            text = html.escape(raw, quote=False).replace("\n", "<br/>")
            shown = "true" if value is True else "false" if value is False else raw
            cells.append(f'<td data-t="{kind}" data-v="{html.escape(shown)}" id="sjs-{ref}">{text}</td>')
        rows.append("<tr>" + "".join(cells) + "</tr>")
    body = "<table>" + "".join(rows) + "</table>"
    document = (
        '<html><head><meta charset="utf-8"/><title>SheetJS Table Export</title></head><body>'
        + body
        + "</body></html>"
    )
    return document.encode("utf-8")


def _rtf_text(text: str) -> str:
    out = []
    for ch in text:
        if ch in "\\{}":
            out.append("\\" + ch)
        elif ord(ch) > 127:
            out.append(f"\\u{ord(ch) if ord(ch) < 32768 else ord(ch) - 65536}?")
        else:
            out.append(ch)
    return "".join(out)


def _rtf(table: list[list[Cell]]) -> bytes:
    # SheetJS's sheet_to_rtf: one \trowd ... \row group per row, no line breaks.
    out = ["{\\rtf1\\ansi"]
    width = max((len(r) for r in table), default=0)
    cellx = "".join(f"\\cellx{c + 1}" for c in range(width))
    for row in table:
        padded = list(row) + [None] * (width - len(row))
        texts = ("" if v is None else " " + _rtf_text(cell_text(v)).replace("\n", "\\par ") for v in padded)
        cells = "".join(f"{text or ' '}\\cell" for text in texts)
        out.append(f"\\trowd\\trautofit1{cellx}\\pard\\intbl{cells}\\pard\\intbl\\row")
    out.append("}")
    return "".join(out).encode("latin-1", "replace")


_ODS_MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
    'manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:version="1.2" '
    'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
    "</manifest:manifest>"
)


def _ods(table: list[list[Cell]], sheet: str, compress: bool) -> bytes:
    rows = []
    for row in table:
        cells = []
        for value in row:
            if value is None:
                cells.append("<table:table-cell/>")
            elif isinstance(value, bool):
                flag = "true" if value else "false"
                cells.append(
                    f'<table:table-cell office:value-type="boolean" office:boolean-value="{flag}">'
                    f"<text:p>{cell_text(value)}</text:p></table:table-cell>"
                )
            elif isinstance(value, int | float):
                number = js_number(value)
                cells.append(
                    f'<table:table-cell office:value-type="float" office:value="{number}">'
                    f"<text:p>{number}</text:p></table:table-cell>"
                )
            else:
                cells.append(
                    f'<table:table-cell office:value-type="string"><text:p>{escape(value)}</text:p>'
                    "</table:table-cell>"
                )
        rows.append("<table:table-row>" + "".join(cells) + "</table:table-row>")
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f"<office:body><office:spreadsheet><table:table table:name={quoteattr(sheet)}>"
        + "".join(rows)
        + "</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    method = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        # ODF: the `mimetype` entry comes first and is never compressed.
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED)
        archive.writestr("META-INF/manifest.xml", _ODS_MANIFEST, method)
        archive.writestr("content.xml", content, method)
    return buffer.getvalue()


def _xlsx(table: list[list[Cell]], sheet: str) -> bytes:
    from openpyxl import Workbook

    # Write-only mode streams rows to the file: several times faster and flat in memory.
    workbook = Workbook(write_only=True)
    worksheet = workbook.create_sheet(sheet[:31])
    for row in table:
        worksheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _xls(table: list[list[Cell]], sheet: str) -> bytes:
    import xlwt

    workbook = xlwt.Workbook(encoding="utf-8")
    worksheet = workbook.add_sheet(sheet[:31])
    for r, row in enumerate(table):
        for c, value in enumerate(row):
            if value is not None:
                worksheet.write(r, c, value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def write_table(
    table: list[list[Cell]],
    file_format: str,
    *,
    sheet_name: str = "Sheet",
    delimiter: str = ",",
    compression: bool = False,
) -> bytes:
    """The file bytes of ``table`` in ``file_format`` (csv, html, rtf, ods, xlsx, xls)."""
    if file_format == "csv":
        return _csv(table, delimiter or ",")
    if file_format == "html":
        return _html(table)
    if file_format == "rtf":
        return _rtf(table)
    if file_format == "ods":
        return _ods(table, sheet_name, compression)
    if file_format == "xlsx":
        return _xlsx(table, sheet_name)
    if file_format == "xls":
        return _xls(table, sheet_name)
    raise ValueError(f"Unsupported file format '{file_format}'")
