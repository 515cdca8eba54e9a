"""Rewrite `x.name(` into `x[__hx.name](` for n8n's extension function names.

n8n's expression compiler turns method calls into `extend(x, 'name', args)`; the prelude
instead keeps one symbol-keyed dispatcher per name on Object.prototype (js/extensions.js).
Only calls are rewritten, so reading a field called `values` or `keys` is unaffected.
"""

from __future__ import annotations

from n8n_runtime.expressions._jstokens import JSTokenizeError, significant, tokenize

__all__ = ["EXTENSION_NAMES", "rewrite_extension_calls"]

# Must match H.extensionNames in js/extensions.js (a test checks it).
EXTENSION_NAMES = frozenset(
    {
        # strings
        "hash",
        "isEmpty",
        "isNotEmpty",
        "isBlank",
        "isNotBlank",
        "length",
        "toJsonString",
        "removeMarkdown",
        "removeTags",
        "toDate",
        "toDateTime",
        "urlDecode",
        "urlEncode",
        "toInt",
        "toFloat",
        "toNumber",
        "quote",
        "isNumeric",
        "isUrl",
        "isDomain",
        "isEmail",
        "toTitleCase",
        "replaceSpecialChars",
        "toSentenceCase",
        "toSnakeCase",
        "extractEmail",
        "extractDomain",
        "extractUrl",
        "extractUrlPath",
        "parseJson",
        "toBoolean",
        "base64Encode",
        "base64Decode",
        "toWholeNumber",
        "toDecimalNumber",
        # arrays
        "first",
        "last",
        "pluck",
        "randomItem",
        "unique",
        "removeDuplicates",
        "sum",
        "min",
        "max",
        "average",
        "compact",
        "smartJoin",
        "chunk",
        "renameKeys",
        "merge",
        "union",
        "difference",
        "intersection",
        "append",
        # objects
        "hasField",
        "removeField",
        "removeFieldsContaining",
        "keepFieldsContaining",
        "keys",
        "values",
        "delete",
        # numbers
        "ceil",
        "floor",
        "abs",
        "round",
        "format",
        "isInteger",
        "isEven",
        "isOdd",
        # dates
        "beginningOf",
        "endOfMonth",
        "extract",
        "isBetween",
        "isDst",
        "isInLast",
        "isWeekend",
        "plus",
        "minus",
        "diffTo",
        "diffToNow",
    }
)


def rewrite_extension_calls(code: str) -> str:
    """Route calls of extension names through the prelude's dispatchers."""
    if "(" not in code or "." not in code:
        return code
    try:
        toks = significant(tokenize(code))
    except JSTokenizeError:
        return code
    out: list[str] = []
    pos = 0
    for i in range(1, len(toks) - 1):
        t = toks[i]
        if t.kind != "ident" or t.value not in EXTENSION_NAMES:
            continue
        dot, paren = toks[i - 1], toks[i + 1]
        if dot.kind != "punct" or dot.value not in (".", "?.") or paren.kind != "punct" or paren.value != "(":
            continue
        out.append(code[pos : dot.start])
        out.append(f"{'?.' if dot.value == '?.' else ''}[__hx.{t.value}]")
        pos = t.end
    if not out:
        return code
    out.append(code[pos:])
    return "".join(out)
