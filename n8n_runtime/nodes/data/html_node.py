"""HTML node (``n8n-nodes-base.html`` v1, v1.1, v1.2) and the older HTML Extract node
(``n8n-nodes-base.htmlExtract`` v1).

Extraction selects with CSS selectors like cheerio, over lexbor's WHATWG-conformant tree (which
parses and serialises as parse5 does); HTML v1.2 renders text with `html-to-text`'s rules (see
`_html_text`), earlier versions and HTML Extract use cheerio's `.text()`.
"""

from __future__ import annotations

import html as html_lib
import re
from typing import Any

from selectolax.lexbor import LexborHTMLParser, LexborNode, SelectolaxError

from n8n_runtime.jsvalues import UNDEFINED, json_stringify, to_string
from n8n_runtime.nodes.base import Item, NodeError, NodeOutput, NodeRun
from n8n_runtime.nodes.data._fields import get_path, item_json, options, param, version
from n8n_runtime.nodes.data._html_text import elements_to_text


def _inner_body(element: LexborNode) -> LexborNode:
    """The element's inner HTML as a parsed document's body (what cheerio's `.html()` gives)."""
    body = LexborHTMLParser(element.inner_html or "").body
    return body if body is not None else element


def run_html(run: NodeRun) -> NodeOutput:
    """``generateHtmlTemplate`` (default), ``extractHtmlContent`` or ``convertToHtmlTable``."""
    operation = param(run, "operation", 0, "generateHtmlTemplate")
    if operation == "generateHtmlTemplate":
        return [
            [
                {"json": {"html": param(run, "html", i, "")}, "pairedItem": {"item": i}}
                for i in range(len(run.items))
            ]
        ]
    if operation == "convertToHtmlTable":
        return [[_table(run)]] if run.items else [[]]
    if operation != "extractHtmlContent":
        raise NodeError(f'The operation "{operation}" is not supported!')
    return [_extract(run, modern_text=version(run) >= 1.2, trim_default=False)]


def run_html_extract(run: NodeRun) -> NodeOutput:
    """HTML Extract: the extraction of HTML v1 (cheerio `.text()`)."""
    return [_extract(run, modern_text=False, trim_default=True)]


def _extract(run: NodeRun, *, modern_text: bool, trim_default: bool) -> list[Item]:
    output: list[Item] = []
    for index, item in enumerate(run.items):
        source = param(run, "sourceData", index, "json")
        if source != "json":
            raise NodeError("Extracting HTML from binary data is not supported yet", item_index=index)
        property_name = str(param(run, "dataPropertyName", index, "data"))
        value = get_path(item_json(item), property_name)
        if value is UNDEFINED:
            raise NodeError(f"No property named '{property_name}' exists!", item_index=index)
        documents = value if isinstance(value, list) else [value]
        opts = {"trimValues": trim_default, **options(run, index)}
        extraction = param(run, "extractionValues.values", index, []) or []
        for document in documents:
            tree = LexborHTMLParser(to_string(document))
            result: dict[str, Any] = {}
            for entry in extraction:
                key = str(entry.get("key", ""))
                selector = str(entry.get("cssSelector", ""))
                try:
                    found = tree.css(selector) if selector else []
                except (SelectolaxError, ValueError) as error:  # a bad selector, named for the user
                    raise NodeError(f"Invalid CSS selector '{selector}': {error}", item_index=index) from None
                if entry.get("returnArray"):
                    values = [_value([element], entry, opts, modern_text) for element in found]
                    # JSON writes a missing attribute inside an array as null, as n8n's output shows.
                    result[key] = [None if v is UNDEFINED else v for v in values]
                else:
                    extracted = _value(found, entry, opts, modern_text)
                    if extracted is not UNDEFINED:
                        result[key] = extracted
            output.append({"json": result, "pairedItem": {"item": index}})
    return output


def _value(found: list[LexborNode], entry: dict[str, Any], opts: dict[str, Any], modern_text: bool) -> Any:
    kind = entry.get("returnValue", "text")
    value: Any
    if kind == "attribute":
        name = entry.get("attribute")
        if not found:
            return UNDEFINED
        attributes = {k: "" if v is None else v for k, v in found[0].attributes.items()}
        value = attributes if not name else attributes.get(str(name), UNDEFINED)
    elif kind == "html":
        value = found[0].inner_html if found else None
    elif kind == "value":
        value = _form_value(found[0]) if found else UNDEFINED
    elif modern_text:
        skip = [s.strip() for s in str(entry.get("skipSelectors", "") or "").split(",") if s.strip()]
        # n8n converts `$.html()`: the inner HTML of the first match (its own tag is not rendered)
        value = elements_to_text([_inner_body(found[0])], skip) if found else ""
    else:
        value = "".join(element.text(deep=True) for element in found)
    if opts.get("trimValues") and isinstance(value, str):
        value = value.strip()
    if opts.get("cleanUpText") and isinstance(value, str):
        value = re.sub(r"\s+", " ", re.sub(r"(\r\n|\n|\r)", "", value.strip()))
    return value


def _form_value(node: LexborNode) -> Any:
    """cheerio's `.val()`: select → the chosen option's value, textarea → its text."""
    if node.tag == "select":
        chosen = node.css_first("option[selected]") or node.css_first("option")
        if chosen is None:
            return None
        value = chosen.attributes.get("value")
        return value if value is not None else chosen.text()
    if node.tag == "textarea":
        return node.text()
    attributes = node.attributes
    if "value" not in attributes:
        return UNDEFINED
    return attributes["value"] or ""


def _table(run: NodeRun) -> Item:
    """One `<table>` of all items (n8n's convertToHtmlTable with its options)."""
    opts = options(run, 0)
    rows = [item_json(item) for item in run.items]
    headers: list[str] = []
    for row in rows:
        headers.extend(key for key in row if key not in headers)
    caption = f"<caption>{html_lib.escape(str(opts['caption']))}</caption>" if opts.get("caption") else ""
    attributes = str(opts.get("tableAttributes", "") or "")
    table_attrs = f" {attributes}" if attributes else ""
    shown = [h[:1].upper() + h[1:] for h in headers] if opts.get("capitalize") else headers
    head = "<thead><tr>" + "".join(f"<th>{html_lib.escape(h)}</th>" for h in shown) + "</tr></thead>"
    body_rows = []
    for row in rows:
        cells = "".join(f"<td>{_cell(row.get(h, ''))}</td>" for h in headers)
        body_rows.append(f"<tr>{cells}</tr>")
    body = "<tbody>" + "".join(body_rows) + "</tbody>"
    table = f"<table{table_attrs}>{caption}{head}{body}</table>"
    return {"json": {"table": table}, "pairedItem": [{"item": i} for i in range(len(rows))]}


def _cell(value: Any) -> str:
    if isinstance(value, dict | list):
        return html_lib.escape(json_stringify(value))
    return html_lib.escape(to_string(value)) if value is not None else ""


__all__ = ["run_html", "run_html_extract"]
