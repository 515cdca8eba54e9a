"""The two conversions of n8n's Markdown node, shaped like the libraries n8n uses.

- Markdown → HTML (showdown): markdown-it renders CommonMark; showdown's defaults are then
  applied on the token stream: header ids (`text` without non-word characters, lower-cased,
  `-1`, `-2` for repeats), `...` → `…`, no trailing newline, and the complete-document wrapper.
- HTML → Markdown (node-html-markdown): a walk of the lexbor (parse5-like) tree with its block spacing
  (blank line between blocks, collapsed whitespace, trailing whitespace trimmed), `#` headings,
  `[text](href)` links, `**`/`_` emphasis, `*`/`1.` lists, fenced code and `>` quotes.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from markdown_it import MarkdownIt
from selectolax.lexbor import LexborHTMLParser, LexborNode

_DOCUMENT = '<!DOCTYPE HTML>\n<html>\n<head>\n<meta charset="utf-8">\n</head>\n<body>\n{}\n</body>\n</html>'


@lru_cache(maxsize=4)
def _parser(tables: bool, strikethrough: bool) -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": True})
    if tables:
        md.enable("table")
    if strikethrough:
        md.enable("strikethrough")
    return md


def markdown_to_html(text: str, opts: dict[str, Any]) -> str:
    """showdown's `makeHtml` with the node's options (the common ones)."""
    md = _parser(bool(opts.get("tables")), bool(opts.get("strikethrough")))
    tokens = md.parse(text)
    seen: dict[str, int] = {}
    for index, token in enumerate(tokens):
        if token.type == "inline" and token.children:
            for child in token.children:
                if child.type == "text" and opts.get("ellipsis", True):
                    child.content = child.content.replace("...", "…")
        if token.type == "heading_open" and not opts.get("noHeaderId"):
            inline = tokens[index + 1]
            header_id = _header_id(inline.content, seen, str(opts.get("prefixHeaderId", "") or ""))
            token.attrSet("id", header_id)
        if token.type == "heading_open" and opts.get("headerLevelStart"):
            level = min(6, int(token.tag[1]) + int(opts["headerLevelStart"]) - 1)
            token.tag = f"h{level}"
            tokens[_closing(tokens, index)].tag = f"h{level}"
    html = md.renderer.render(tokens, md.options, {}).rstrip("\n")
    return _DOCUMENT.format(html) if opts.get("completeHTMLDocument") else html


def _closing(tokens: list[Any], start: int) -> int:
    for index in range(start + 1, len(tokens)):
        if tokens[index].type == "heading_close":
            return index
    return start


def _header_id(text: str, seen: dict[str, int], prefix: str) -> str:
    plain = re.sub(r"[*_`\[\]()#]", "", text)
    base = prefix + re.sub(r"[^\w]", "", plain).lower()
    count = seen.get(base, 0)
    seen[base] = count + 1
    return base if count == 0 else f"{base}-{count}"


_BLOCK = frozenset(
    {"p", "div", "section", "article", "header", "footer", "main", "nav", "aside", "figure", "form",
     "table", "address", "dl", "fieldset"}
)  # fmt: skip
_SKIP = frozenset({"head", "script", "style", "title", "meta", "link", "noscript", "template"})


class _Out:
    def __init__(self, replacements: list[tuple[re.Pattern[str], str]]) -> None:
        self.text = ""
        self.pending_break = False
        self.replacements = replacements

    def write(self, value: str) -> None:
        if self.pending_break:
            if not value.strip():
                return  # whitespace between blocks
            self.text = self.text.rstrip(" ") if self.text.endswith("\n") else self.text
            if self.text:
                self.text += "\n\n"
            self.pending_break = False
            value = value.lstrip()
        if self.text.endswith((" ", "\n")) and value.startswith(" "):
            value = value.lstrip(" ")
        self.text += value

    def block(self) -> None:
        if self.text and not self.pending_break:
            self.pending_break = True


def html_to_markdown(html: str, opts: dict[str, Any]) -> str:
    """node-html-markdown's `translate` with the node's ignore and text-replace options."""
    replacements = [
        (re.compile(str(r.get("pattern", ""))), str(r.get("replacement", "")))
        for r in (opts.get("textReplace") or {}).get("values", [])
        if r.get("pattern")
    ]
    ignore = opts.get("ignore")
    names = str(ignore).split(",") if isinstance(ignore, str) else [str(t) for t in ignore or []]
    # node-html-markdown matches ignored names against upper-case tag names as given: n8n's
    # own test ignores "h1" and still gets the heading, so only upper-case names take effect.
    ignored = {name.strip().lower() for name in names if name.strip() and name.strip().isupper()}
    tree = LexborHTMLParser(html)
    out = _Out(replacements)
    if tree.root is not None:
        _walk(tree.root, out, ignored)
    return out.text.rstrip()


def _text(value: str, out: _Out) -> str:
    text = re.sub(r"\s+", " ", value)
    for pattern, replacement in out.replacements:
        text = pattern.sub(replacement, text)
    return re.sub(r"([\\`*_\[\]])", r"\\\1", text) if text.strip() else text


def _inline(tag: LexborNode, ignored: set[str], out: _Out) -> str:
    inner = _Out(out.replacements)
    _walk(tag, inner, ignored)
    return inner.text.strip()


def _walk(parent: LexborNode, out: _Out, ignored: set[str]) -> None:
    for node in parent.iter(include_text=True):
        name = node.tag or ""
        if name == "-text":
            out.write(_text(node.text_content or "", out))
        elif name[:1] not in ("-", "_", "!") and name not in _SKIP and name not in ignored:
            _element(node, out, ignored)


def _element(tag: LexborNode, out: _Out, ignored: set[str]) -> None:
    name = tag.tag or ""
    attrs = tag.attributes
    if re.fullmatch(r"h[1-6]", name):
        out.block()
        out.write("#" * int(name[1]) + " " + _inline(tag, ignored, out))
        out.block()
    elif name == "a":
        text, href = _inline(tag, ignored, out), attrs.get("href")
        out.write(f"[{text}]({href})" if href else text)
    elif name in ("strong", "b"):
        out.write(f"**{_inline(tag, ignored, out)}**")
    elif name in ("em", "i"):
        out.write(f"_{_inline(tag, ignored, out)}_")
    elif name in ("del", "s", "strike"):
        out.write(f"~~{_inline(tag, ignored, out)}~~")
    elif name == "code":
        out.write(f"`{tag.text()}`")
    elif name == "br":
        out.write("  \n")
    elif name == "hr":
        out.block()
        out.write("---")
        out.block()
    elif name == "img":
        out.write(f"![{attrs.get('alt') or ''}]({attrs.get('src') or ''})")
    elif name == "pre":
        out.block()
        out.write("```\n" + tag.text().strip("\n") + "\n```")
        out.block()
    elif name in ("ul", "ol"):
        out.block()
        items = [li for li in tag.iter() if li.tag == "li"]
        lines = [
            (f"{number}. " if name == "ol" else "* ") + _inline(li, ignored, out)
            for number, li in enumerate(items, start=1)
        ]
        out.write("\n".join(lines))
        out.block()
    elif name == "blockquote":
        out.block()
        out.write("\n".join("> " + line for line in _inline(tag, ignored, out).splitlines()))
        out.block()
    elif name in _BLOCK:
        out.block()
        _walk(tag, out, ignored)
        out.block()
    else:
        _walk(tag, out, ignored)


__all__ = ["html_to_markdown", "markdown_to_html"]
