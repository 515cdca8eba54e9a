"""HTML → plain text the way n8n's HTML node (v1.2+) calls `html-to-text` (`wordwrap: null`).

A small walk over the parsed tree implementing the library's defaults that matter for
extraction: only `<body>` is rendered, whitespace collapses, block elements are separated by
their leading/trailing line breaks (the larger wins), headings are upper-cased, links render as
`text [href]` and images as `alt [src]`, and elements matching "skip selectors" are dropped.
n8n serialises the selected elements and parses them again; walking them directly gives the
same text without the second parse.
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborNode

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
            self.out.append("\n" * self.pending)
        self.out.append(text)
        self.pending = 0

    def block(self, breaks: int) -> None:
        self.flush()
        if self.out:
            self.pending = max(self.pending, breaks)

    def result(self) -> str:
        self.flush()
        return "".join(self.out)


def elements_to_text(elements: list[LexborNode], skip_selectors: list[str] | None = None) -> str:
    """`convert(html, {wordwrap: null, selectors: [{selector, format: 'skip'}...]})`;
    an `<html>` element renders its body."""
    skipped: set[int] = set()
    for element in elements:
        for selector in skip_selectors or []:
            skipped.update(node.mem_id for node in element.css(selector))
            # The element itself (lexbor's `css_matches` also answers for descendants).
            parent = element.parent
            if parent is not None and any(n.mem_id == element.mem_id for n in parent.css(selector)):
                skipped.add(element.mem_id)
    writer = _Writer()
    for element in elements:
        if element.mem_id in skipped:
            continue
        if element.tag == "html":
            body = element.css_first("body")
            if body is not None:
                _walk(body, writer, skipped, upper=False)
        elif element.tag == "body":
            _walk(element, writer, skipped, upper=False)
        else:
            _element(element, writer, skipped, upper=False)
    return writer.result()


def _inline_text(node: LexborNode, skipped: set[int], upper: bool) -> str:
    inner = _Writer()
    _walk(node, inner, skipped, upper)
    return inner.result()


def _walk(node: LexborNode, writer: _Writer, skipped: set[int], upper: bool) -> None:
    for child in node.iter(include_text=True):
        tag = child.tag or ""
        if tag == "-text":
            text = child.text_content or ""
            writer.text(text.upper() if upper else text)
        elif tag[:1] not in ("-", "_", "!") and child.mem_id not in skipped and tag not in _SKIPPED:
            _element(child, writer, skipped, upper)


def _element(node: LexborNode, writer: _Writer, skipped: set[int], upper: bool) -> None:
    name = node.tag or ""
    attrs = node.attributes
    if name == "br":
        writer.block(1)
        return
    if name == "img":
        alt, src = attrs.get("alt") or "", attrs.get("src") or ""
        writer.text(" ".join(part for part in (alt, f"[{src}]" if src else "") if part))
        return
    if name == "a":
        text = _inline_text(node, skipped, upper)
        href = attrs.get("href") or ""
        if href and href != text and not href.startswith("#"):
            writer.text(f"{text} [{href}]" if text else f"[{href}]")
        else:
            writer.text(text)
        return
    breaks = _BLOCKS.get(name)
    if breaks is None:
        _walk(node, writer, skipped, upper)
        return
    writer.block(breaks[0])
    if name == "li":
        writer.text(" * ")
    _walk(node, writer, skipped, upper or name in _HEADINGS)
    writer.block(breaks[1])


__all__ = ["elements_to_text"]
