"""Rewrite `async`/`await` into generators driven by the prelude's own promise loop.

Why: mini-racer runs V8 microtasks after an evaluation has returned, outside any timeout, so a
runaway loop after an `await` would wedge the isolate for good. Rewriting

    async function f(a) { const x = await g(a); }
      →  function f(a) { return __hive_co(function* () { const x = (yield g(a)); }, this, arguments); }
    async (a) => expr
      →  (a) => __hive_co(function* () { return (expr); }, this)

lets the prelude run every continuation itself, inside the time-limited evaluation. The prelude
also replaces `Promise`, so `new Promise`, `.then` and timers stay on that loop too.

Only the token stream is touched (no newlines are added), so line numbers in stack traces are
preserved. `for await`, async generators and `import()` are rejected with a clear message.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from n8n_runtime.expressions._jstokens import JSToken, JSTokenizeError, match_brackets, significant, tokenize

__all__ = ["AsyncTransformError", "needs_async_transform", "transform_async"]

_QUICK = re.compile(r"\b(?:async|await|import)\b")
_PREFIX_PUNCT = frozenset({"!", "~", "+", "-", "++", "--"})
_PREFIX_WORDS = frozenset({"typeof", "void", "delete", "await"})
# Tokens that, at the start of a new line, continue the previous expression (no ASI).
_CONTINUATION = frozenset(
    {".", "?.", "(", "[", "+", "-", "*", "/", "%", "=", "==", "===", "!=", "!==", "<", ">", "<=", ">="}
    | {"&&", "||", "??", "?", ":", "&", "|", "^", "**", "=>", "<<", ">>", ">>>", "+=", "-=", "*="}
)
_NOT_AN_OPERAND_AFTER = frozenset({":", ")", ",", ";", "}", "]", "=", "=>"})


class AsyncTransformError(ValueError):
    """The code uses async syntax Hive cannot run safely."""


@dataclass
class _Edit:
    pos: int
    closing: bool
    seq: int
    open_pos: int
    text: str


def needs_async_transform(code: str) -> bool:
    """Whether ``code`` mentions async, await or import outside strings and comments."""
    if not _QUICK.search(code):
        return False
    try:
        toks = tokenize(code)
    except JSTokenizeError:
        return False
    return any(t.kind == "ident" and t.value in ("async", "await", "import") for t in toks)


class _Rewriter:
    def __init__(self, code: str, top_level_await: bool) -> None:
        self.code = code
        self.top_level_await = top_level_await
        self.toks: list[JSToken] = significant(tokenize(code))
        self.close_of = match_brackets(self.toks)
        self.edits: list[_Edit] = []
        self.deletions: list[tuple[int, int]] = []
        self.async_bodies: list[tuple[int, int]] = []
        self.seq = 0

    # -- helpers -------------------------------------------------------------------------------
    def tok(self, i: int) -> JSToken | None:
        return self.toks[i] if 0 <= i < len(self.toks) else None

    def is_punct(self, i: int, *values: str) -> bool:
        t = self.tok(i)
        return t is not None and t.kind == "punct" and t.value in values

    def is_ident(self, i: int, *values: str) -> bool:
        t = self.tok(i)
        return t is not None and t.kind == "ident" and (not values or t.value in values)

    def newline_before(self, i: int) -> bool:
        if i <= 0 or i >= len(self.toks):
            return False
        return "\n" in self.code[self.toks[i - 1].end : self.toks[i].start]

    def closer(self, i: int) -> int:
        j = self.close_of.get(i)
        if j is None:
            raise AsyncTransformError("unbalanced brackets")
        # A template head's closer may be a middle: follow the chain to its tail.
        while self.toks[j].kind == "tpl_mid":
            j = self.close_of[j]
        return j

    def wrap(self, start: int, end: int, opener: str, closer: str) -> None:
        """Insert ``opener`` before source offset ``start`` and ``closer`` after ``end``."""
        self.seq += 1
        self.edits.append(_Edit(start, False, self.seq, start, opener))
        self.edits.append(_Edit(end, True, self.seq, start, closer))

    # -- grammar scraps -----------------------------------------------------------------------
    def primary_end(self, i: int) -> int:
        t = self.tok(i)
        if t is None:
            raise AsyncTransformError("`await` without an operand")
        if t.kind == "punct" and t.value in ("(", "[", "{"):
            return self.closer(i)
        if t.kind == "tpl_head":
            return self.closer(i)
        if t.kind == "ident" and t.value in ("function", "class"):
            j = i + 1
            while j < len(self.toks) and not self.is_punct(j, "{"):
                j = self.closer(j) + 1 if self.is_punct(j, "(", "[") else j + 1
            return self.closer(j)
        return i

    def postfix_end(self, j: int) -> int:
        while True:
            k = j + 1
            t = self.tok(k)
            if t is None:
                return j
            if t.kind == "punct" and t.value in (".", "?."):
                if self.is_punct(k + 1, "(", "["):
                    j = self.closer(k + 1)
                else:
                    j = k + 1
                continue
            if t.kind == "punct" and t.value in ("(", "["):
                j = self.closer(k)
                continue
            if t.kind == "tpl":
                j = k
                continue
            if t.kind == "tpl_head":
                j = self.closer(k)
                continue
            if t.kind == "punct" and t.value in ("++", "--") and not self.newline_before(k):
                return k
            return j

    def unary_end(self, i: int) -> int:
        t = self.tok(i)
        if t is None:
            raise AsyncTransformError("`await` without an operand")
        if (t.kind == "punct" and t.value in _PREFIX_PUNCT) or (
            t.kind == "ident" and t.value in _PREFIX_WORDS
        ):
            return self.unary_end(i + 1)
        if t.kind == "ident" and t.value == "new":
            return self.postfix_end(self.primary_end(i + 1))
        return self.postfix_end(self.primary_end(i))

    def expression_end(self, i: int) -> int:
        """Last token of the assignment expression starting at ``i`` (an arrow's body)."""
        j = i
        last = i
        while j < len(self.toks):
            t = self.toks[j]
            if j > i and self.newline_before(j) and self._ends_expression(self.toks[j - 1]):
                if not ((t.kind == "punct" and t.value in _CONTINUATION) or t.kind in ("tpl", "tpl_head")):
                    if not (t.kind == "ident" and t.value in ("in", "instanceof")):
                        break
            if t.kind == "punct" and t.value in (",", ";", ")", "]", "}"):
                break
            if t.kind in ("tpl_mid", "tpl_tail"):
                break
            if (t.kind == "punct" and t.value in ("(", "[", "{")) or t.kind == "tpl_head":
                j = self.closer(j)
            last = j
            j += 1
        return last

    @staticmethod
    def _ends_expression(t: JSToken) -> bool:
        if t.kind in ("num", "str", "regex", "tpl", "tpl_tail"):
            return True
        if t.kind == "ident":
            return t.value not in _PREFIX_WORDS | {"new", "return", "in", "of", "instanceof"}
        return t.kind == "punct" and t.value in (")", "]", "}")

    # -- constructs ------------------------------------------------------------------------------
    def wrap_function_body(self, brace: int) -> None:
        end = self.closer(brace)
        self.async_bodies.append((brace, end))
        self.wrap(
            self.toks[brace].end,
            self.toks[end].start,
            " return __hive_co(function* () {",
            "}, this, arguments); ",
        )

    def async_function(self, k: int) -> None:
        j = k + 2
        if self.is_punct(j, "*"):
            raise AsyncTransformError("async generator functions are not supported")
        if self.is_ident(j):
            j += 1
        if not self.is_punct(j, "("):
            raise AsyncTransformError("malformed async function")
        body = self.closer(j) + 1
        if not self.is_punct(body, "{"):
            raise AsyncTransformError("malformed async function")
        self.deletions.append((self.toks[k].start, self.toks[k].end))
        self.wrap_function_body(body)

    def async_arrow(self, k: int, arrow: int) -> None:
        self.deletions.append((self.toks[k].start, self.toks[k].end))
        body = arrow + 1
        if self.is_punct(body, "{"):
            end = self.closer(body)
            self.async_bodies.append((body, end))
            self.wrap(self.toks[body].start, self.toks[end].end, "__hive_co(function* () ", ", this)")
            return
        end = self.expression_end(body)
        self.async_bodies.append((body, end))
        self.wrap(
            self.toks[body].start,
            self.toks[end].end,
            "__hive_co(function* () { return (",
            "); }, this)",
        )

    def handle_async(self, k: int) -> None:
        nxt = self.tok(k + 1)
        if nxt is None or self.newline_before(k + 1):
            return
        if nxt.kind == "ident" and nxt.value == "function":
            self.async_function(k)
            return
        if self.is_punct(k + 1, "("):
            close = self.closer(k + 1)
            if self.is_punct(close + 1, "=>") and not self.newline_before(close + 1):
                self.async_arrow(k, close + 1)
            return
        if nxt.kind == "ident" and self.is_punct(k + 2, "=>"):
            self.async_arrow(k, k + 2)
            return
        # Methods: `async name(…) {…}` in an object literal or a class body.
        prev_ok = k == 0 or self.is_punct(k - 1, "{", ",", ";", "}") or self.is_ident(k - 1, "static")
        if not prev_ok:
            return
        if self.is_punct(k + 1, "*"):
            raise AsyncTransformError("async generator methods are not supported")
        j = k + 1
        if self.is_punct(j, "["):
            j = self.closer(j) + 1
        elif nxt.kind in ("ident", "str", "num") or (nxt.kind == "punct" and nxt.value == "#"):
            j += 2 if nxt.value == "#" else 1
        else:
            return
        if not self.is_punct(j, "("):
            return
        body = self.closer(j) + 1
        if self.is_punct(body, "{"):
            self.deletions.append((self.toks[k].start, self.toks[k].end))
            self.wrap_function_body(body)

    def handle_await(self, k: int) -> None:
        if self.is_punct(k - 1, ".", "?."):
            return
        if self.is_punct(k + 1, *_NOT_AN_OPERAND_AFTER):
            return
        if self.is_ident(k - 1, "for"):
            raise AsyncTransformError("`for await` loops are not supported")
        end = self.unary_end(k + 1)
        if not self.top_level_await and not any(a <= k <= b for a, b in self.async_bodies):
            raise AsyncTransformError("await is only valid in async functions")
        t = self.toks[k]
        self.deletions.append((t.start, t.end))
        self.wrap(t.start, self.toks[end].end, "(yield ", ")")

    def run(self) -> str:
        for k, t in enumerate(self.toks):
            if t.kind != "ident" or self.is_punct(k - 1, ".", "?."):
                continue
            if t.value == "async":
                self.handle_async(k)
            elif t.value == "await":
                self.handle_await(k)
            elif t.value == "import" and self.is_punct(k + 1, "(", "."):
                raise AsyncTransformError("import() is not supported; Hive's sandbox has no modules")
        return self.apply()

    def apply(self) -> str:
        by_pos: dict[int, list[_Edit]] = {}
        for e in self.edits:
            by_pos.setdefault(e.pos, []).append(e)
        deleted: dict[int, int] = dict(self.deletions)
        out: list[str] = []
        i = 0
        for pos in sorted(set(by_pos) | set(deleted)):
            if pos < i:
                continue
            out.append(self.code[i:pos])
            here = by_pos.get(pos, [])
            closers = sorted((e for e in here if e.closing), key=lambda e: (-e.open_pos, -e.seq))
            openers = sorted((e for e in here if not e.closing), key=lambda e: e.seq)
            out.extend(e.text for e in closers)
            out.extend(e.text for e in openers)
            i = deleted.get(pos, pos)
        out.append(self.code[i:])
        return "".join(out)


def transform_async(code: str, *, top_level_await: bool) -> str:
    """Rewrite async syntax in ``code`` (see the module docstring).

    Raises:
        AsyncTransformError: unsupported syntax (async generators, ``for await``, ``import()``)
            or ``await`` outside an async function when ``top_level_await`` is false.
    """
    try:
        return _Rewriter(code, top_level_await).run()
    except JSTokenizeError as exc:
        # Let V8 report the syntax error with its own words and line number.
        del exc
        return code
