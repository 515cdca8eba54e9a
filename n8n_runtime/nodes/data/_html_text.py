"""HTML → plain text the way n8n's HTML node (v1.2+) calls `html-to-text` (`wordwrap: null`).

A small walk over the parsed tree implementing the library's defaults that matter for
extraction: only `<body>` is rendered, whitespace collapses, block elements are separated by
their leading/trailing line breaks (the larger wins), headings are upper-cased, links render as
`text [href]` and images as `alt [src]`, and elements matching "skip selectors" are dropped.
"""

from __future__ import annotations

import re
from typing import Any

from bs4 import BeautifulSoup
from bs4.element import Comment, Doctype, NavigableString, ProcessingInstruction, Tag

# element → (leading, trailing) line breaks, html-to-text's defaults
_BLOCKS: dict[str, tuple[int, int]] = {
    "p": (2, 2), "h1": (3, 2), "h2": (2, 2), "h3": (2, 2), "h4": (2, 2), "h5": (2, 2), "h6": (2, 2),
    "blockquote": (2, 2), "pre": (2, 2), "ul": (2, 2), "ol": (2, 2), "table": (2, 2), "hr": (2, 2),
    "div": (1, 1), "article": (1, 1), "aside": (1, 1), "footer": (1, 1), "form": (1, 1),
    "header": (1, 1), "main": (1, 1), "nav": (1, 1), "section": (1, 1), "li": (1, 1), "tr": (1, 1),
    "figure": (1, 1), "address": (1, 1), "dl": (1, 1), "dt": (1, 1), "dd": (1, 1),
}  # fmt: skip
_SKIPPED = frozenset({"script", "style", "head", "title", "noscript", "template"})
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})


class _Writer:
    def __init__(self) -> None:
        self.out: list[str] = []
        self.inline: list[str] = []
        self.pending = 0

    def text(self, value: str) -> None:
        self.inline.append(value)

    def flush(self) -> None:
        text = re.sub(r"\s+", " ", "".join(self.inline)).strip()
        self.inline = []
        if not text:
            return
        if self.out:
            self.out.append("\n" * max(self.pending, 0))
        self.out.append(text)
        self.pending = 0

    def block(self, breaks: int) -> None:
        self.flush()
        if self.out:
            self.pending = max(self.pending, breaks)

    def result(self) -> str:
        self.flush()
        return "".join(self.out)


def html_to_text(html: str, skip_selectors: list[str] | None = None) -> str:
    """`convert(html, {wordwrap: null, selectors: [{selector, format: 'skip'}...]})`."""
    soup = BeautifulSoup(html, "html5lib")
    return elements_to_text([soup.body or soup], skip_selectors)


def elements_to_text(elements: list[Tag], skip_selectors: list[str] | None = None) -> str:
    """The same for already parsed elements (n8n serialises them and parses again; walking
    them directly gives the same text without the second parse). `<html>` renders its body."""
    skipped: set[int] = set()
    for element in elements:
        for selector in skip_selectors or []:
            skipped.update(id(tag) for tag in element.select(selector))
            if element.css.match(selector):
                skipped.add(id(element))
    writer = _Writer()
    for element in elements:
        if id(element) in skipped:
            continue
        if element.name == "html":
            body = element.find("body")
            if isinstance(body, Tag):
                _walk(body, writer, skipped, upper=False)
            continue
        if element.name == "body":
            _walk(element, writer, skipped, upper=False)
            continue
        holder = _Holder(element)
        _walk(holder, writer, skipped, upper=False)
    return writer.result()


class _Holder:
    """A parent with one child, so the walk renders the element itself (its block breaks too)."""

    def __init__(self, element: Tag) -> None:
        self.children = [element]


def _inline_text(tag: Tag, skipped: set[int], upper: bool) -> str:
    inner = _Writer()
    _walk(tag, inner, skipped, upper)
    return inner.result()


def _walk(node: Tag | _Holder, writer: _Writer, skipped: set[int], upper: bool) -> None:
    for child in node.children:
        if isinstance(child, Comment | Doctype | ProcessingInstruction):
            continue
        if isinstance(child, NavigableString):
            writer.text(child.upper() if upper else str(child))
            continue
        if not isinstance(child, Tag) or id(child) in skipped or child.name in _SKIPPED:
            continue
        _element(child, writer, skipped, upper)


def _element(tag: Tag, writer: _Writer, skipped: set[int], upper: bool) -> None:
    name = tag.name
    if name == "br":
        writer.block(1)
        return
    if name == "img":
        alt, src = _attr(tag, "alt"), _attr(tag, "src")
        writer.text(" ".join(part for part in (alt, f"[{src}]" if src else "") if part))
        return
    if name == "a":
        text = _inline_text(tag, skipped, upper)
        href = _attr(tag, "href")
        if href and href != text and not href.startswith("#"):
            writer.text(f"{text} [{href}]" if text else f"[{href}]")
        else:
            writer.text(text)
        return
    breaks = _BLOCKS.get(name)
    if breaks is None:
        _walk(tag, writer, skipped, upper)
        return
    writer.block(breaks[0])
    if name == "li":
        writer.text(" * ")
    _walk(tag, writer, skipped, upper or name in _HEADINGS)
    writer.block(breaks[1])


def _attr(tag: Tag, name: str) -> str:
    value: Any = tag.get(name)
    if isinstance(value, list):
        return " ".join(value)
    return str(value) if value is not None else ""


__all__ = ["html_to_text"]
