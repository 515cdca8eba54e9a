"""`new RegExp(source, flags)` for Python's `re`, covering the syntax n8n users write.

JS and Python regexes differ in small ways that change results: `\\d`/`\\w`/`\\s` are ASCII in JS
(without the `u` flag), `$` never matches before a trailing newline, `(?<name>...)` is Python's
`(?P<name>...)`, and `[^]` means "any character".
"""

from __future__ import annotations

import re
from functools import lru_cache

# JS `\d` and `\w` are ASCII-only whatever the flags; Python's are Unicode-aware.
_CLASS_ESCAPES = {"d": "0-9", "w": "A-Za-z0-9_"}
_WORD_BOUNDARY = "(?:(?<=[A-Za-z0-9_])(?![A-Za-z0-9_])|(?<![A-Za-z0-9_])(?=[A-Za-z0-9_]))"
_NOT_WORD_BOUNDARY = "(?:(?<=[A-Za-z0-9_])(?=[A-Za-z0-9_])|(?<![A-Za-z0-9_])(?![A-Za-z0-9_]))"
_FLAG_MAP = {"i": re.IGNORECASE, "m": re.MULTILINE, "s": re.DOTALL}
# `/pattern/flags` written as a literal in a parameter (n8n's `^/(.*?)/([gimusy]*)$`).
LITERAL = re.compile(r"^/(.*?)/([gimusy]*)$", re.DOTALL)


class JSRegexError(ValueError):
    """The pattern is not a valid regular expression."""


@lru_cache(maxsize=256)
def compile_js(source: str, flags: str = "") -> re.Pattern[str]:
    """Compile a JS pattern; raises JSRegexError like `new RegExp` throws SyntaxError."""
    py_flags = 0
    for flag in flags:
        py_flags |= _FLAG_MAP.get(flag, 0)
    try:
        return re.compile(_translate(source, multiline="m" in flags), py_flags)
    except re.error as exc:
        raise JSRegexError(f"Invalid regular expression: /{source}/: {exc}") from exc


def from_parameter(value: str, *, ignore_case: bool = False) -> re.Pattern[str]:
    """n8n's parseRegexPattern: `/source/flags` literals keep their flags, others are the source."""
    match = LITERAL.match(value or "")
    if match is None:
        return compile_js(value or "", "i" if ignore_case else "")
    flags = match.group(2)
    if ignore_case and "i" not in flags:
        flags += "i"
    return compile_js(match.group(1), flags)


def _translate(source: str, *, multiline: bool) -> str:
    out: list[str] = []
    i = 0
    in_class = False
    n = len(source)
    while i < n:
        ch = source[i]
        if ch == "\\" and i + 1 < n:
            nxt = source[i + 1]
            if nxt in _CLASS_ESCAPES:
                out.append(_CLASS_ESCAPES[nxt] if in_class else f"[{_CLASS_ESCAPES[nxt]}]")
            elif nxt in "DW" and not in_class:
                out.append(f"[^{_CLASS_ESCAPES[nxt.lower()]}]")
            elif nxt in "bB" and not in_class:
                out.append(_WORD_BOUNDARY if nxt == "b" else _NOT_WORD_BOUNDARY)
            elif nxt == "/":
                out.append("/")
            elif nxt == "u" and i + 5 < n and re.fullmatch(r"[0-9a-fA-F]{4}", source[i + 2 : i + 6]):
                out.append("\\u" + source[i + 2 : i + 6])
                i += 6
                continue
            else:
                out.append(ch + nxt)
            i += 2
            continue
        if in_class:
            if ch == "]":
                in_class = False
            elif ch == "[":
                out.append("\\[")
                i += 1
                continue
            out.append(ch)
            i += 1
            continue
        if ch == "[":
            if source.startswith("[^]", i):
                out.append("[\\s\\S]")
                i += 3
                continue
            if source.startswith("[]", i):
                out.append("(?!)")
                i += 2
                continue
            in_class = True
            out.append(ch)
            if i + 1 < n and source[i + 1] == "^":
                out.append("^")
                i += 1
            i += 1
            continue
        if ch == "(" and source.startswith("(?<", i) and not source.startswith(("(?<=", "(?<!"), i):
            out.append("(?P<")
            i += 3
            continue
        if ch == "$" and not multiline:
            out.append("\\Z")
            i += 1
            continue
        out.append(ch)
        i += 1
    return "".join(out)


__all__ = ["LITERAL", "JSRegexError", "compile_js", "from_parameter"]
