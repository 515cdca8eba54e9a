"""LangChain's EPubLoader (n8n's `epubLoader`): one document per chapter of the book's reading order.

An EPUB is a zip: `META-INF/container.xml` names the package (OPF) file, whose spine lists the
chapters' XHTML files in reading order and whose NCX table of contents titles them. As LangChain
(epub2 + html-to-text) does, each spine entry becomes `{pageContent: <text>, metadata: {chapter}}`
(the title only where the table of contents has one), and the text is html-to-text's: blocks on
their own lines, paragraphs and headings set apart by a blank line, headings upper-cased, links
as `text [url]`, lines wrapped at 80 characters. Read with the standard library and selectolax
(already Hive's HTML parser); no EPUB package is needed.
"""

from __future__ import annotations

import io
import posixpath
import re
import textwrap
import zipfile
from typing import Any
from urllib.parse import unquote
from xml.etree import ElementTree

from selectolax.lexbor import LexborHTMLParser, LexborNode

from n8n_runtime.ai.text_splitter import Document
from n8n_runtime.nodes.base import NodeError

__all__ = ["epub_documents"]

_CONTAINER = "{urn:oasis:names:tc:opendocument:xmlns:container}"
_OPF = "{http://www.idpf.org/2007/opf}"
_NCX = "{http://www.daisy.org/z3986/2005/ncx/}"
# html-to-text's default line width.
WORDWRAP = 80
_BLOCKS = frozenset(
    "p div section article header footer aside nav blockquote pre table tr ul ol li dl dt dd figure "
    "figcaption address main h1 h2 h3 h4 h5 h6 hr".split()
)
_HEADINGS = frozenset("h1 h2 h3 h4 h5 h6".split())
_SKIPPED = frozenset({"head", "script", "style", "title"})
_SPACES = re.compile(r"\s+")


def _xml(archive: zipfile.ZipFile, name: str) -> ElementTree.Element:
    try:
        return ElementTree.fromstring(archive.read(name))
    except KeyError:
        raise NodeError(f"Could not read the EPub file: {name} is missing") from None
    except ElementTree.ParseError as error:
        raise NodeError(f"Could not read the EPub file: {name}: {error}") from None


def _titles(archive: zipfile.ZipFile, base: str, ncx: str | None) -> dict[str, str]:
    """Chapter file → title, from the NCX table of contents (the first navPoint naming a file)."""
    if ncx is None:
        return {}
    titles: dict[str, str] = {}
    for point in _xml(archive, ncx).iter(_NCX + "navPoint"):
        label = point.find(f"{_NCX}navLabel/{_NCX}text")
        content = point.find(_NCX + "content")
        if label is None or content is None:
            continue
        target = posixpath.normpath(posixpath.join(base, unquote(content.get("src", "").split("#")[0])))
        titles.setdefault(target, (label.text or "").strip())
    return titles


def _chapters(archive: zipfile.ZipFile) -> list[tuple[str, str | None]]:
    """(chapter file, title) in spine order."""
    rootfile = _xml(archive, "META-INF/container.xml").find(f".//{_CONTAINER}rootfile")
    if rootfile is None or not rootfile.get("full-path"):
        raise NodeError("Could not read the EPub file: container.xml names no package file")
    opf_path = str(rootfile.get("full-path"))
    base = posixpath.dirname(opf_path)
    package = _xml(archive, opf_path)
    manifest = {
        item.get("id"): item for item in package.iter(_OPF + "item") if item.get("id") and item.get("href")
    }
    spine = package.find(_OPF + "spine")
    toc_id = spine.get("toc") if spine is not None else None
    ncx_item = manifest.get(toc_id) if toc_id else None
    ncx = (
        posixpath.normpath(posixpath.join(base, unquote(ncx_item.get("href", ""))))
        if ncx_item is not None
        else None
    )
    titles = _titles(archive, posixpath.dirname(ncx or opf_path), ncx)
    chapters = []
    for ref in spine.iter(_OPF + "itemref") if spine is not None else []:
        item = manifest.get(ref.get("idref"))
        if item is None:
            continue  # epub2 skips a spine entry without a manifest item
        path = posixpath.normpath(posixpath.join(base, unquote(item.get("href", ""))))
        chapters.append((path, titles.get(path) or None))
    return chapters


class _Text:
    """html-to-text's block layout: text runs, and blank-line breaks between blocks."""

    def __init__(self) -> None:
        self.blocks: list[str] = []
        self.run: list[str] = []

    def flush(self) -> None:
        text = _SPACES.sub(" ", "".join(self.run)).strip()
        if text:
            self.blocks.append(text)
        self.run = []

    def walk(self, node: LexborNode, upper: bool = False) -> None:
        child = node.child
        while child is not None:
            self._visit(child, upper)
            child = child.next

    def _visit(self, node: LexborNode, upper: bool) -> None:
        tag = node.tag
        if tag == "-text":
            text = node.text_content or ""
            self.run.append(text.upper() if upper else text)
        elif tag == "br":
            self.flush()
        elif tag == "img":
            alt = (node.attributes.get("alt") or "").strip()
            if alt:
                self.run.append(f"[{alt}]")
        elif tag == "a":
            before = len(self.run)
            self.walk(node, upper)
            href = (node.attributes.get("href") or "").strip()
            shown = "".join(self.run[before:]).strip()
            if href and not href.startswith("#") and href != shown:
                self.run.append(f" [{href}]")
        elif tag in _SKIPPED or tag == "_comment":
            return
        elif tag in _BLOCKS:
            self.flush()
            self.walk(node, upper or tag in _HEADINGS)
            self.flush()
        else:
            self.walk(node, upper)


def html_to_text(html: str) -> str:
    """The chapter's text, laid out as html-to-text does by default (see the module docstring)."""
    tree = LexborHTMLParser(html)
    body = tree.body or tree.root
    if body is None:
        return ""
    text = _Text()
    text.walk(body)
    text.flush()
    return "\n\n".join(textwrap.fill(block, WORDWRAP, break_long_words=False) for block in text.blocks)


def epub_documents(content: bytes, base: dict[str, Any]) -> list[Document]:
    """One document per chapter with text (LangChain's EPubLoader with splitChapters, n8n's default)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except zipfile.BadZipFile as error:
        raise NodeError(f"Could not read the EPub file: {error}") from None
    documents = []
    with archive:
        for path, title in _chapters(archive):
            try:
                html = archive.read(path).decode("utf-8", errors="replace")
            except KeyError:
                continue  # a chapter missing from the zip has no raw text: LangChain drops it
            metadata = {**base, **({"chapter": title} if title else {})}
            documents.append(Document(html_to_text(html), metadata))
    return documents
