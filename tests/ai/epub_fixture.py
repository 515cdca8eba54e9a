"""A small EPUB 2 book built in memory: container, OPF (manifest, spine, NCX toc) and chapters."""

from __future__ import annotations

import io
import zipfile

CHAPTERS = [
    (
        "c1.xhtml",
        "Bees",
        "<h1>Bees</h1><p>Bees make <b>honey</b>.</p><p>See <a href='https://bees.example'>bees</a>.</p>",
    ),
    ("c2.xhtml", "Hives", "<h2>Hives</h2><ul><li>Wax</li><li>Comb</li></ul>"),
    # In the spine but not in the table of contents: a chapter without a title.
    ("notes.xhtml", None, "<p>Notes<br/>line two</p>"),
]


def epub_bytes() -> bytes:
    """The book: three chapters in spine order, two of them titled in the NCX."""
    manifest = "".join(
        f'<item id="i{n}" href="text/{href}" media-type="application/xhtml+xml"/>'
        for n, (href, _, _) in enumerate(CHAPTERS)
    )
    spine = "".join(f'<itemref idref="i{n}"/>' for n in range(len(CHAPTERS)))
    points = "".join(
        f'<navPoint id="p{n}"><navLabel><text>{title}</text></navLabel>'
        f'<content src="text/{href}"/></navPoint>'
        for n, (href, title, _) in enumerate(CHAPTERS)
        if title
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as book:
        book.writestr("mimetype", "application/epub+zip")
        book.writestr(
            "META-INF/container.xml",
            '<?xml version="1.0"?><container version="1.0" '
            'xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles>'
            '<rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/>'
            "</rootfiles></container>",
        )
        book.writestr(
            "OEBPS/content.opf",
            '<?xml version="1.0"?><package xmlns="http://www.idpf.org/2007/opf" version="2.0">'
            f'<manifest>{manifest}<item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/>'
            f'</manifest><spine toc="ncx">{spine}</spine></package>',
        )
        book.writestr(
            "OEBPS/toc.ncx",
            '<?xml version="1.0"?><ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" version="2005-1">'
            f"<navMap>{points}</navMap></ncx>",
        )
        for href, _, body in CHAPTERS:
            book.writestr(
                f"OEBPS/text/{href}",
                '<?xml version="1.0" encoding="utf-8"?><html xmlns="http://www.w3.org/1999/xhtml">'
                f"<head><title>x</title></head><body>{body}</body></html>",
            )
    return out.getvalue()
