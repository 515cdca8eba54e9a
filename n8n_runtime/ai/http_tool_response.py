"""The HTTP Request tool's "Optimize Response" (``toolHttpRequest``), as n8n's ToolHttpRequest/utils.

What the model gets back from the response body:

* JSON: ``dataField`` picks the list (or object) of records, then all fields, the ``selected``
  ones or all ``except`` them (lodash paths: ``a.b``, ``a[0]``), as ``JSON.stringify(x, null, 2)``.
* HTML: the inner HTML of each element matching ``cssSelector`` (default ``body``), or with
  ``onlyContent`` its text without the ``elementsToOmit`` selectors; whitespace squeezed; the
  list as JSON text, cut at ``maxLength`` when ``truncateResponse``.
* Text: the page's readable text (n8n uses Mozilla Readability; here: the body's text without
  script, style, nav, header, footer and aside), cut at ``maxLength``.

HTML and text use lexbor (selectolax) instead of cheerio/html-to-text/Readability: the
selection and truncation are n8n's, the text extraction is close to but not byte-for-byte n8n's.
"""

from __future__ import annotations

import json
import re
from typing import Any

from pydantic import BaseModel

__all__ = ["ResponseOptimizer", "optimize_response", "optimizer_from_parameters"]

_MISSING = object()
_PATH_PART = re.compile(r"[^.[\]]+")
_NOT_READABLE = ("script", "style", "noscript", "nav", "header", "footer", "aside", "template")


class ResponseOptimizer(BaseModel):
    """The evaluated optimizeResponse parameters of one tool call."""

    response_type: str = "json"
    data_field: str = ""
    fields_to_include: str = "all"
    fields: list[str] = []
    css_selector: str = "body"
    only_content: bool = False
    elements_to_omit: list[str] = []
    max_length: int = 0


def optimizer_from_parameters(get: Any) -> ResponseOptimizer | None:
    """The optimizer of a tool node, ``get(name, default)`` reading its parameters; None when off."""
    if not get("optimizeResponse", False):
        return None
    fields = get("fields", "")
    omit = get("elementsToOmit", "") if get("onlyContent", False) else ""
    return ResponseOptimizer(
        response_type=str(get("responseType", "json")),
        data_field=str(get("dataField", "") or ""),
        fields_to_include=str(get("fieldsToInclude", "all")),
        fields=[f.strip() for f in fields.split(",")] if isinstance(fields, str) else list(fields or []),
        css_selector=str(get("cssSelector", "body") or ""),
        only_content=bool(get("onlyContent", False)),
        elements_to_omit=[s.strip() for s in omit.split(",") if s] if isinstance(omit, str) else [],
        max_length=int(get("maxLength", 0) or 0) if get("truncateResponse", False) else 0,
    )


def _stringify(value: Any) -> str:
    """``JSON.stringify(value, null, 2)`` (undefined values are absent, as in JavaScript)."""
    return json.dumps(value, indent=2, ensure_ascii=False)


def _path(field: str) -> list[str]:
    return _PATH_PART.findall(field)


def _get(value: Any, parts: list[str]) -> Any:
    for part in parts:
        if isinstance(value, dict) and part in value:
            value = value[part]
        elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
        else:
            return _MISSING
    return value


def _set(target: dict[str, Any], parts: list[str], value: Any) -> None:
    """lodash ``set``: intermediate objects are created even when the value is undefined."""
    for part in parts[:-1]:
        nxt = target.get(part)
        if not isinstance(nxt, dict):
            nxt = target[part] = {}
        target = nxt
    if value is not _MISSING and parts:
        target[parts[-1]] = value


def _unset(target: Any, parts: list[str]) -> None:
    parent = _get(target, parts[:-1]) if len(parts) > 1 else target
    if isinstance(parent, dict) and parts:
        parent.pop(parts[-1], None)
    elif isinstance(parent, list) and parts and parts[-1].isdigit() and int(parts[-1]) < len(parent):
        parent[int(parts[-1])] = None  # `delete array[i]` leaves a hole (null in JSON)


def _optimize_json(body: Any, options: ResponseOptimizer) -> str:
    data = body
    if isinstance(data, str):
        data = json.loads(data)
    if not isinstance(data, dict | list):
        raise ValueError("The response type must be an object or an array of objects")
    field = options.data_field
    if isinstance(data, dict):
        if field:
            picked = data.get(field, _MISSING)
            records: list[Any] = picked if isinstance(picked, list) else [picked]
        else:
            records = [data]
    else:
        records = (
            [r.get(field, _MISSING) if isinstance(r, dict) else _MISSING for r in data] if field else data
        )
    records = [None if r is _MISSING else r for r in records]  # undefined in an array is null
    if options.fields_to_include == "selected":
        selected = []
        for record in records:
            item: dict[str, Any] = {}
            for name in options.fields:
                _set(item, _path(name), _get(record, _path(name)))
            selected.append(item)
        return _stringify(selected)
    if options.fields_to_include == "except":
        for record in records:
            for name in options.fields:
                _unset(record, _path(name))
    return _stringify(records)


def _squeeze(text: str) -> str:
    # n8n: trim, drop line breaks (without a space), then every whitespace run becomes one space.
    return re.sub(r"\s+", " ", re.sub(r"\r\n|\n|\r", "", text.strip()))


def _truncate(text: str, limit: int) -> str:
    return text[:limit] if limit > 0 and len(text) > limit else text


def _optimize_html(body: Any, options: ResponseOptimizer) -> str:
    from selectolax.lexbor import LexborHTMLParser

    if not isinstance(body, str):
        raise ValueError(f"The response type must be a string. Received: {_js_type(body)}")
    tree = LexborHTMLParser(body)
    values = []
    for element in tree.css(options.css_selector) if options.css_selector else []:
        if options.only_content:
            for selector in options.elements_to_omit:
                for omitted in element.css(selector):
                    omitted.decompose()
            value = element.text(separator=" ")
        else:
            value = element.inner_html or ""
        values.append(_squeeze(value))
    return _truncate(_stringify(values), options.max_length)


def _optimize_text(body: Any, options: ResponseOptimizer) -> str:
    from selectolax.lexbor import LexborHTMLParser

    if isinstance(body, dict | list):
        body = _stringify(body)
    if not isinstance(body, str):
        raise ValueError(f"The response type must be a string. Received: {_js_type(body)}")
    tree = LexborHTMLParser(body)
    for tag in _NOT_READABLE:
        for element in tree.css(tag):
            element.decompose()
    root = tree.body or tree.root
    text = root.text(separator=" ") if root is not None else ""
    return _truncate(re.sub(r"[ \t]+", " ", text).strip(), options.max_length)


def _js_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    return "undefined" if value is None else "object"


def optimize_response(body: Any, options: ResponseOptimizer) -> str:
    """The text the model gets for ``body`` (parsed JSON or text).

    Raises:
        ValueError: the body does not fit the expected response type (n8n's wording).
    """
    if options.response_type == "html":
        return _optimize_html(body, options)
    if options.response_type == "text":
        return _optimize_text(body, options)
    return _optimize_json(body, options)
