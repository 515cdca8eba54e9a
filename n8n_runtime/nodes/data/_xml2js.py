"""xml2js (the library n8n's XML node uses) in Python: its Parser's object shape and its Builder.

The parser follows xml2js' sax callbacks (open tag → object with `#name` and text under the
char key, close tag → collapse text-only objects, `assignOrPush` into the parent) over the
stdlib's expat, so attributes, repeated tags, empty tags and mixed text come out as xml2js makes
them. The builder renders like xmlbuilder with xml2js' defaults (pretty, two-space indent, the
`standalone="yes"` declaration, a single top-level key becoming the root element).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from xml.parsers import expat

from n8n_runtime.jsvalues import to_string


@dataclass(frozen=True)
class ParserOptions:
    attrkey: str = "$"
    charkey: str = "_"
    explicit_array: bool = False
    explicit_root: bool = True
    ignore_attrs: bool = False
    merge_attrs: bool = True
    normalize: bool = False
    normalize_tags: bool = False
    trim: bool = False
    explicit_charkey: bool = False


class XmlSyntaxError(ValueError):
    """The text is not well-formed XML (message in sax's style: what, line, column)."""


# expat's wording → sax's (xml2js parses with sax in strict mode, whose messages n8n shows).
_SAX_MESSAGES = {
    "mismatched tag": "Unexpected close tag",
    "no element found": "Unclosed root tag",
    "junk after document element": "Text data outside of root node.",
    "syntax error": "Non-whitespace before first tag.",
    "unclosed token": "Unclosed root tag",
    "undefined entity": "Invalid character entity",
}
_NAME = "#name"
_CDATA = "#cdata"


def parse(text: str, opts: ParserOptions) -> Any:
    """`new xml2js.Parser(opts).parseStringPromise(text)`."""
    stack: list[dict[str, Any]] = []
    result: list[Any] = []

    def assign_or_push(obj: dict[str, Any], key: str, value: Any) -> None:
        if key not in obj:
            obj[key] = [value] if opts.explicit_array else value
        else:
            if not isinstance(obj[key], list):
                obj[key] = [obj[key]]
            obj[key].append(value)

    def start(name: str, attrs: dict[str, str]) -> None:
        obj: dict[str, Any] = {opts.charkey: ""}
        if not opts.ignore_attrs:
            for key, value in attrs.items():
                if opts.merge_attrs:
                    assign_or_push(obj, key, value)
                else:
                    obj.setdefault(opts.attrkey, {})[key] = value
        obj[_NAME] = name.lower() if opts.normalize_tags else name
        stack.append(obj)

    def end(_name: str) -> None:
        obj: Any = stack.pop()
        node_name = obj.pop(_NAME)
        cdata = obj.pop(_CDATA, False)
        empty_str = ""
        text = obj.get(opts.charkey, "")
        if re.fullmatch(r"\s*", text) and not cdata:
            empty_str = text
            del obj[opts.charkey]
        else:
            if opts.trim:
                text = text.strip()
            if opts.normalize:
                text = re.sub(r"\s{2,}", " ", text).strip()
            obj[opts.charkey] = text
            if len(obj) == 1 and opts.charkey in obj and not opts.explicit_charkey:
                obj = obj[opts.charkey]
        if isinstance(obj, dict) and not obj:
            obj = empty_str
        if stack:
            assign_or_push(stack[-1], node_name, obj)
        else:
            result.append({node_name: obj} if opts.explicit_root else obj)

    def chars(data: str) -> None:
        if stack:
            stack[-1][opts.charkey] += data

    in_cdata = [False]

    def start_cdata() -> None:
        in_cdata[0] = True

    def end_cdata() -> None:
        in_cdata[0] = False
        if stack:
            stack[-1][_CDATA] = True

    parser = expat.ParserCreate()
    parser.buffer_text = True
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = chars
    parser.StartCdataSectionHandler = start_cdata
    parser.EndCdataSectionHandler = end_cdata
    try:
        parser.Parse(text, True)
    except expat.ExpatError as error:
        message = expat.errors.messages[error.code] if error.code else str(error)
        message = _SAX_MESSAGES.get(message, message[:1].upper() + message[1:])
        lines = text.split("\n")
        line = lines[error.lineno - 1] if 0 < error.lineno <= len(lines) else ""
        char = line[error.offset] if error.offset < len(line) else ""
        raise XmlSyntaxError(
            f"{message}\nLine: {error.lineno - 1}\nColumn: {error.offset + 1}\nChar: {char}"
        ) from None
    return result[0] if result else None


@dataclass(frozen=True)
class BuilderOptions:
    attrkey: str = "$"
    charkey: str = "_"
    root_name: str = "root"
    headless: bool = False
    cdata: bool = False


_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'


def build(root: Any, opts: BuilderOptions) -> str:
    """`new xml2js.Builder(opts).buildObject(root)` with xml2js' pretty render options."""
    if isinstance(root, dict) and len(root) == 1 and opts.root_name == "root":
        root_name, root = next(iter(root.items()))
    else:
        root_name = opts.root_name
    element = _Element(root_name)
    _render(element, root, opts)
    lines: list[str] = [] if opts.headless else [_DECLARATION]
    element.write(lines, 0)
    return "\n".join(lines)


class _Element:
    def __init__(self, name: str) -> None:
        self.name = name
        self.attrs: list[tuple[str, str]] = []
        self.children: list[_Element | _Text] = []

    def child(self, name: str) -> _Element:
        element = _Element(name)
        self.children.append(element)
        return element

    def write(self, lines: list[str], depth: int) -> None:
        pad = "  " * depth
        attrs = "".join(f' {k}="{_escape_attr(v)}"' for k, v in self.attrs)
        texts = [c for c in self.children if isinstance(c, _Text)]
        if not self.children or (len(texts) == len(self.children) and all(t.value == "" for t in texts)):
            lines.append(f"{pad}<{self.name}{attrs}/>")
        elif len(self.children) == 1 and isinstance(self.children[0], _Text):
            lines.append(f"{pad}<{self.name}{attrs}>{self.children[0].render()}</{self.name}>")
        else:
            lines.append(f"{pad}<{self.name}{attrs}>")
            for child in self.children:
                if isinstance(child, _Text):
                    lines.append("  " * (depth + 1) + child.render())
                else:
                    child.write(lines, depth + 1)
            lines.append(f"{pad}</{self.name}>")


@dataclass
class _Text:
    value: str
    cdata: bool = False

    def render(self) -> str:
        if self.cdata:
            return "<![CDATA[" + self.value.replace("]]>", "]]]]><![CDATA[>") + "]]>"
        return _escape_text(self.value)


def _escape_text(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#xD;")


def _escape_attr(value: str) -> str:
    return (
        value.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace('"', "&quot;")
        .replace("\t", "&#x9;")
        .replace("\n", "&#xA;")
        .replace("\r", "&#xD;")
    )


def _requires_cdata(value: str) -> bool:
    return bool(re.search(r"[&<>]", value))


def _text(value: Any, opts: BuilderOptions) -> _Text:
    text = "" if value is None else to_string(value)
    return _Text(text, cdata=opts.cdata and _requires_cdata(text))


def _render(element: _Element, obj: Any, opts: BuilderOptions) -> None:
    if not isinstance(obj, dict | list):
        element.children.append(_text(obj, opts))
        return
    if isinstance(obj, list):
        for child in obj:
            if isinstance(child, dict):
                for key, entry in child.items():
                    _render(element.child(key), entry, opts)
        return
    for key, child in obj.items():
        if key == opts.attrkey:
            if isinstance(child, dict):
                element.attrs.extend((k, "" if v is None else to_string(v)) for k, v in child.items())
        elif key == opts.charkey:
            element.children.append(_text(child, opts))
        elif isinstance(child, list):
            for entry in child:
                if isinstance(entry, dict | list):
                    _render(element.child(key), entry, opts)
                else:
                    element.child(key).children.append(_text(entry, opts))
        elif isinstance(child, dict):
            _render(element.child(key), child, opts)
        else:
            element.child(key).children.append(_text(child, opts))


__all__ = ["BuilderOptions", "ParserOptions", "XmlSyntaxError", "build", "parse"]
