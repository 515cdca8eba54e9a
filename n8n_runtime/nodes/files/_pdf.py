"""PDF text as n8n's ``extractDataFromPDF`` gives it (pdf.js there, pypdf here).

Output ``{numpages, numrender, info, metadata, text, version}``: ``info`` is the document
information dictionary with pdf.js's ``PDFFormatVersion``/``Is*`` keys, ``text`` the pages joined
with a blank line (or the list of pages when ``joinPages`` is off), ``numrender`` the pages read
(``maxPages``). ``version`` names the reader (pypdf's version, not pdf.js's).
"""

from __future__ import annotations

import io
import logging
from typing import Any

import pypdf
from pypdf.errors import FileNotDecryptedError, PdfReadError

from n8n_runtime.nodes.base import NodeError

__all__ = ["PdfPages", "read_pdf", "pdf_data"]

# pypdf logs every recoverable oddity of a PDF at WARNING; they are not Hive's problem.
logging.getLogger("pypdf").setLevel(logging.ERROR)


class PdfPages:
    """One opened PDF: page texts and its information dictionary."""

    def __init__(self, reader: pypdf.PdfReader) -> None:
        self.reader = reader

    @property
    def count(self) -> int:
        return len(self.reader.pages)

    def text(self, index: int) -> str:
        return self.reader.pages[index].extract_text() or ""

    def info(self) -> dict[str, Any]:
        header = self.reader.pdf_header.removeprefix("%PDF-")
        root = self.reader.trailer.get("/Root")
        info: dict[str, Any] = {
            "PDFFormatVersion": header,
            "IsAcroFormPresent": bool(root is not None and "/AcroForm" in root),
            "IsXFAPresent": bool(self.reader.xfa),
        }
        for key, value in (self.reader.metadata or {}).items():
            info[str(key).lstrip("/")] = str(value)
        return info


def read_pdf(content: bytes, password: str | None = None) -> PdfPages:
    """Open a PDF; pdf.js's error texts for a broken file or a wrong/missing password."""
    try:
        reader = pypdf.PdfReader(io.BytesIO(content))
        if reader.is_encrypted:
            if not password:
                raise NodeError("No password given")
            if not reader.decrypt(password):
                raise NodeError("Incorrect Password")
        _ = len(reader.pages)  # the page tree: a broken one fails here, not later
    except (PdfReadError, FileNotDecryptedError, ValueError, KeyError, TypeError) as error:
        raise NodeError("Invalid PDF structure.") from error
    return PdfPages(reader)


def pdf_data(
    content: bytes, *, password: str | None = None, max_pages: int | None = None, join_pages: bool = True
) -> dict[str, Any]:
    """n8n's extractDataFromPDF result for one file."""
    pdf = read_pdf(content, password)
    to_read = pdf.count
    if max_pages is not None and 0 < max_pages < pdf.count:
        to_read = max_pages
    pages = [] if max_pages == 0 else [pdf.text(i) for i in range(to_read)]
    return {
        "numpages": pdf.count,
        "numrender": len(pages),
        "info": pdf.info(),
        "metadata": None,
        "text": "\n\n".join(pages) if join_pages else pages,
        "version": f"pypdf-{pypdf.__version__}",
    }
