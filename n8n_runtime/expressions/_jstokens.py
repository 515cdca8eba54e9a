"""A small JavaScript tokenizer: enough to find the end of `{{ }}` and to rewrite `async`/`await`.

It is not a parser. It knows strings, template literals (with nested `${}`), comments, regular
expression literals (by the usual previous-token heuristic) and brackets, which is all the
template splitter and the async rewriter need to stay out of string contents.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["JSToken", "JSTokenizeError", "match_brackets", "significant", "tokenize"]

# Tokens after which a `/` starts a regular expression rather than a division.
_REGEX_AFTER_KEYWORDS = frozenset(
    {
        "return",
        "typeof",
        "case",
        "do",
        "else",
        "in",
        "instanceof",
        "new",
        "delete",
        "void",
        "throw",
        "yield",
        "await",
        "of",
    }
)
_PUNCTUATORS = sorted(
    [
        ">>>=",
        "...",
        "===",
        "!==",
        "**=",
        "<<=",
        ">>=",
        ">>>",
        "&&=",
        "||=",
        "??=",
        "=>",
        "==",
        "!=",
        "<=",
        ">=",
        "&&",
        "||",
        "??",
        "?.",
        "++",
        "--",
        "+=",
        "-=",
        "*=",
        "/=",
        "%=",
        "&=",
        "|=",
        "^=",
        "**",
        "<<",
        ">>",
    ],
    key=len,
    reverse=True,
)
_OPENERS = {"(": ")", "[": "]", "{": "}"}


class JSTokenizeError(ValueError):
    """The source is not tokenizable (an unterminated string, comment or template)."""


@dataclass(frozen=True, slots=True)
class JSToken:
    """One token. ``kind`` is ws, comment, ident, num, str, regex, punct or one of the template
    kinds: tpl (a whole template without `${`), tpl_head (ends with `${`), tpl_mid (`}`…`${`),
    tpl_tail (`}`…backtick)."""

    kind: str
    value: str
    start: int
    end: int

    @property
    def has_newline(self) -> bool:
        return "\n" in self.value


def _is_ident_start(ch: str) -> bool:
    return ch.isalpha() or ch in "$_" or ord(ch) > 127


def _is_ident_part(ch: str) -> bool:
    return ch.isalnum() or ch in "$_" or ord(ch) > 127


def _regex_allowed(prev: JSToken | None) -> bool:
    if prev is None:
        return True
    if prev.kind == "ident":
        return prev.value in _REGEX_AFTER_KEYWORDS
    if prev.kind in ("num", "str", "regex", "tpl", "tpl_tail"):
        return False
    if prev.kind == "punct":
        return prev.value not in (")", "]", "++", "--")
    return True


def tokenize(src: str, start: int = 0, stop_at_double_brace: bool = False) -> list[JSToken]:
    """Tokenize ``src`` from ``start``.

    With ``stop_at_double_brace`` the scan ends at the first `}}` met outside any bracket, string
    or template (the end of an n8n `{{ }}` segment); that `}}` is not included.
    """
    tokens: list[JSToken] = []
    # Each entry is the closer we expect; "tpl" marks a `${` whose `}` resumes a template.
    stack: list[str] = []
    prev: JSToken | None = None
    i = start
    n = len(src)
    while i < n:
        ch = src[i]
        if stop_at_double_brace and not stack and src.startswith("}}", i):
            break
        if ch.isspace():
            j = i + 1
            while j < n and src[j].isspace():
                j += 1
            tokens.append(JSToken("ws", src[i:j], i, j))
            i = j
            continue
        if src.startswith("//", i):
            j = src.find("\n", i)
            j = n if j == -1 else j
            tokens.append(JSToken("comment", src[i:j], i, j))
            i = j
            continue
        if src.startswith("/*", i):
            j = src.find("*/", i + 2)
            if j == -1:
                raise JSTokenizeError("unterminated comment")
            tokens.append(JSToken("comment", src[i : j + 2], i, j + 2))
            i = j + 2
            continue
        if _is_ident_start(ch) or ch == "\\":
            j = i + 1
            while j < n and (_is_ident_part(src[j]) or src[j] == "\\"):
                j += 1
            tok = JSToken("ident", src[i:j], i, j)
        elif ch.isdigit() or (ch == "." and i + 1 < n and src[i + 1].isdigit()):
            j = i + 1
            while j < n and (src[j].isalnum() or src[j] in "._" or (src[j] in "+-" and src[j - 1] in "eE")):
                # A hex literal like 0x1e+1 is not a thing, so only decimal exponents take a sign.
                if src[j] in "+-" and src[i : i + 2].lower() == "0x":
                    break
                j += 1
            tok = JSToken("num", src[i:j], i, j)
        elif ch in "'\"":
            j = i + 1
            while j < n and src[j] != ch:
                if src[j] == "\\":
                    j += 1
                elif src[j] == "\n":
                    raise JSTokenizeError("unterminated string")
                j += 1
            if j >= n:
                raise JSTokenizeError("unterminated string")
            tok = JSToken("str", src[i : j + 1], i, j + 1)
            j += 1
        elif ch == "`" or (ch == "}" and stack and stack[-1] == "tpl"):
            resuming = ch == "}"
            if resuming:
                stack.pop()
            j = i + 1
            while j < n:
                if src[j] == "\\":
                    j += 2
                    continue
                if src[j] == "`":
                    j += 1
                    kind = "tpl_tail" if resuming else "tpl"
                    break
                if src.startswith("${", j):
                    j += 2
                    kind = "tpl_mid" if resuming else "tpl_head"
                    stack.append("tpl")
                    break
                j += 1
            else:
                raise JSTokenizeError("unterminated template literal")
            tok = JSToken(kind, src[i:j], i, j)
        elif ch == "/" and _regex_allowed(prev):
            j = i + 1
            in_class = False
            while j < n:
                c = src[j]
                if c == "\\":
                    j += 2
                    continue
                if c == "\n":
                    raise JSTokenizeError("unterminated regular expression")
                if c == "[":
                    in_class = True
                elif c == "]":
                    in_class = False
                elif c == "/" and not in_class:
                    break
                j += 1
            if j >= n:
                raise JSTokenizeError("unterminated regular expression")
            j += 1
            while j < n and _is_ident_part(src[j]):
                j += 1
            tok = JSToken("regex", src[i:j], i, j)
        else:
            value = ch
            for p in _PUNCTUATORS:
                if src.startswith(p, i):
                    value = p
                    break
            # `?.5` is a conditional followed by a number, not optional chaining.
            if value == "?." and i + 2 < n and src[i + 2].isdigit():
                value = "?"
            j = i + len(value)
            if value in _OPENERS:
                stack.append(_OPENERS[value])
            elif value in (")", "]", "}") and stack and stack[-1] == value:
                stack.pop()
            tok = JSToken("punct", value, i, j)
        tokens.append(tok)
        prev = tok
        i = tok.end
    return tokens


def significant(tokens: list[JSToken]) -> list[JSToken]:
    """Tokens without whitespace and comments."""
    return [t for t in tokens if t.kind not in ("ws", "comment")]


def match_brackets(toks: list[JSToken]) -> dict[int, int]:
    """Index of each opener → index of its closer, for a significant-token list.

    Template heads/middles open a `${`; middles/tails close one.
    """
    pairs: dict[int, int] = {}
    stack: list[int] = []
    for idx, t in enumerate(toks):
        opens = (t.kind == "punct" and t.value in _OPENERS) or t.kind == "tpl_head"
        closes = (t.kind == "punct" and t.value in (")", "]", "}")) or t.kind == "tpl_tail"
        if t.kind == "tpl_mid":
            opens = closes = True
        if closes and stack:
            pairs[stack.pop()] = idx
        if opens:
            stack.append(idx)
    return pairs
